package simdvae.vae;

import simdvae.core.CounterRng;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.DriftCounts;
import simdvae.vae.decide.DriftReport;
import simdvae.vae.decide.NeighbourTerm;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.internal.network.DriftPass;
import simdvae.vae.internal.network.EnsembleEmbedding;
import simdvae.vae.internal.network.Inference;
import simdvae.vae.internal.network.Initialization;
import simdvae.vae.internal.network.NeighbourPass;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.RngStreams;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;
import simdvae.vae.table.UnseenLevels;

/**
 * A variational autoencoder: its {@link Architecture}, its parameters (all in one float buffer), its likelihood and
 * what it knows of its input columns ({@link Features}: names and the scaling fitted on the training data).
 * Inference ({@link #encode}, {@link #decode}, {@link #reconstruct}, {@link #sample}, {@link #evaluate},
 * {@link #score}, {@link #embed}, {@link #logLikelihood}) takes raw rows, may run from several threads at once, and
 * gives the same bits at every width and thread count; training goes through a {@link Trainer}, which owns the
 * optimiser state.
 *
 * <p>An <em>ensemble</em> ({@link VaeConfig#withEnsemble}) is one {@code Vae} of several {@linkplain #member members}
 * trained on the same rows with different seeds: they share the fitted features and the configuration but the seed.
 * Its {@link #score}, {@link #evaluate} and {@link #logLikelihood} are the members' mean (so are its reference,
 * percentiles, p-values, decisions and drift, made from those means); {@link #encode}, {@link #decode},
 * {@link #reconstruct}, {@link #sample}, {@link #parameters} and the latents of {@link #embed} are member 0's.
 *
 * <p>The {@code with…} methods and {@link #calibrate} return <em>views</em>: models that share this one's parameters
 * and fitted features, with other inference settings, another decision or another reference.
 */
public final class Vae extends VaeParts {
    private Vae(VaeConfig config, float[][] members, Shared fit, UnseenLevels unseen, ScoreReference reference,
                Decision decision) {
        super(config, members, fit, unseen, reference, decision);
    }

    /** A model with no reference and no decision; one float array a member. */
    Vae(VaeConfig config, float[][] members, Features features, boolean fitted) {
        this(config, members, new Shared(features, fitted, null), UnseenLevels.ERROR, null, Decision.NONE);
    }

    /** A view (see {@link VaeParts#view}). */
    static Vae of(VaeConfig config, float[][] members, Shared fit, UnseenLevels unseen, ScoreReference reference,
                  Decision decision) {
        return new Vae(config, members, fit, unseen, reference, decision);
    }

    /**
     * A new model, drawn from {@code config}'s seed: Glorot-uniform weights and zero biases (Keras's defaults, the
     * tutorial's), or PyTorch's {@code nn.Linear} defaults (see {@link simdvae.vae.model.Init}); an ensemble's
     * members each from its own seed.
     *
     * @param config the model and run
     * @return the new model
     */
    public static Vae create(VaeConfig config) {
        Architecture arch = Architecture.of(config.model(), null);
        float[][] members = new float[config.training().ensemble()][];
        for (int i = 0; i < members.length; i++) {
            members[i] = Initialization.draw(arch, config.model().init(), memberSeed(config, i));
        }
        return new Vae(config, members, Features.identity(), false);
    }

    private static long memberSeed(VaeConfig config, int member) {
        return RngStreams.memberSeed(config.training().seed(), member);
    }

    /**
     * A new table model for rows like {@code data}: its {@link Features} fitted on them first (scaling, and the
     * columns' kinds, levels and missing cells), which size its input and output; its parameters drawn as
     * {@link #create(VaeConfig)} draws them. {@code config}'s input size is ignored: the table sets it. The model
     * takes numeric and categorical columns and missing cells, in training and in inference; train it on
     * {@code data}.
     *
     * @param config the model and run (its likelihood is the numeric columns')
     * @param data   the training rows
     * @return the new model, fitted
     */
    public static Vae create(VaeConfig config, Dataset data) {
        data.requireShape(data.columns(), "the training data set");
        return create(config, Features.fitted(config.model(), data, true), data.size());
    }

