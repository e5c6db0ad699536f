package simdvae.vae;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Objects;
import simdvae.core.SimdvaeException;
import simdvae.core.Width;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.NeighbourTerm;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.internal.io.Binary;
import simdvae.vae.internal.io.ModelFile;
import simdvae.vae.internal.io.SavedModel;
import simdvae.vae.internal.network.Inference;
import simdvae.vae.internal.network.ReferencePass;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.RngStreams;
import simdvae.vae.model.TrainingConfig;
import simdvae.vae.table.Schema;
import simdvae.vae.table.Features;
import simdvae.vae.table.UnseenLevels;

/**
 * The half of {@link Vae} that says what a model is: its configuration, architecture, parameters and fitted
 * features, its reference scores and outlier decision, its views and its file. {@link Vae} adds what a model does
 * with rows. Every member documented here is a member of {@link Vae}.
 */
abstract sealed class VaeParts permits Vae {
    final VaeConfig config;
    final Architecture arch;
    /** Member 0's parameters: what encode, decode, sample, embed and export use. */
    final float[] params;
    /** Every member's parameters, member 0's first ({@code params}). */
    final float[][] members;
    /** The members as models of their own (null for one model: it is its own member). */
    private final Vae[] memberModels;
    final Shared fit;
    /** What inference does with a level the training rows did not have. */
    final UnseenLevels unseen;
    /** The scores of the rows the model was calibrated on, or null. */
    final ScoreReference reference;
    final Decision decision;
    /** Hands out inference buffers and spreads a call's rows over the model's threads. */
    final Inference.Runner inference;

    VaeParts(VaeConfig config, float[][] members, Shared fit, UnseenLevels unseen, ScoreReference reference,
             Decision decision) {
        this.config = config;
        this.arch = Architecture.of(config.model(), fit.rows().features().layout());
        if (members.length != config.training().ensemble()) {
            throw new SimdvaeException("an ensemble of " + config.training().ensemble() + " members was given the"
                    + " parameters of " + members.length);
        }
        for (float[] p : members) {
            if (p.length != arch.parameterCount()) {
                throw new SimdvaeException("parameter count " + p.length + " does not match " + arch + " ("
                        + arch.parameterCount() + ")");
            }
        }
        this.params = members[0];
        this.members = members;
        this.fit = fit;
        this.unseen = unseen;
        this.reference = reference;
        this.decision = decision;
        this.inference = new Inference.Runner(new VaeView(this));
        this.memberModels = members.length == 1 ? null : new Vae[members.length];
        for (int i = 0; members.length > 1 && i < members.length; i++) {
            memberModels[i] = member(i, unseen);
        }
    }

    /** A view of this model with other settings (parameters and fitted features shared). */
    Vae view(VaeConfig c, UnseenLevels u, ScoreReference r, Decision d) {
        return Vae.of(c, members, fit, u, r, d);
    }

    /** {@return the ensemble's members: 1 for one model} */
    public int members() {
        return members.length;
    }

    /**
     * Member {@code i} of this ensemble as a model of its own: its parameters (shared, not copied), this model's
     * fitted features, the configuration with the member's seed ({@link simdvae.vae.model.RngStreams#memberSeed}) and
     * an ensemble of 1, no reference and no decision. Member 0 of one model is that model without its reference and
     * decision.
     *
     * @param i the member, from 0
     * @return the member
     */
    public Vae member(int i) {
        if (i < 0 || i >= members.length) {
            throw new SimdvaeException("member " + i + " of an ensemble of " + members.length);
        }
        return member(i, unseen);
    }

    private Vae member(int i, UnseenLevels u) {
        VaeConfig c = config.with(config.training().withSeed(RngStreams.memberSeed(config.training().seed(), i))
                .withEnsemble(1));
        return Vae.of(c, new float[][] {members[i]}, fit.member(i), u, null, Decision.NONE);
    }

