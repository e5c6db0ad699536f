package example;

import java.util.Arrays;
import simdvae.gradcheck.GradientChecker;

/**
 * The README's gradient-check example: a softsign kernel's backward pass against its definition. The README shows
 * the code between the gradcheck markers exactly (EmbeddingExampleTest checks it); ExamplesTest runs it.
 */
public final class GradientCheckExample {
    private GradientCheckExample() {
    }

    public static void main(String[] args) {
        // gradcheck:start
        double[] x = {0.3, -1.7, 2.5, -0.01};
        GradientChecker.check(x,
                in -> Arrays.stream(in).map(v -> v / (1 + Math.abs(v))).toArray(),   // definition, in double
                (in, dy) -> {                                                         // your kernel's backward, in float
                    float[] dx = new float[in.length];
                    for (int i = 0; i < in.length; i++) {
                        float d = 1 + Math.abs(in[i]);
                        dx[i] = dy[i] / (d * d);
                    }
                    return dx;
                },
                42, GradientChecker.DEFAULT_TOLERANCE).assertPassed();
        // gradcheck:end
        System.out.println("softsign's backward pass agrees with its definition");
    }
}