    /**
     * A new table model with features fitted elsewhere ({@link Features#fitted(simdvae.vae.model.ModelConfig,
     * Dataset, boolean[])}): as {@link #create(VaeConfig, Dataset)} makes it from {@code rows} training rows.
     *
     * @param config   the model and run
     * @param features a table's fitted features
     * @param rows     the training rows (they set the level {@value Schema#OTHER}'s first bias)
     * @return the new model
     */
    public static Vae create(VaeConfig config, Features features, int rows) {
        if (features.schema() == null) {
            throw new SimdvaeException("these features are not a table's: use Vae.create(config)");
        }
        VaeConfig sized = config.withInput(features.schema().inputWidth());
        Architecture arch = Architecture.of(sized.model(), features.layout());
        float[][] members = new float[sized.training().ensemble()][];
        for (int i = 0; i < members.length; i++) {
            members[i] = Initialization.draw(arch, sized.model().init(), memberSeed(sized, i));
            Initialization.prepareOther(features.schema(), arch, members[i], rows);
        }
        return new Vae(sized, members, features, true);
    }

    /**
     * A model of {@code config} with the given parameters (in {@link Architecture} order, not copied) and features,
     * as a trainer that is not ours (data-parallel training, say) produced them. Inference reads its weights from
     * copies packed at its first call: change {@code params} afterwards through a {@link Trainer} of the model only.
     *
     * @param config   the model
     * @param params   its parameters
     * @param features its fitted scaling and names
     * @return the model
     */
    public static Vae of(VaeConfig config, float[] params, Features features) {
        return new Vae(config, new float[][] {params}, features, true);
    }

    /**
     * An ensemble of {@code config} with each member's parameters (member 0's first, not copied) and the members'
     * features, as a trainer that is not ours produced them (data-parallel training of each member, say).
     *
     * @param config   the ensemble (its {@link simdvae.vae.model.TrainingConfig#ensemble()} the members' count)
     * @param members  each member's parameters
     * @param features their fitted scaling and names
     * @return the model
     */
    public static Vae of(VaeConfig config, float[][] members, Features features) {
        return new Vae(config, members.clone(), features, true);
    }

    /**
     * Encodes raw rows (scaled as the model was fitted; values in [0, 1] for an unscaled Bernoulli model); an
     * ensemble's member 0 encodes.
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
        Inference.Runner.Latents l = inference.encode(data);
        return new Encoding(l.mu(), l.logVar());
    }

    /**
     * Decodes latent vectors to the decoder's mean in the data's units: pixel probabilities for a Bernoulli model
     * (unscaled if it was fitted with min-max scaling), the Gaussian's mean for a Gaussian one; for a table, one
     * value a column, a categorical column's most probable level as its index in {@link Schema#levels(int)}. An
     * ensemble's member 0 decodes.
     *
     * @param z latent vectors
     * @return the decoder's mean for each, in the data's units
     */
    public float[][] decode(float[][] z) {
        return inference.decode(z, false);
    }

    /**
     * The Gaussian decoder's log-variance per feature (log σ², in the data's units: the model's log σ² plus twice the
     * log of the feature's scale; an ensemble's member 0's). A Bernoulli model has none.
     *
     * @param z latent vectors
     * @return log σ² per feature for each, in the data's units
     */
    public float[][] decodeLogVar(float[][] z) {
        if (!likelihood().hasVariance()) {
            throw new SimdvaeException("a " + likelihood().spelling() + " model has no output log-variance");
        }
        return inference.decode(z, true);
    }

    /**
     * Decodes each row's μ: the model's reconstruction of its input, in the input's units (an ensemble's member 0's).
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
     * New rows from z ~ N(0, I), drawn from {@code seed}: the decoder's mean (see {@link #decode}; an ensemble's
     * member 0's).
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
     * The mean per-row loss on a data set (an ensemble's: the mean of its members').
     *
     * @param data the rows
     * @return the mean losses
     */
    public Evaluation evaluate(Dataset data) {
        checkFeatures(data);
        return MemberMeans.evaluate(this, data);
    }

    /**
     * {@link Scores} of every row of {@code data} (raw rows, scaled as the model was fitted); an ensemble's are its
     * members' mean, the percentiles, p-values and outliers read from those means.
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
        return score(data, perColumn, 0);
    }

    /**
     * {@link #score(Dataset, boolean)} of rows that continue a larger set at its row {@code firstRow}: row i gets the
     * seeded draw of z of row {@code firstRow + i}, so a stream scored in pieces gives the bits of the whole. (The
     * anomaly score needs no draw; only {@link Scores#negativeElbo()} does.)
     *
     * @param data      the rows
     * @param perColumn whether to fill {@link Scores#perColumn()}
     * @param firstRow  the index of {@code data}'s first row in the whole
     * @return the scores, per row
     */
    public Scores score(Dataset data, boolean perColumn, long firstRow) {
        checkFeatures(data);
        MemberMeans.RowScores l = MemberMeans.scores(this, data, perColumn, firstRow);
        int n = data.size();
        double[] score = l.score();
        ScoreReference r = reference();
        if (r != null && r.neighbours() != null) {
            NeighbourPass.combine(new VaeView(this), data, score, r.neighbours());
        }
        double[] percentiles = null;
        double[] p = null;
        if (r != null) {
            p = r.scores().pValues(score);
            percentiles = new double[n];
            for (int i = 0; i < n; i++) {
                percentiles[i] = r.scores().percentile(score[i]);
            }
        }
        boolean[] outliers = decision.outliers(score, p, r == null ? null : r.scores());
        return new Scores(score, p, percentiles, outliers, threshold(), l.negativeElbo(), l.reconstruction(), l.kl(),
                l.perColumn());
    }