    /** The members that score, train and calibrate: this model itself when it is one. */
    Vae memberModel(int i) {
        return memberModels == null ? (Vae) this : memberModels[i];
    }

    /** The members' inference, member 0 first. */
    Inference.Runner[] runners() {
        Inference.Runner[] r = new Inference.Runner[members.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = memberModel(i).inference;
        }
        return r;
    }

    /** {@return the model's configuration} */
    public VaeConfig config() {
        return config;
    }

    /**
     * This model running inference at another SIMD width: a view (the results are the same bits; only the speed
     * differs).
     *
     * @param width the width inference runs at
     * @return the view
     */
    public Vae withWidth(Width width) {
        return view(config.withWidth(width), unseen, reference, decision);
    }

    /**
     * This model running inference on {@code threads} threads (0: every processor): a view (the results are the same
     * bits; only the speed differs).
     *
     * @param threads threads for inference on many rows
     * @return the view
     */
    public Vae withThreads(int threads) {
        return view(config.withThreads(threads), unseen, reference, decision);
    }

    /**
     * This model taking a categorical level its training rows did not have as {@code policy} says: refused (the
     * default) or counted as the column's level {@value Schema#OTHER}. A view.
     *
     * @param policy error or other
     * @return the view
     */
    public Vae withUnseenLevels(UnseenLevels policy) {
        return view(config, Objects.requireNonNull(policy, "policy"), reference, decision);
    }

    /**
     * This model deciding outliers by {@code d}: a view; changing the decision needs no retraining, and
     * {@link #save} keeps it as the model's default.
     *
     * @param d the decision ({@link Decision#NONE} for scores and percentiles only)
     * @return the view
     */
    public Vae withDecision(Decision d) {
        return view(config, unseen, reference, Objects.requireNonNull(d, "decision"));
    }

    /** {@return the outlier decision this model makes} */
    public Decision decision() {
        return decision;
    }

    /**
     * The threshold this model decides with on {@link Scores#score()}: its own, or its contamination's quantile of
     * the reference scores; NaN when it has no decision or decides by a false-discovery rate.
     *
     * @return the threshold, nats, or NaN
     * @throws SimdvaeException for a contamination and no reference scores
     */
    public double threshold() {
        ScoreReference r = reference();
        return decision.threshold(r == null ? null : r.scores());
    }

    /**
     * This model with its reference distribution computed from {@code rows} (typically normal rows it did not train
     * on): their scores, which make {@link Scores#percentile} and a contamination's threshold, and their columns'
     * typical values. A view: this model keeps its own reference. A level the rows hold that training did not counts
     * as {@value Schema#OTHER}.
     *
     * @param rows the reference rows
     * @return the calibrated view
     */
    public Vae calibrate(Dataset rows) {
        return calibrate(rows, "calibration");
    }

    /**
     * {@link #calibrate(Dataset)}, naming the rows for reports ({@code "training"}, {@code "validation"}, …).
     *
     * @param rows   the reference rows
     * @param source what they are
     * @return the calibrated view
     */
    public Vae calibrate(Dataset rows, String source) {
        return view(config, unseen, referenceOf(rows, source), decision);
    }

    /**
     * The reference of {@code rows} under this model (a level training did not have counts as (other)); a hybrid
     * score's kept rows carry over, calibrated anew on these rows.
     */
    ScoreReference referenceOf(Dataset rows, String source) {
        ScoreReference r = reference();
        return referenceOf(rows, source, r == null ? null : r.neighbours());
    }

    /** The reference of {@code rows}, with the hybrid score of {@code kept}'s rows, or the ELBO's when null. */
    ScoreReference referenceOf(Dataset rows, String source, NeighbourTerm kept) {
        checkFeatures(rows);
        Vae other = withUnseenLevels(UnseenLevels.OTHER);
        return ReferencePass.reference(new VaeView(other), other.runners(), rows, source, kept);
    }

