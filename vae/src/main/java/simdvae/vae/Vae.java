package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import simdvae.core.CounterRng;
import simdvae.core.Width;

/**
 * A variational autoencoder: its {@link Architecture}, its parameters (all in one float buffer), its likelihood and
 * what it knows of its input columns ({@link Features}: names and the scaling fitted on the training data).
 * Inference ({@link #encode}, {@link #decode}, {@link #reconstruct}, {@link #sample}, {@link #evaluate},
 * {@link #score}, {@link #logLikelihood}) takes raw rows, may run from several threads at once, and gives the same
 * bits at every width and thread count; training goes through a {@link Trainer}, which owns the optimiser state.
 *
 * <p>This class is the model's public face, long for its documented API; how inference runs (buffers, batches,
 * threads, the passes of each call) lives in {@code Inference}.
 */
public final class Vae {
    private final VaeConfig config;
    private final Architecture arch;
    private final float[] params;
    private volatile Features features;
    private volatile boolean fitted;
    /** What inference does with a level the training rows did not have. */
    private final UnseenLevels unseen;
    /** The scores of the rows the model was calibrated on, or null (set by {@link #calibrate}). */
    private volatile ScoreReference reference;
    /** The outlier decision: a contamination or a threshold in nats (NaN each when not set). */
    private final double contamination;
    private final double threshold;
    /** Hands out inference buffers and spreads a call's rows over the model's threads. */
    private final Inference.Runner inference = new Inference.Runner(this);

    Vae(VaeConfig config, float[] params, Features features, boolean fitted) {
        this(config, params, features, fitted, UnseenLevels.ERROR, null, Double.NaN, Double.NaN);
    }

    private Vae(VaeConfig config, float[] params, Features features, boolean fitted, UnseenLevels unseen,
                ScoreReference reference, double contamination, double threshold) {
        this.config = config;
        this.arch = Architecture.of(config, features);
        if (params.length != arch.parameterCount()) {
            throw new SimdvaeException("parameter count " + params.length + " does not match " + arch + " ("
                    + arch.parameterCount() + ")");
        }
        this.params = params;
        this.features = features;
        this.fitted = fitted;
        this.unseen = unseen;
        this.reference = reference;
        this.contamination = contamination;
        this.threshold = threshold;
    }

    /** A view of this model with other inference settings (everything else shared). */
    private Vae view(VaeConfig c, UnseenLevels u, double cont, double thr) {
        return new Vae(c, params, features, fitted, u, reference, cont, thr);
    }

    /**
     * A new model, drawn from {@code config.seed()}: Glorot-uniform weights and zero biases (Keras's defaults, the
     * tutorial's), or PyTorch's {@code nn.Linear} defaults (see {@link VaeConfig.Init}).
     *
     * @param config the model and run
     * @return the new model
     */
    public static Vae create(VaeConfig config) {
        return new Vae(config, initialParameters(config, Architecture.of(config, Features.identity())),
                Features.identity(), false);
    }

    /**
     * A new table model for rows like {@code data}: its {@link Features} fitted on them first (scaling, and the
     * columns' kinds, levels and gaps), which size its input and output; its parameters drawn as
     * {@link #create(VaeConfig)} draws them. {@code config.input()} is ignored: the table sets it. The model takes
     * numeric and categorical columns and missing cells, in training and in inference; train it on {@code data}.
     *
     * @param config the model and run (its likelihood is the numeric columns')
     * @param data   the training rows
     * @return the new model, fitted
     */
    public static Vae create(VaeConfig config, Dataset data) {
        checkShape(data, data.columns(), "the training data set");
        return create(config, Features.fitted(config, data, true), data.size());
    }

