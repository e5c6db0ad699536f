package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import simdvae.core.BitEquality;
import simdvae.core.Width;

class ReluTest {
    static final float[] EDGES = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f};

    static float[] data(SplittableRandom r, int n) {
        float[] x = TestSupport.gaussian(r, n, 1);
        for (int i = 0; i < n; i += 1 + r.nextInt(8)) {
            x[i] = EDGES[r.nextInt(EDGES.length)];
        }
        return x;
    }

    @Test
    void referenceSemantics() {
        float[] x = {-2f, -0f, 0f, 3f, Float.NaN};
        float[] y = new float[5];
        ReluScalar.INSTANCE.forward(x, 0, y, 0, 5);
        assertEquals(0f, y[0]);
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(y[1]), "max(-0, 0) is +0");
        assertEquals(3f, y[3]);
        assertTrue(Float.isNaN(y[4]), "NaN propagates forward");
        float[] dy = {5f, 5f, 5f, 5f, 5f};
        float[] dx = new float[5];
        ReluScalar.INSTANCE.backward(y, 0, dy, 0, dx, 0, 5);
        BitEquality.require(new float[] {0f, 0f, 0f, 5f, 0f}, dx, "backward masks by y > 0");
    }

    @Test
    void everyWidthEqualsTheScalarReferenceBitForBit() {
        TestSupport.requireVectorWidth();
        SeededCases.check(200, TestSupport.size(2000), integers().between(0, 9), (n, off, r) -> {
            float[] x = data(r, off + n);
            float[] dy = data(r, off + n);
            float[] y = new float[off + n];
            float[] dx = new float[off + n];
            ReluScalar.INSTANCE.forward(x, off, y, off, n);
            ReluScalar.INSTANCE.backward(x, off, dy, off, dx, off, n);
            for (Width w : TestSupport.vectorWidths()) {
                float[] yv = new float[off + n];
                float[] dxv = new float[off + n];
                Kernels.of(w).relu().forward(x, off, yv, off, n);
                Kernels.of(w).relu().backward(x, off, dy, off, dxv, off, n);
                BitEquality.require(y, yv, "relu forward " + w);
                BitEquality.require(dx, dxv, "relu backward " + w);
            }
        });
    }
}