    /**
     * The unit of {@link Scores#score}: {@code "nats"} for the negative ELBO at z = μ, {@code "robust sd"} for the
     * hybrid score of a model trained with neighbours (two terms, each in robust standard deviations of the
     * reference rows: {@link NeighbourTerm}).
     *
     * @return the unit, for messages
     */
    public String scoreUnit() {
        return neighbours() != null ? "robust sd" : "nats";
    }

    /**
     * The neighbour half of the model's hybrid score, kept in its reference ({@link ScoreReference#neighbours}).
     *
     * @return the term, or null when the score is the negative ELBO at z = μ alone
     */
    public NeighbourTerm neighbours() {
        ScoreReference r = reference();
        return r == null ? null : r.neighbours();
    }

    /** Makes {@code r} the reference of this model and of every view of it: what its training computed. */
    void trained(ScoreReference r) {
        fit.reference(r);
    }

    /**
     * The reference distribution of scores, or null when the model has none (not calibrated, or a model file of a
     * format before 4).
     *
     * @return the reference, or null
     */
    public ScoreReference reference() {
        return reference != null ? reference : fit.reference();
    }

    /** {@return columns of the data the model takes: a table's columns, or a plain model's input width} */
    public int columnCount() {
        Schema c = features().schema();
        return c != null ? c.count() : arch.input();
    }

    /** {@return the architecture} */
    public Architecture architecture() {
        return arch;
    }

    /** {@return a copy of the parameters in {@link Architecture} order (an ensemble's member 0's: {@link #member})} */
    public float[] parameters() {
        return params.clone();
    }

    /** The live buffer, for the trainer. */
    float[] parameterBuffer() {
        return params;
    }

    /** The fitted features all views share, for the trainer. */
    Shared fitted() {
        return fit;
    }

    /** What inference does with a level training never saw. */
    UnseenLevels unseenLevels() {
        return unseen;
    }

    /** {@return the decoder's distribution} */
    public Likelihood likelihood() {
        return config.model().likelihood();
    }

    /** {@return column names and the fitted scaling (no names and no scaling before the first training)} */
    public Features features() {
        return fit.rows().features();
    }

    /**
     * SHA-256 of the parameters as little-endian IEEE floats, every member's in member order: equal hashes,
     * bit-identical models.
     *
     * @return the hash, in hex
     */
    public String parametersSha256() {
        ByteBuffer bytes = ByteBuffer.allocate(members.length * params.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (float[] p : members) {
            floats.put(p);
        }
        return Binary.sha256Hex(bytes.array());
    }

    /**
     * Writes the model file (format described in the README); atomically replaces {@code file}.
     *
     * @param file where
     */
    public void save(Path file) {
        ModelFile.write(file, saved());
    }

    /** {@return the model file's bytes (what {@link #save} writes), to ship a model without a file system} */
    public byte[] toBytes() {
        return ModelFile.bytes(saved());
    }

    /**
     * A model from {@link #toBytes}; {@code name} says where the bytes came from in error messages.
     *
     * @param bytes a model file's bytes
     * @param name  what to call them in messages
     * @return the model
     */
    public static Vae fromBytes(byte[] bytes, String name) {
        return loaded(ModelFile.parse(bytes, name));
    }

    /**
     * Reads a model file written by {@link #save} (any format version).
     *
     * @param file the model file
     * @return the model
     */
    public static Vae load(Path file) {
        return loaded(ModelFile.read(file));
    }

    private static Vae loaded(SavedModel m) {
        VaeConfig config = VaeConfig.defaults().with(m.model())
                .with(TrainingConfig.defaults().withSeed(m.seed()).withEnsemble(m.members().length));
        return Vae.of(config, m.members(), new Shared(m.features(), true, m.reference()), UnseenLevels.ERROR,
                null, m.decision());
    }

    private SavedModel saved() {
        return new SavedModel(config.model(), config.training().seed(), features(), members, reference(), decision);
    }

    void checkFeatures(Dataset data) {
        data.requireShape(columnCount(), "the data set");
    }
}