    /**
     * A new table model with features fitted elsewhere ({@link Features#fitted(VaeConfig, Dataset, boolean[])}): as
     * {@link #create(VaeConfig, Dataset)} makes it from {@code rows} training rows.
     *
     * @param config   the model and run
     * @param features a table's fitted features
     * @param rows     the training rows (they set the level {@value Columns#OTHER}'s first bias)
     * @return the new model
     */
    public static Vae create(VaeConfig config, Features features, int rows) {
        if (features.columns() == null) {
            throw new SimdvaeException("these features are not a table's: use Vae.create(config)");
        }
        VaeConfig sized = config.withInput(features.columns().inputWidth());
        Architecture arch = Architecture.of(sized, features);
        float[] p = initialParameters(sized, arch);
        features.columns().prepareOther(arch, p, rows);
        return new Vae(sized, p, features, true);
    }

    /** Glorot-uniform (or PyTorch's) weights, and zero (or PyTorch's) biases, drawn from the seed. */
    private static float[] initialParameters(VaeConfig config, Architecture arch) {
        float[] p = new float[arch.parameterCount()];
        CounterRng rng = new CounterRng(config.seed());
        int layer = 0;
        for (Dense d : arch.layers()) {
            boolean torch = config.init() == VaeConfig.Init.PYTORCH;
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
     * A model of {@code config} with the given parameters (in {@link Architecture} order, not copied) and features,
     * as a trainer that is not ours (data-parallel training, say) produced them.
     *
     * @param config   the model
     * @param params   its parameters
     * @param features its fitted scaling and names
     * @return the model
     */
    public static Vae of(VaeConfig config, float[] params, Features features) {
        return new Vae(config, params, features, true);
    }

    /**
     * The model's configuration.
     *
     * @return the configuration
     */
    public VaeConfig config() {
        return config;
    }

    /**
     * This model running inference at another SIMD width: a view that shares its parameters and features (the results
     * are the same bits; only the speed differs).
     *
     * @param width the width inference runs at
     * @return the view
     */
    public Vae withWidth(Width width) {
        return view(config.withWidth(width), unseen, contamination, threshold);
    }

    /**
     * This model running inference on {@code threads} threads (0: every processor): a view that shares its parameters
     * and features (the results are the same bits; only the speed differs).
     *
     * @param threads threads for inference on many rows
     * @return the view
     */
    public Vae withThreads(int threads) {
        return view(config.withThreads(threads), unseen, contamination, threshold);
    }

    /**
     * This model taking a categorical level its training rows did not have as {@code policy} says: refused (the
     * default) or counted as the column's level {@value Columns#OTHER}. A view that shares its parameters.
     *
     * @param policy error or other
     * @return the view
     */
    public Vae withUnseenLevels(UnseenLevels policy) {
        return view(config, java.util.Objects.requireNonNull(policy, "policy"), contamination, threshold);
    }

    /**
     * This model deciding that a row is an outlier when its score is above the threshold that leaves a share
     * {@code contamination} of its reference rows above it ({@link #threshold(double)}): PyOD's contamination. A view;
     * changing the decision needs no retraining, and {@link #save} keeps it as the model's default.
     *
     * @param contamination the expected share of outliers, in (0, 0.5]
     * @return the view
     * @throws SimdvaeException for a contamination outside (0, 0.5]
     */
    public Vae withContamination(double contamination) {
        ScoreReference.checkContamination(contamination);
        return view(config, unseen, contamination, Double.NaN);
    }

    /**
     * This model deciding that a row is an outlier when its score is above {@code nats}. A view; {@link #save} keeps
     * it as the model's default.
     *
     * @param nats the threshold on the score
     * @return the view
     * @throws SimdvaeException for a threshold that is not finite
     */
    public Vae withThreshold(double nats) {
        ScoreReference.checkThreshold(nats);
        return view(config, unseen, Double.NaN, nats);
    }

    /**
     * This model with no outlier decision (scores and percentiles only). A view.
     *
     * @return the view
     */
    public Vae withoutDecision() {
        return view(config, unseen, Double.NaN, Double.NaN);
    }

    /**
     * Computes the model's reference distribution from {@code rows} (typically normal rows it did not train on): their
     * scores, which make {@link Scores#percentile} and {@link #threshold(double)}, and their columns' typical values.
     * The trainer calls it after training with its validation rows, else its training rows. Views made after this call
     * share the reference; a level the rows hold that training did not counts as {@value Columns#OTHER}.
     *
     * @param rows the reference rows
     * @return this model
     */
    public Vae calibrate(Dataset rows) {
        return calibrate(rows, "calibration");
    }

    /**
     * {@link #calibrate(Dataset)}, naming the rows for reports ({@code "training"}, {@code "validation"}, …).
     *
     * @param rows   the reference rows
     * @param source what they are
     * @return this model
     */
    public Vae calibrate(Dataset rows, String source) {
        checkFeatures(rows);
        reference = Calibration.reference(withUnseenLevels(UnseenLevels.OTHER), rows, source);
        return this;
    }

    /** Sets a reference read from a model file. */
    void setReference(ScoreReference r) {
        reference = r;
    }

    /**
     * The reference distribution of scores, or null when the model has none (not calibrated, or a model file of a
     * format before 4).
     *
     * @return the reference, or null
     */
    public ScoreReference reference() {
        return reference;
    }

    /**
     * The score above which a share {@code contamination} of the reference rows lies (see
     * {@link ScoreReference#threshold}).
     *
     * @param contamination the expected share of outliers, in (0, 0.5]
     * @return the threshold, nats
     * @throws SimdvaeException when the model has no reference, or for a contamination outside (0, 0.5]
     */
    public double threshold(double contamination) {
        ScoreReference.checkContamination(contamination);
        return requireReference().threshold(contamination);
    }

    /**
     * The threshold this model decides with: its own, or its contamination's; NaN when it has no decision.
     *
     * @return the threshold, nats, or NaN
     */
    public double threshold() {
        if (!Double.isNaN(threshold)) {
            return threshold;
        }
        return Double.isNaN(contamination) ? Double.NaN : threshold(contamination);
    }

    /**
     * {@link #threshold()} for the negative ELBO at z = μ ({@link Embedding#score()}, Spark's score): the same
     * threshold when it was given in nats, else its contamination's for that score.
     *
     * @return the threshold, nats, or NaN
     */
    public double thresholdAtMean() {
        if (!Double.isNaN(threshold)) {
            return threshold;
        }
        if (Double.isNaN(contamination)) {
            return Double.NaN;
        }
        return requireReference().thresholdAtMean(contamination);
    }

    /**
     * The contamination this model decides with, or NaN when it has none (no decision, or a threshold in nats).
     *
     * @return the contamination, or NaN
     */
    public double contamination() {
        return contamination;
    }

    /** The decision as set, for the model file: the threshold in nats (NaN when it is by contamination, or none). */
    double fixedThreshold() {
        return threshold;
    }

    private ScoreReference requireReference() {
        ScoreReference r = reference;
        if (r == null) {
            throw new SimdvaeException("this model has no reference scores (a model of an earlier format, or not"
                    + " trained by simdvae's Trainer): calibrate it on normal rows first (Vae.calibrate, or train again)");
        }
        return r;
    }

    /** What inference does with an unseen level. */
    UnseenLevels unseenLevels() {
        return unseen;
    }

    /**
     * Columns of the data the model takes: a table's columns, or a plain model's input width.
     *
     * @return the row length of its data
     */
    public int dataColumns() {
        Columns c = features.columns();
        return c != null ? c.count() : arch.input();
    }

    /**
     * The architecture.
     *
     * @return the layers and the parameter layout
     */
    public Architecture architecture() {
        return arch;
    }

    /**
     * A copy of the parameters, in {@link Architecture} order.
     *
     * @return the copy
     */
    public float[] parameters() {
        return params.clone();
    }

    /** The live buffer, for the trainer. */
    float[] parameterBuffer() {
        return params;
    }

    /**
     * The decoder's distribution.
     *
     * @return Bernoulli or Gaussian
     */
    public Likelihood likelihood() {
        return config.likelihood();
    }

    /**
     * Column names and the fitted scaling (no names and no scaling before the first training).
     *
     * @return the features
     */
    public Features features() {
        return features;
    }

    /** Fits the scaling and takes the column names from the first training data; later calls change nothing. */
    synchronized Features fitTo(Dataset data) {
        if (!fitted) {
            Features f = Features.fitted(config, data, false);
            if (f.columns() != null) {
                throw new SimdvaeException("the training data has " + (categorical(data) ? "categorical columns"
                        : "missing cells") + ": make the model from it, Vae.create(config, data), so that it takes"
                        + " them");
            }
            features = f;
            fitted = true;
        }
        return features;
    }

    private static boolean categorical(Dataset data) {
        for (int j = 0; j < data.columns(); j++) {
            if (data.kind(j) == Dataset.Kind.CATEGORICAL) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #fitTo} has run (a loaded or resumed model counts as fitted). */
    boolean fitted() {
        return fitted;
    }

    /**
     * SHA-256 of the parameters as little-endian IEEE floats: equal hashes, bit-identical models.
     *
     * @return 64 hex digits
     */
    public String parametersSha256() {
        ByteBuffer bytes = ByteBuffer.allocate(params.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(params);
        return ModelFile.sha256Hex(bytes.array());
    }

    /**
     * μ and log σ² of each row.
     *
     * @param mu     a latent-size row per input row
     * @param logVar likewise
     */
    public record Encoding(float[][] mu, float[][] logVar) {
    }

    /**
     * Encodes raw rows (scaled as the model was fitted; values in [0, 1] for an unscaled Bernoulli model).
     *
     * @param x the rows
     * @return μ and log σ² of each
     */
    public Encoding encode(float[][] x) {
        return encode(Dataset.of(x));
    }

    /**
     * Encodes every row of a data set.
     *
     * @param data the rows
     * @return μ and log σ² of each
     */
    public Encoding encode(Dataset data) {
        checkFeatures(data);
        return inference.encode(data);
    }

    /**
     * Decodes latent vectors to the decoder's mean in the data's units: pixel probabilities for a Bernoulli model
     * (unscaled if it was fitted with min-max scaling), the Gaussian's mean for a Gaussian one; for a table, one
     * value a column, a categorical column's most probable level as its index in {@link Columns#levels(int)}.
     *
     * @param z latent vectors
     * @return the decoder's mean for each, in the data's units
     */
    public float[][] decode(float[][] z) {
        checkLatent(z);
        return inference.decode(z, false);
    }

    /**
     * The Gaussian decoder's log-variance per feature (log σ², in the data's units: the model's log σ² plus twice the
     * log of the feature's scale). A Bernoulli model has none.
     *
     * @param z latent vectors
     * @return log σ² per feature for each, in the data's units
     */
    public float[][] decodeLogVar(float[][] z) {
        if (!config.likelihood().hasVariance()) {
            throw new SimdvaeException("a " + config.likelihood().label() + " model has no output log-variance");
        }
        checkLatent(z);
        return inference.decode(z, true);
    }

    private void checkLatent(float[][] z) {
        for (int i = 0; i < z.length; i++) {
            if (z[i].length != arch.latent()) {
                throw new SimdvaeException("latent vector " + i + " has " + z[i].length
                        + " values, the model's latent size is " + arch.latent());
            }
        }
    }


    /**
     * Decodes each row's μ: the model's reconstruction of its input, in the input's units.
     *
     * @param x the rows
     * @return their reconstructions
     */
    public float[][] reconstruct(float[][] x) {
        return decode(encode(x).mu());
    }

    /**
     * {@link #reconstruct(float[][])} of every row of a data set.
     *
     * @param data the rows
     * @return their reconstructions
     */
    public float[][] reconstruct(Dataset data) {
        return decode(encode(data).mu());
    }

    /**
     * New rows from z ~ N(0, I), drawn from {@code seed}: the decoder's mean (see {@link #decode}).
     *
     * @param n    how many
     * @param seed the draws' seed
     * @return the new rows
     */
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
     * Mean per-sample loss (the negative ELBO: the reconstruction's negative log-likelihood + KL, in nats) on a data
     * set.
     *
     * @param sampled with one z drawn per sample (seeded, so repeatable)
     * @param atMean  with z = μ
     */
    public record Evaluation(double sampled, double atMean) {
    }

    /**
     * The mean per-sample loss on a data set.
     *
     * @param data the rows
     * @return the mean losses
     */
    public Evaluation evaluate(Dataset data) {
        Inference.Runner.RowLosses l = rowLosses(data);
        double sampled = 0;
        double atMean = 0;
        for (int i = 0; i < data.size(); i++) {
            sampled += l.sampled()[i];
            atMean += l.atMean()[i];
        }
        return new Evaluation(sampled / data.size(), atMean / data.size());
    }

    /**
     * Per-row scores, in nats, for anomaly detection: higher is more anomalous.
     *
     * @param negativeElbo   the negative ELBO with one z ~ q(z|x) drawn per row (seeded: row i of a data set always
     *                       gets the same draw), as in {@link #evaluate}
     * @param reconstruction the reconstruction's negative log-likelihood −log p(x|z) at z = μ
     * @param kl             KL(q(z|x) ‖ N(0, I))
     * @param percentiles    each score's percentile among the reference rows' (0 to 100), or null when the model has
     *                       no reference
     * @param threshold      the threshold the model decided with (nats), or NaN when it has no decision
     * @param perColumn      each row's reconstruction term per column, nats, at z = μ (they add up to
     *                       {@code reconstruction}, to rounding; a categorical column's levels in one number, a missing
     *                       cell at its expected cost), or null unless asked for
     */
    public record Scores(double[] negativeElbo, double[] reconstruction, double[] kl, double[] percentiles,
                         double threshold, float[][] perColumn) {
        /**
         * Row {@code i}'s percentile among the reference rows' scores.
         *
         * @param i the row
         * @return 0 to 100
         * @throws SimdvaeException when the model had no reference
         */
        public double percentile(int i) {
            if (percentiles == null) {
                throw new SimdvaeException("no percentiles: the model has no reference scores");
            }
            return percentiles[i];
        }

        /**
         * Whether row {@code i} is an outlier: its score above the model's threshold.
         *
         * @param i the row
         * @return whether it is an outlier
         * @throws SimdvaeException when the model had no decision (set a contamination or a threshold)
         */
        public boolean outlier(int i) {
            if (Double.isNaN(threshold)) {
                throw new SimdvaeException("no outlier decision: give the model a contamination or a threshold"
                        + " (Vae.withContamination, Vae.withThreshold; train --contamination)");
            }
            return negativeElbo[i] > threshold;
        }
    }

    /**
     * {@link Scores} of every row of {@code data} (raw rows, scaled as the model was fitted).
     *
     * @param data the rows
     * @return the scores, per row
     */
    public Scores score(Dataset data) {
        return score(data, false);
    }

    /**
     * {@link #score(Dataset)}, with each row's reconstruction term per column when {@code perColumn}: which column
     * made a row's score.
     *
     * @param data      the rows
     * @param perColumn whether to fill {@link Scores#perColumn()}
     * @return the scores, per row
     */
    public Scores score(Dataset data, boolean perColumn) {
        checkFeatures(data);
        Inference.Runner.RowLosses l = inference.rowLosses(data, perColumn);
        double[] recon = new double[data.size()];
        for (int i = 0; i < recon.length; i++) {
            recon[i] = (double) l.atMean()[i] - l.kl()[i];
        }
        double[] elbo = toDouble(l.sampled());
        ScoreReference r = reference;
        double[] percentiles = null;
        if (r != null) {
            percentiles = new double[elbo.length];
            for (int i = 0; i < elbo.length; i++) {
                percentiles[i] = r.percentile(elbo[i]);
            }
        }
        return new Scores(elbo, recon, toDouble(l.kl()), percentiles, threshold(), l.terms());
    }

    /**
     * What an embedding application keeps of each row: μ, log σ² and a score that depends on the row alone, the
     * negative ELBO at z = μ (nats; {@link Scores#reconstruction()} + {@link Scores#kl()} of {@link #score}, the
     * same bits). One encoder and one decoder pass.
     *
     * @param mu        μ of each row
     * @param logVar    log σ² of each row
     * @param score     the negative ELBO at z = μ of each row, nats
     * @param perColumn each row's reconstruction term per column, nats (as {@link Scores#perColumn()}), or null
     *                  unless asked for
     */
    public record Embedding(float[][] mu, float[][] logVar, double[] score, float[][] perColumn) {
    }

    /**
     * {@link Embedding} of every row of {@code data} (raw rows, scaled as the model was fitted).
     *
     * @param data the rows
     * @return the embedding, per row
     */
    public Embedding embed(Dataset data) {
        return embed(data, false);
    }

    /**
     * {@link #embed(Dataset)}, with each row's reconstruction term per column when {@code perColumn}.
     *
     * @param data      the rows
     * @param perColumn whether to fill {@link Embedding#perColumn()}
     * @return the embedding, per row
     */
    public Embedding embed(Dataset data, boolean perColumn) {
        checkFeatures(data);
        return inference.embed(data, perColumn);
    }



    /**
     * The importance-weighted estimate of log p(x) for every row (Burda et al., the metric VAE papers report): {@code
     * log (1/k) Σ_s p(x|z_s)·p(z_s)/q(z_s|x)} over {@code samples} draws z_s ~ q(z|x), in nats. The draws are seeded
     * per row and sample, and the log-mean-exp runs in double in sample order, so the result is the same at every
     * width and thread count. With k = 1 it is a one-sample ELBO; it rises towards log p(x) as k grows. Costs {@code
     * samples} decoder passes per row.
     *
     * @param data    the rows
     * @param samples importance samples a row, at least 1
     * @return log p(x) estimated for each row, nats
     */
    public double[] logLikelihood(Dataset data, int samples) {
        if (samples < 1) {
            throw new SimdvaeException("the number of importance samples must be at least 1, got " + samples);
        }
        checkFeatures(data);
        return inference.logLikelihood(data, samples);
    }

    /** Per row, the loss with a sampled z, at z = μ, and the KL term. */
    Inference.Runner.RowLosses rowLosses(Dataset data) {
        checkFeatures(data);
        return inference.rowLosses(data, false);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /**
     * Writes the model file (see {@link ModelFile}); atomically replaces {@code file}.
     *
     * @param file where
     */
    public void save(Path file) {
        ModelFile.write(file, this);
    }

    /**
     * The model file's bytes (what {@link #save} writes), to ship a model without a file system.
     *
     * @return the bytes
     */
    public byte[] toBytes() {
        return ModelFile.bytes(this);
    }

    /**
     * A model from {@link #toBytes}; {@code name} says where the bytes came from in error messages.
     *
     * @param bytes a model file's bytes
     * @param name  what to call them in messages
     * @return the model
     */
    public static Vae fromBytes(byte[] bytes, String name) {
        return ModelFile.parse(bytes, name);
    }

    /**
     * Reads a model file written by {@link #save}.
     *
     * @param file the model file
     * @return the model
     */
    public static Vae load(Path file) {
        return ModelFile.read(file);
    }

    private void checkFeatures(Dataset data) {
        checkShape(data, dataColumns(), "the data set");
    }

    /**
     * The one check of a data set against a model: not empty, and as many values a row as the model's input.
     *
     * @param data  the data
     * @param input the model's input width
     * @param what  what the data is, for the message ("the training data set")
     * @throws SimdvaeException naming {@code what} when the data does not fit
     */
    public static void checkShape(Dataset data, int input, String what) {
        if (data.size() == 0) {
            throw new SimdvaeException(what + " is empty");
        }
        if (data.columns() != input) {
            throw new SimdvaeException(what + " has " + data.columns() + " values a row, the model expects " + input);
        }
    }
}
