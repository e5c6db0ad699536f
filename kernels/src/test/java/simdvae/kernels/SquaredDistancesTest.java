package simdvae.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import simdvae.core.Width;

class SquaredDistancesTest {
    @Test
    void everyWidthEqualsTheReferenceWhichIsTheSumInColumnOrder() {
        SeededCases.check(80, TestSupport.size(300), TestSupport.size(90), (count, width, r) -> {
            int stride = count + r.nextInt(9);
            int xOff = r.nextInt(4);
            int pOff = r.nextInt(5);
            double[] points = new double[pOff + Math.max(1, width) * stride];
            for (int i = 0; i < points.length; i++) {
                points[i] = (float) (r.nextGaussian() * 3); // values a float row holds, as the kept rows are
            }
            float[] x = TestSupport.gaussian(r, xOff + width, 3);
            double[] expected = new double[count + 3];
            SquaredDistancesScalar.INSTANCE.squaredDistances(points, pOff, count, stride, width, x, xOff, expected);
            for (int p = 0; p < count; p++) {
                double s = 0;
                for (int j = 0; j < width; j++) {
                    double d = (double) x[xOff + j] - points[pOff + j * stride + p];
                    s += d * d;
                }
                assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(expected[p]), "point " + p);
            }
            for (Width w : TestSupport.allWidths()) {
                double[] got = new double[count + 3];
                Arrays.fill(got, -1);
                Kernels.of(w).squaredDistances().squaredDistances(points, pOff, count, stride, width, x, xOff, got);
                for (int p = 0; p < count; p++) {
                    assertEquals(Double.doubleToRawLongBits(expected[p]), Double.doubleToRawLongBits(got[p]),
                            "point " + p + " of " + count + " at " + w);
                }
                for (int p = count; p < got.length; p++) {
                    assertEquals(-1, got[p], "nothing written past the points at " + w);
                }
            }
        });
    }

    @Test
    void aDistanceIsZeroToItselfAndPositiveElsewhere() {
        int width = 5;
        int count = 37;
        double[] points = new double[width * count];
        for (int i = 0; i < points.length; i++) {
            points[i] = i % 11;
        }
        float[] x = new float[width];
        for (int j = 0; j < width; j++) {
            x[j] = (float) points[j * count + 20];
        }
        for (Width w : TestSupport.allWidths()) {
            double[] out = new double[count];
            Kernels.of(w).squaredDistances().squaredDistances(points, 0, count, count, width, x, 0, out);
            assertEquals(0.0, out[20], "at " + w);
            for (int p = 0; p < count; p++) {
                assertTrue(out[p] >= 0, "at " + w);
            }
        }
    }

    @Test
    void pointsTooShortForTheirColumnsAreRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> SquaredDistancesScalar.INSTANCE.squaredDistances(
                new double[10], 0, 4, 4, 3, new float[3], 0, new double[4]));
        assertThrows(IllegalArgumentException.class, () -> SquaredDistancesScalar.INSTANCE.squaredDistances(
                new double[10], 0, 4, 3, 2, new float[2], 0, new double[4]));
    }
}
