package simdvae.vae;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import simdvae.core.CounterRng;
import simdvae.core.WorkerPool;
import simdvae.kernels.Kernels;
import simdvae.kernels.ParallelKernels;

/**
 * A variational autoencoder: its {@link Architecture} and its parameters, all in one float buffer. Inference
 * ({@link #encode}, {@link #decode}, {@link #reconstruct}, {@link #sample}, {@link #evaluate}) may run from several
 * threads at once; training goes through a {@link Trainer}, which owns the optimiser state.
 */
public final class Vae {
    private static final long INIT_STREAM = 1L << 40;
    private static final long EVAL_STREAM = 3L << 40;
    private static final long BIAS_STREAM = 5L << 40;
    private static final int INFERENCE_BATCH = 256;

    private final VaeConfig config;
    private final Architecture arch;
    private final float[] params;

    Vae(VaeConfig config, float[] params) {
        this.config = config;
        this.arch = Architecture.of(config);
        if (params.length != arch.parameterCount()) {
            throw new SimdvaeException("parameter count " + params.length + " does not match " + arch + " ("
                    + arch.parameterCount() + ")");
        }
        this.params = params;
    }

    /**
     * A new model, drawn from {@code config.seed()}: Glorot-uniform weights and zero biases (Keras's defaults, the
     * tutorial's), or PyTorch's {@code nn.Linear} defaults (see {@link VaeConfig.Init}).
     */
    public static Vae create(VaeConfig config) {
        Architecture arch = Architecture.of(config);
        float[] p = new float[arch.parameterCount()];
        CounterRng rng = new CounterRng(config.seed());
        int layer = 0;
        for (Dense d : arch.layers()) {
            boolean torch = config.init() == VaeConfig.Init.PYTORCH;
            double limit = torch ? 1 / Math.sqrt(d.in()) : Math.sqrt(6.0 / (d.in() + d.out()));
            for (int i = 0; i < d.in() * d.out(); i++) {
                p[d.weightOffset() + i] = (float) ((2 * rng.uniform(INIT_STREAM + layer, i) - 1) * limit);
            }
            for (int i = 0; torch && i < d.out(); i++) {
                p[d.biasOffset() + i] = (float) ((2 * rng.uniform(BIAS_STREAM + layer, i) - 1) * limit);
            }
            layer++;
        }
        return new Vae(config, p);
    }

    public VaeConfig config() {
        return config;
    }

    public Architecture architecture() {
        return arch;
    }

    /** A copy of the parameters, in {@link Architecture} order. */
    public float[] parameters() {
        return params.clone();
    }

    /** The live buffer, for the trainer. */
    float[] parameterBuffer() {
        return params;
    }

    /** SHA-256 of the parameters as little-endian IEEE floats: equal hashes, bit-identical models. */
    public String parametersSha256() {
        ByteBuffer bytes = ByteBuffer.allocate(params.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(params);
        return ModelFile.sha256Hex(bytes.array());
    }

    /** μ and log σ² of each row. */
    public record Encoding(float[][] mu, float[][] logVar) {
    }

    /** Encodes rows of {@code input} values in [0, 1]. */
    public Encoding encode(float[][] x) {
        return encode(Dataset.of(x));
    }

    /** Encodes every row of a data set. */
    public Encoding encode(Dataset data) {
        checkFeatures(data);
        int k = arch.latent();
        float[][] mu = new float[data.size()][k];
        float[][] logVar = new float[data.size()][k];
        try (Inference inf = new Inference()) {
            for (int start = 0; start < data.size(); start += INFERENCE_BATCH) {
                int b = Math.min(INFERENCE_BATCH, data.size() - start);
                inf.load(data, start, b);
                inf.ws.encode(inf.kernels, params, b);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(inf.ws.head, r * 2 * k, mu[start + r], 0, k);
                    System.arraycopy(inf.ws.head, r * 2 * k + k, logVar[start + r], 0, k);
                }
            }
        }
        return new Encoding(mu, logVar);
    }

