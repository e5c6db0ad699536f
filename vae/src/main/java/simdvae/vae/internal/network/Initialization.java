package simdvae.vae.internal.network;

import java.util.Arrays;
import simdvae.core.CounterRng;
import simdvae.kernels.LossLayout;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.Dense;
import simdvae.vae.model.Init;
import simdvae.vae.model.RngStreams;
import simdvae.vae.table.Schema;

/** A new model's first parameters: drawn from its seed, then, for a table, its {@value Schema#OTHER} levels set. */
public final class Initialization {
    private Initialization() {
    }

    /**
     * Glorot-uniform weights and zero biases (Keras's defaults, the tutorial's), or PyTorch's {@code nn.Linear}
     * defaults, U(±1/√in) weights and biases, drawn from {@code seed}: each layer's weights from their own stream.
     *
     * @param arch the layers
     * @param init which defaults
     * @param seed the seed
     * @return the parameters, in {@link Architecture} order
     */
    public static float[] draw(Architecture arch, Init init, long seed) {
        float[] p = new float[arch.parameterCount()];
        CounterRng rng = new CounterRng(seed);
        boolean torch = init == Init.PYTORCH;
        int layer = 0;
        for (Dense d : arch.layers()) {
            double limit = torch ? 1 / Math.sqrt(d.in()) : Math.sqrt(6.0 / (d.in() + d.out()));
            for (int i = 0; i < d.in() * d.out(); i++) {
                p[d.weightOffset() + i] = (float) ((2 * rng.uniform(RngStreams.INIT + layer, i) - 1) * limit);
            }
            for (int i = 0; torch && i < d.out(); i++) {
                p[d.biasOffset() + i] = (float) ((2 * rng.uniform(RngStreams.BIAS + layer, i) - 1) * limit);
            }
            layer++;
        }
        return p;
    }

    /**
     * Sets the first parameters of every {@value Schema#OTHER} level, which training never sees and so never
     * moves: its output logit's bias to −log(rows + 1), the chance the training rows give a level they never showed
     * (an unseen level then costs about log(rows) nats), and its encoder weights to 0, so that the encoder takes it
     * as it takes a missing cell.
     *
     * @param columns the table's columns
     * @param arch    the layers
     * @param params  the parameters, changed in place
     * @param rows    the training rows
     */
    public static void prepareOther(Schema columns, Architecture arch, float[] params, int rows) {
        Dense first = arch.encoder().get(0);
        Dense out = arch.output();
        LossLayout layout = columns.layout();
        int numerics = layout.gaussian() + layout.bernoulli();
        for (int j = 0; j < columns.count(); j++) {
            if (columns.kind(j) == Dataset.Kind.CATEGORICAL) {
                int other = columns.input(j) + columns.levels(j).size() - 1;
                Arrays.fill(params, first.weightOffset() + other * first.out(),
                        first.weightOffset() + (other + 1) * first.out(), 0f);
                int c = columns.group(j) - numerics;
                params[out.biasOffset() + layout.logitStart(c) + layout.levels(c) - 1] = (float) -Math.log(rows + 1.0);
            }
        }
    }
}