    /**
     * Tests a batch of rows for drift against the model's reference rows: their scores' distribution (a two-sample
     * Kolmogorov–Smirnov test), and per column its values (numbers binned at the reference's deciles, level
     * frequencies), its missing rate and its nats, with a Holm correction over every test; see
     * {@link DriftReport}. The counts behind it are integers, so the report is the same whatever the batch's order of
     * rows, threads or Spark partitions.
     *
     * @param batch the rows
     * @return the report, columns most shifted first
     * @throws SimdvaeException for an empty batch, other columns, or a model without drift summaries (calibrate it)
     */
    public DriftReport drift(Dataset batch) {
        return DriftReport.of(driftCounts(batch));
    }

    /**
     * The integer counts behind {@link #drift}: for a batch split into parts (Spark partitions, files, hours), each
     * part's counts {@linkplain DriftCounts#merge merge} into the whole batch's, in any order and grouping, and
     * {@link DriftReport#of} of the sum is {@link #drift} of the whole, to the last bit.
     *
     * @param rows a part of the batch (may be empty)
     * @return its counts against the model's reference
     * @throws SimdvaeException for other columns, or a model without drift summaries (calibrate it)
     */
    public DriftCounts driftCounts(Dataset rows) {
        checkFeatures(rows);
        ScoreReference r = reference();
        if (r == null || r.drift() == null) {
            throw new SimdvaeException("this model has no drift reference (a model file of an earlier format, or not"
                    + " calibrated): calibrate it on normal rows first (simdvae calibrate, Vae.calibrate)");
        }
        Vae other = withUnseenLevels(UnseenLevels.OTHER);
        return DriftPass.counts(new VaeView(other), other.runners(), r.drift(), r.neighbours(), rows);
    }

    /**
     * {@link Embedding} of every row of {@code data} (raw rows, scaled as the model was fitted); an ensemble's: member
     * 0's μ and log σ², the members' mean score and per-column nats (as {@link #score} gives them).
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
        Inference.Runner.Embedded e = EnsembleEmbedding.embed(runners(), data, perColumn);
        NeighbourTerm t = neighbours();
        if (t != null) {
            NeighbourPass.combine(new VaeView(this), data, e.score(), t);
        }
        return new Embedding(e.mu(), e.logVar(), e.score(), e.perColumn());
    }

    /**
     * The importance-weighted estimate of log p(x) for every row (Burda et al., the metric VAE papers report): {@code
     * log (1/k) Σ_s p(x|z_s)·p(z_s)/q(z_s|x)} over {@code samples} draws z_s ~ q(z|x), in nats. The draws are seeded
     * per row and sample, and the log-mean-exp runs in double in sample order, so the result is the same at every
     * width and thread count. With k = 1 it is a one-sample ELBO; it rises towards log p(x) as k grows. Costs {@code
     * samples} decoder passes per row (and member: an ensemble's is its members' mean).
     *
     * @param data    the rows
     * @param samples importance samples a row, at least 1
     * @return log p(x) estimated for each row, nats
     */
    public double[] logLikelihood(Dataset data, int samples) {
        return logLikelihood(data, samples, 0);
    }

    /**
     * {@link #logLikelihood(Dataset, int)} of rows that continue a larger set at its row {@code firstRow}: row i
     * gets the draws of row {@code firstRow + i}, so a stream in pieces gives the bits of the whole.
     *
     * @param data     the rows
     * @param samples  importance samples a row, at least 1
     * @param firstRow the index of {@code data}'s first row in the whole
     * @return log p(x) estimated for each row, nats
     */
    public double[] logLikelihood(Dataset data, int samples, long firstRow) {
        if (samples < 1) {
            throw new SimdvaeException("the number of importance samples must be at least 1, got " + samples);
        }
        checkFeatures(data);
        return MemberMeans.logLikelihood(this, data, samples, firstRow);
    }
}
