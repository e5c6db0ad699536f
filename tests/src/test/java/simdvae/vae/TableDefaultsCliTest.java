package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.vae.model.TableDefaults;

/**
 * {@code train} on a CSV table: what its options leave to the table's shape is chosen by {@link TableDefaults},
 * said on stderr and in metrics.json, and an option given wins.
 */
class TableDefaultsCliTest {
    @TempDir
    Path dir;

    JsonObject metrics(Path run) throws IOException {
        return JsonParser.parseString(Files.readString(run.resolve("metrics.json"))).getAsJsonObject();
    }

    @Test
    void aTableGetsItsDefaultsAndAnOptionGivenWins() throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, MixedCsvCliTest.csv(200, 3, null));
        Path run = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", csv.toString(), "--label-column", "kind", "--hidden", "16",
                "--iw-samples", "0", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("chosen for a table of 180 training rows: epochs 200 validation-split 0.2"
                + " early-stopping 10 neighbours 5"), r.err());
        JsonObject m = metrics(run);
        TableDefaults d = TableDefaults.of(180); // 200 rows less the 0.1 test split
        JsonObject chosen = m.getAsJsonObject("defaults");
        assertEquals(d.epochs(), chosen.getAsJsonObject("epochs").get("value").getAsInt());
        assertEquals(d.validationSplit(), chosen.getAsJsonObject("validation_split").get("value").getAsDouble());
        assertEquals(d.patience(), chosen.getAsJsonObject("early_stopping").get("value").getAsInt());
        assertEquals(5, chosen.getAsJsonObject("neighbours").get("value").getAsInt());
        assertFalse(chosen.getAsJsonObject("epochs").get("why").getAsString().isEmpty());
        assertTrue(m.get("score").getAsString().startsWith("hybrid"), m.get("score").getAsString());
        assertEquals(36, m.get("validation_size").getAsInt());

        // options given win: no validation, so no early stopping and the ELBO alone
        Path plain = dir.resolve("plain");
        r = CliTest.run("train", "--data", csv.toString(), "--label-column", "kind", "--hidden", "16", "--epochs",
                "3", "--validation-split", "0", "--iw-samples", "0", "--out", plain.toString());
        assertEquals(0, r.code(), r.err());
        m = metrics(plain);
        assertEquals(3, m.getAsJsonArray("epochs").size());
        assertEquals(0, m.get("validation_size").getAsInt());
        assertTrue(m.get("score").getAsString().startsWith("negative ELBO"), m.get("score").getAsString());
        chosen = m.getAsJsonObject("defaults");
        assertFalse(chosen.has("epochs") || chosen.has("validation_split") || chosen.has("early_stopping"));
        assertEquals(0, chosen.getAsJsonObject("neighbours").get("value").getAsInt());

        // the hybrid needs validation rows: said at once, in one line
        TabularCliTest.assertOneLineError(new String[] {"train", "--data", csv.toString(), "--label-column", "kind",
            "--validation-split", "0", "--neighbours", "5", "--out", dir.resolve("bad").toString()},
            "--neighbours needs validation rows");
    }
}
