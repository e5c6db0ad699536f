package simdvae.vae.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TableDefaults}: a table's recipe is a function of its training rows alone, as its documentation states it,
 * and keeps the tutorial's network.
 */
class TableDefaultsTest {
    /** The documented rule, written out again: what every shape must get. */
    private static void documented(int rows, TableDefaults d) {
        boolean holdOut = rows >= 50;
        assertEquals(holdOut ? 0.2 : 0.0, d.validationSplit(), "split of " + rows);
        assertEquals(holdOut ? 10 : 0, d.patience(), "patience of " + rows);
        assertEquals(holdOut ? 5 : 0, d.neighbours(), "neighbours of " + rows);
        int fit = rows - (int) Math.round(d.validationSplit() * rows);
        long batches = Math.max(1, (fit + 49) / 50);
        long epochs = Math.max(10, Math.min(200, (20_000 + batches - 1) / batches));
        assertEquals(epochs, d.epochs(), "epochs of " + rows);
        assertEquals(List.of(512), d.hidden());
        assertEquals(2, d.latent());
        assertEquals(50, d.batch());
        assertEquals(List.of("hidden", "latent", "batch", "epochs", "validation_split", "early_stopping",
                "neighbours"), List.copyOf(d.reasons().keySet()));
    }

    @Test
    void theRecipeIsTheDocumentedFunctionOfTheRows() {
        qt().forAll(integers().between(1, 5_000_000)).checkAssert(rows -> {
            TableDefaults d = TableDefaults.of(rows);
            assertEquals(d, TableDefaults.of(rows)); // the same shape, the same recipe
            documented(rows, d);
        });
    }

    @Test
    void severalShapes() {
        // tiny: nothing held out, no neighbours, 200 epochs of one batch
        TableDefaults tiny = TableDefaults.of(30);
        assertEquals(0.0, tiny.validationSplit());
        assertEquals(0, tiny.neighbours());
        assertEquals(200, tiny.epochs());
        // the ADBench tables' sizes: 200 epochs (early stopping ends them)
        for (int rows : new int[] {50, 57, 250, 1_000, 2_000}) {
            TableDefaults d = TableDefaults.of(rows);
            assertEquals(0.2, d.validationSplit());
            assertEquals(10, d.patience());
            assertEquals(5, d.neighbours());
            assertEquals(200, d.epochs(), "rows " + rows);
        }
        // large: the steps bound the epochs — 22,000 rows keep 17,600, 352 batches, 57 epochs
        assertEquals(57, TableDefaults.of(22_000).epochs());
        assertEquals(10, TableDefaults.of(1_000_000).epochs());
    }
}