    /** Decodes latent vectors to pixel probabilities (sigmoid of the decoder's logits). */
    public float[][] decode(float[][] z) {
        int k = arch.latent();
        float[][] out = new float[z.length][arch.input()];
        try (Inference inf = new Inference()) {
            for (int start = 0; start < z.length; start += INFERENCE_BATCH) {
                int b = Math.min(INFERENCE_BATCH, z.length - start);
                for (int r = 0; r < b; r++) {
                    if (z[start + r].length != k) {
                        throw new SimdvaeException("latent vector " + (start + r) + " has " + z[start + r].length
                                + " values, the model's latent size is " + k);
                    }
                    System.arraycopy(z[start + r], 0, inf.ws.z, r * k, k);
                }
                inf.ws.decode(inf.kernels, params, b);
                inf.kernels.sigmoid(inf.ws.logits, 0, inf.ws.logits, 0, b * arch.input());
                for (int r = 0; r < b; r++) {
                    System.arraycopy(inf.ws.logits, r * arch.input(), out[start + r], 0, arch.input());
                }
            }
        }
        return out;
    }

    /** Decodes each row's μ: the model's reconstruction of its input. */
    public float[][] reconstruct(float[][] x) {
        return decode(encode(x).mu());
    }

    /** New images from z ~ N(0, I), drawn from {@code seed}. */
    public float[][] sample(int n, long seed) {
        if (n < 1) {
            throw new SimdvaeException("number of samples must be at least 1, got " + n);
        }
        CounterRng rng = new CounterRng(seed);
        float[][] z = new float[n][arch.latent()];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < arch.latent(); q++) {
                z[i][q] = (float) rng.normal(0, (long) i * arch.latent() + q);
            }
        }
        return decode(z);
    }

    /**
     * Mean per-sample loss (negative ELBO: BCE summed over pixels + KL) on a data set: {@code sampled} with one z
     * drawn per sample (seeded, so repeatable), {@code atMean} with z = μ.
     */
    public record Evaluation(double sampled, double atMean) {
    }

    public Evaluation evaluate(Dataset data) {
        checkFeatures(data);
        int k = arch.latent();
        double sampled = 0;
        double atMean = 0;
        CounterRng rng = new CounterRng(config.seed());
        try (Inference inf = new Inference()) {
            Workspace ws = inf.ws;
            for (int start = 0; start < data.size(); start += INFERENCE_BATCH) {
                int b = Math.min(INFERENCE_BATCH, data.size() - start);
                inf.load(data, start, b);
                ws.encode(inf.kernels, params, b);
                for (int i = 0; i < b * k; i++) {
                    ws.eps[i] = (float) rng.normal(EVAL_STREAM, (long) start * k + i);
                }
                Reparameterization.forward(b, k, ws.head, ws.eps, ws.z);
                ws.decode(inf.kernels, params, b);
                sampled += ws.loss(inf.kernels, b, 1f);
                for (int r = 0; r < b; r++) {
                    System.arraycopy(ws.head, r * 2 * k, ws.z, r * k, k);
                }
                ws.decode(inf.kernels, params, b);
                atMean += ws.loss(inf.kernels, b, 1f);
            }
        }
        return new Evaluation(sampled / data.size(), atMean / data.size());
    }

    /** Writes the model file (see {@link ModelFile}); atomically replaces {@code file}. */
    public void save(Path file) {
        ModelFile.write(file, this);
    }

    /** Reads a model file written by {@link #save}. */
    public static Vae load(Path file) {
        return ModelFile.read(file);
    }

    private void checkFeatures(Dataset data) {
        if (data.size() == 0) {
            throw new SimdvaeException("the data set is empty");
        }
        if (data.features() != arch.input()) {
            throw new SimdvaeException("the data has " + data.features() + " values per row, the model expects "
                    + arch.input());
        }
    }

    /** Single-threaded buffers for one inference call, so concurrent calls share nothing. */
    private final class Inference implements AutoCloseable {
        final WorkerPool pool = new WorkerPool(1);
        final ParallelKernels kernels = new ParallelKernels(Kernels.of(config.width()), pool);
        final Workspace ws = new Workspace(arch, INFERENCE_BATCH);

        void load(Dataset data, int start, int b) {
            for (int r = 0; r < b; r++) {
                data.copyRow(start + r, ws.x, r * arch.input());
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
