package simdvae.vae.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.data.Storage;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.Dense;
import simdvae.vae.model.Scaling;
import simdvae.vae.table.Features;

/**
 * Exports a {@link Vae} as two ONNX models (opset {@value #OPSET}, float32, standard operators only: Gemm, Relu,
 * Sigmoid, Slice, Sub, Mul, Div, Add, Clip, Identity):
 * <ul>
 * <li>{@code encoder.onnx}: input {@code x} [N, features] of raw values (the model's scaling is part of the graph);
 * outputs {@code mu} and {@code logvar} [N, latent] — {@link Vae#encode}.</li>
 * <li>{@code decoder.onnx}: input {@code z} [N, latent]; output {@code x_mean} [N, features] in the data's units
 * (pixel probabilities for a Bernoulli model) — {@link Vae#decode} — and, for a Gaussian model, {@code x_logvar} —
 * {@link Vae#decodeLogVar}; for a Bernoulli model also {@code x_logit}, the logits before the sigmoid (what a
 * numerically stable cross-entropy, and so a score, needs).</li>
 * </ul>
 * A table model (with {@link simdvae.vae.table.Schema}) exports its network alone: the encoder takes {@code x} [N, input]
 * as the encoder sees it (numbers scaled, a missing one at its neutral value, each categorical column one-hot, the
 * "was missing" inputs) and the decoder gives {@code params} [N, outputs], the likelihood's parameters as the loss
 * reads them (means, raw log-variances, Bernoulli logits, each categorical column's logits); both files carry the
 * layout, the scaling and the levels as the metadata entry {@value #TABLE_METADATA} (JSON), so that a caller can
 * encode rows and read the outputs. The results agree with ours to float rounding (their sums run in another order:
 * not bit for bit). An ensemble exports its member 0 (as {@link Vae#encode} and {@link Vae#decode} are member 0's);
 * its mean scores are not in the graphs, nor is a hybrid score's neighbour term ({@link Vae#neighbours}).
 * Needs {@code com.google.protobuf:protobuf-java} on the class path (an optional dependency of simdvae-vae).
 */
public final class OnnxExport {
    /** The ONNX operator set the files declare. */
    public static final int OPSET = 13;
    /** ONNX IR version 7 goes with opset 13. */
    static final int IR_VERSION = 7;
    /** A table model's metadata key: its columns, their encoding and their outputs, as JSON. */
    public static final String TABLE_METADATA = "simdvae.table";

    private OnnxExport() {
    }

