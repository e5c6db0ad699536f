package simdvae.vae.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.core.SimdvaeException;
import simdvae.vae.decide.DriftReference;

/** A reference's drift summaries read back from their bytes as they were written, and damage refused in one line. */
class DriftSectionTest {
    /** A reference of 500 rows: a numeric column with missing cells, a categorical one of 4 levels, nats for each. */
    static DriftReference reference() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 500;
        double[] scores = new double[n];
        float[][] values = new float[2][n];
        float[][] nats = new float[2][n];
        for (int i = 0; i < n; i++) {
            scores[i] = r.nextGaussian() * 5 + 20;
            values[0][i] = r.nextInt(10) == 0 ? Float.NaN : (float) r.nextGaussian();
            values[1][i] = r.nextInt(4);
            nats[0][i] = (float) Math.abs(r.nextGaussian());
            nats[1][i] = (float) Math.abs(r.nextGaussian());
        }
        return DriftReference.of(scores, values, new boolean[] {false, true}, new int[] {0, 4}, nats);
    }

    @Test
    void theSummariesReadBackAsWritten() throws IOException {
        DriftReference ref = reference();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DriftSection.write(new DataOutputStream(bytes), ref);
        ByteBuffer in = ByteBuffer.wrap(bytes.toByteArray());
        assertEquals(ref, DriftSection.read(in, ref.scores(), "m.svae"));
        assertTrue(!in.hasRemaining(), "the section ends where it was written to end");
    }

    @Test
    void aDamagedSizeIsRefusedInOneLine() throws IOException {
        DriftReference ref = reference();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DriftSection.write(new DataOutputStream(bytes), ref);
        byte[] damaged = bytes.toByteArray();
        damaged[0] = 0x7f; // the column count
        SimdvaeException e = assertThrows(SimdvaeException.class,
                () -> DriftSection.read(ByteBuffer.wrap(damaged), ref.scores(), "m.svae"));
        assertTrue(e.getMessage().startsWith("m.svae is damaged") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
