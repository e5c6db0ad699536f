package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import simdvae.vae.data.ImageDataset;
import simdvae.vae.table.Features;

/**
 * What data-parallel training builds on: a run cut into pieces of any length, each continued by a new trainer from
 * {@link Trainer#state()}, ends with the bits of the uncut run.
 */
class TrainerStepsTest {
    @Test
    void piecesContinuedFromTheirStateEqualTheWholeRun() {
        ImageDataset data = Mnist.train().head(500);
        VaeConfig config = VaeConfig.defaults().withHidden(List.of(24)).withBatch(32).withEpochs(3).withSeed(9)
                .withThreads(1).withKl(1, 2);
        Vae whole = Vae.create(config);
        Models.trained(whole, data);
        // 16 steps an epoch, 48 in all, in pieces of 5 that cross epoch ends
        Vae first = Vae.create(config);
        Features features = Features.fitted(config.model(), data, false);
        Trainer.State state = new Trainer.State(first.parameters(), new float[first.parameters().length],
                new float[first.parameters().length], 0);
        int pieces = 0;
        while (state.step() < 48) {
            try (Trainer t = Trainer.continuing(config.withThreads(2), features, state, data.size())) {
                double loss = t.trainSteps(data, Math.min(5, 48 - state.step()));
                assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
                state = t.state();
            }
            pieces++;
        }
        assertEquals(10, pieces);
        assertEquals(whole.parametersSha256(), Vae.of(config, state.params(), features).parametersSha256());
    }
}