    /**
     * Writes {@code dir/encoder.onnx} and {@code dir/decoder.onnx} (atomically each); returns the two paths.
     *
     * @param vae the model
     * @param dir the directory (created if needed)
     * @return the encoder's and the decoder's paths
     */
    public static List<Path> write(Vae vae, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new SimdvaeException("cannot create " + dir + ": " + Storage.describe(e), e);
        }
        Path encoder = dir.resolve("encoder.onnx");
        Path decoder = dir.resolve("decoder.onnx");
        Storage.writeAtomically(encoder, encoder(vae));
        Storage.writeAtomically(decoder, decoder(vae));
        return List.of(encoder, decoder);
    }

    /**
     * The encoder's ONNX model file.
     *
     * @param vae the model
     * @return the ONNX model file's bytes
     */
    public static byte[] encoder(Vae vae) {
        Architecture a = vae.architecture();
        float[] p = vae.parameters();
        Features f = vae.features();
        int n = a.input();
        int latent = a.latent();
        OnnxGraph g = new OnnxGraph("simdvae_encoder");
        g.input("x", n);
        String h = "x";
        boolean table = f.schema() != null;
        if (!table && f.scaling() != Scaling.NONE) {
            float[] offset = new float[n];
            float[] factor = new float[n];
            for (int j = 0; j < n; j++) {
                offset[j] = (float) f.offset(j);
                factor[j] = (float) f.factor(j);
            }
            h = g.node("Sub", "centred", h, g.floats("offset", offset, n));
            h = g.node("Mul", "scaled", h, g.floats("factor", factor, n));
            if (f.scaling() == Scaling.MINMAX) {
                h = g.node("Clip", "clipped", h, g.floats("zero", new float[] {0f}),
                        g.floats("one", new float[] {1f}));
            }
        }
        int layer = 0;
        for (Dense d : a.encoder()) {
            h = dense(g, "enc" + layer++, d, p, h);
        }
        h = dense(g, "head", a.head(), p, h);
        g.node("Slice", "mu", h, g.longs(0), g.longs(latent), g.longs(1));
        g.node("Slice", "logvar", h, g.longs(latent), g.longs(2L * latent), g.longs(1));
        g.output("mu", latent);
        g.output("logvar", latent);
        return g.model("simdvae encoder " + a + ": x -> mu, logvar" + (table ? " (x: the encoded row, see the"
                + " metadata " + TABLE_METADATA + ")" : ""), metadata(vae));
    }

    /** A table model's layout as metadata; none for a plain model. */
    private static java.util.Map<String, String> metadata(Vae vae) {
        return vae.features().schema() == null ? java.util.Map.of()
                : java.util.Map.of(TABLE_METADATA, TableLayoutJson.of(vae));
    }

    /**
     * The decoder's ONNX model file.
     *
     * @param vae the model
     * @return the ONNX model file's bytes
     */
    public static byte[] decoder(Vae vae) {
        Architecture a = vae.architecture();
        float[] p = vae.parameters();
        Features f = vae.features();
        int n = a.input();
        OnnxGraph g = new OnnxGraph("simdvae_decoder");
        g.input("z", a.latent());
        String h = "z";
        int layer = 0;
        for (Dense d : a.decoder()) {
            h = dense(g, "dec" + layer++, d, p, h);
        }
        h = dense(g, "out", a.output(), p, h);
        if (f.schema() != null) {
            g.node("Identity", "params", h);
            g.output("params", a.outputWidth());
            return g.model("simdvae decoder " + a + ": z -> params (the likelihoods' parameters, see the metadata "
                    + TABLE_METADATA + ")", metadata(vae));
        }
        boolean gaussian = vae.likelihood().hasVariance();
        String mean = gaussian ? g.node("Slice", "mean_scaled", h, g.longs(0), g.longs(n), g.longs(1))
                : g.node("Sigmoid", "mean_scaled", h);
        boolean scaled = f.scaling() != Scaling.NONE;
        float[] offset = new float[n];
        float[] factor = new float[n];
        float[] twiceLogFactor = new float[n];
        for (int j = 0; j < n; j++) {
            offset[j] = (float) f.offset(j);
            factor[j] = (float) f.factor(j);
            twiceLogFactor[j] = (float) (2 * Math.log(f.factor(j)));
        }
        if (scaled) {
            mean = g.node("Div", "mean_unshifted", mean, g.floats("factor", factor, n));
            mean = g.node("Add", "x_mean", mean, g.floats("offset", offset, n));
        } else {
            mean = g.node("Identity", "x_mean", mean);
        }
        g.output("x_mean", n);
        if (!gaussian) {
            g.node("Identity", "x_logit", h);
            g.output("x_logit", n);
        }
        if (gaussian) {
            // log σ² = 7·tanh(r/7), written as the kernel computes it: (2·sigmoid(r·2/7) − 1)·7
            String r = g.node("Slice", "logvar_raw", h, g.longs(n), g.longs(2L * n), g.longs(1));
            r = g.node("Mul", "logvar_in", r, g.floats("two_sevenths", new float[] {2f / 7f}));
            r = g.node("Sigmoid", "logvar_sig", r);
            r = g.node("Mul", "logvar_twice", r, g.floats("two", new float[] {2f}));
            r = g.node("Sub", "logvar_tanh", r, g.floats("one", new float[] {1f}));
            String lv = g.node("Mul", scaled ? "logvar_scaled" : "x_logvar", r, g.floats("seven", new float[] {7f}));
            if (scaled) {
                g.node("Sub", "x_logvar", lv, g.floats("twice_log_factor", twiceLogFactor, n));
            }
            g.output("x_logvar", n);
        }
        return g.model("simdvae decoder " + a + " (" + vae.likelihood().spelling() + "): z -> x_mean"
                + (gaussian ? ", x_logvar" : ", x_logit"));
    }

    /** {@code h·W + b} for layer {@code d} (ONNX Gemm, B = W as stored: in × out), then ReLU if it has one. */
    private static String dense(OnnxGraph g, String name, Dense d, float[] p, String h) {
        float[] w = java.util.Arrays.copyOfRange(p, d.weightOffset(), d.weightOffset() + d.in() * d.out());
        float[] b = java.util.Arrays.copyOfRange(p, d.biasOffset(), d.biasOffset() + d.out());
        String y = g.node("Gemm", name, h, g.floats(name + "_W", w, d.in(), d.out()), g.floats(name + "_b", b,
                d.out()));
        return d.relu() ? g.node("Relu", name + "_relu", y) : y;
    }
}
