package simdvae.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import simdvae.cli.Main;
import simdvae.vae.data.Dataset;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.Scaling;
import simdvae.vae.internal.network.RowInput;
import simdvae.vae.onnx.OnnxExport;
import simdvae.vae.table.Schema;
import simdvae.vae.table.UnseenLevels;

/**
 * The exported ONNX files, run in ONNX Runtime on random inputs, give our outputs within 1e-5 (relative, or
 * absolute below 1): Bernoulli and Gaussian models, every scaling, several hidden and latent sizes.
 */
class OnnxExportTest {
    static final double TOLERANCE = 1e-5;
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    record Case(Likelihood likelihood, Scaling scaling, List<Integer> hidden, int latent) {
    }

    /** Rows with columns of different scales and offsets, in [0, 1] when the model needs that. */
    static float[][] rows(int n, int features, boolean unit, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][features];
        for (float[] row : x) {
            double a = r.nextGaussian();
            for (int j = 0; j < features; j++) {
                double v = Math.sin(j + a) + 0.3 * r.nextGaussian();
                row[j] = unit ? (float) Math.min(1, Math.max(0, 0.5 + 0.4 * v)) : (float) (10 * j + (j + 1) * v);
            }
        }
        return x;
    }

    @Test
    void onnxRuntimeAgreesWithUsForEveryLikelihoodScalingAndSize() throws Exception {
        List<Case> cases = List.of(
                new Case(Likelihood.BERNOULLI, Scaling.NONE, List.of(64), 2),
                new Case(Likelihood.BERNOULLI, Scaling.MINMAX, List.of(32, 16), 3),
                new Case(Likelihood.GAUSSIAN, Scaling.STANDARDIZE, List.of(48), 4),
                new Case(Likelihood.GAUSSIAN, Scaling.NONE, List.of(16, 8), 2),
                new Case(Likelihood.GAUSSIAN, Scaling.MINMAX, List.of(24), 5));
        int features = 20;
        long seed = 1;
        for (Case c : cases) {
            boolean unit = c.likelihood() == Likelihood.BERNOULLI && c.scaling() == Scaling.NONE;
            float[][] train = rows(300, features, unit, seed++);
            Vae vae = Vae.create(VaeConfig.defaults().withInput(features).withHidden(c.hidden())
                    .withLatent(c.latent()).withLikelihood(c.likelihood()).withScaling(c.scaling()).withEpochs(2)
                    .withBatch(32).withThreads(1));
            Models.trained(vae, Dataset.of(train));
            Path out = dir.resolve("case" + seed);
            List<Path> files = OnnxExport.write(vae, out);
            // fresh rows, and rows beyond the training range (min-max clipping, large activations)
            float[][] x = rows(64, features, unit, 1000 + seed);
            if (!unit) {
                for (int j = 0; j < features; j++) {
                    x[0][j] *= 3;
                }
            }
            Encoding ours = vae.encode(x);
            Map<String, float[][]> enc = run(files.get(0), "x", x);
            double e1 = maxError(ours.mu(), enc.get("mu"));
            double e2 = maxError(ours.logVar(), enc.get("logvar"));
            float[][] z = new float[64][c.latent()];
            SplittableRandom r = new SplittableRandom(seed);
            for (float[] row : z) {
                for (int q = 0; q < row.length; q++) {
                    row[q] = (float) (2 * r.nextGaussian());
                }
            }
            Map<String, float[][]> dec = run(files.get(1), "z", z);
            double e3 = maxError(vae.decode(z), dec.get("x_mean"));
            double e4 = c.likelihood() == Likelihood.GAUSSIAN ? maxError(vae.decodeLogVar(z), dec.get("x_logvar"))
                    : maxError(vae.decode(z), fromLogits(vae, dec.get("x_logit")));
            System.err.printf("onnx %s: max error mu %.2e, logvar %.2e, x_mean %.2e, x_logvar %.2e; encoder %,d"
                    + " bytes, decoder %,d bytes%n", c, e1, e2, e3, e4, Files.size(files.get(0)),
                    Files.size(files.get(1)));
            for (double e : new double[] {e1, e2, e3, e4}) {
                assertTrue(e <= TOLERANCE, c + ": error " + e);
            }
            assertEquals(2, dec.size(), "decoder outputs of " + c);
        }
    }

    /** A Bernoulli decoder's logits as its means: the sigmoid, then the scaling undone. */
    private static float[][] fromLogits(Vae vae, float[][] logits) {
        float[][] out = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = new float[logits[i].length];
            for (int j = 0; j < out[i].length; j++) {
                double p = 1 / (1 + Math.exp(-logits[i][j]));
                boolean scaled = vae.features().scaling() != Scaling.NONE;
                out[i][j] = (float) (scaled ? p / vae.features().factor(j) + vae.features().offset(j) : p);
            }
        }
        return out;
    }

    /**
     * A table model: ONNX Runtime's encoder, fed the rows as our encoder sees them, gives our μ and log σ²; its
     * decoder's parameters decode (by the layout in the metadata) to our numbers and levels.
     */
    @Test
    void aTableModelExportsItsNetworkAndItsLayout() throws Exception {
        Object[][] cells = new Object[300][];
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < cells.length; i++) {
            double x = r.nextGaussian();
            cells[i] = new Object[] {x * 10 + 3, r.nextInt(6) == 0 ? null : x > 0 ? "up" : "down",
                r.nextInt(9) == 0 ? null : x * x, "k" + r.nextInt(3)};
        }
        List<String> names = List.of("a", "dir", "sq", "k");
        Dataset data = Dataset.of(cells, names);
        Vae vae = Vae.create(VaeConfig.defaults().withHidden(List.of(16)).withLatent(2).withEpochs(2).withBatch(32).withThreads(1)
                .withLikelihood(Likelihood.GAUSSIAN), data);
        Models.trained(vae, data);
        List<Path> files = OnnxExport.write(vae, dir.resolve("table"));
        Schema c = vae.features().schema();
        float[][] x = new float[data.size()][vae.architecture().input()];
        float[] raw = new float[c.count()];
        float[] t = new float[c.count()];
        for (int i = 0; i < x.length; i++) {
            new RowInput(vae.features()).toInput(data, i, raw, x[i], 0, t, 0, false, UnseenLevels.ERROR);
        }
        Encoding ours = vae.encode(data);
        Map<String, float[][]> enc = run(files.get(0), "x", x);
        assertTrue(maxError(ours.mu(), enc.get("mu")) <= TOLERANCE);
        assertTrue(maxError(ours.logVar(), enc.get("logvar")) <= TOLERANCE);
        float[][] params = run(files.get(1), "z", ours.mu()).get("params");
        float[][] decoded = vae.decode(ours.mu());
        for (int i = 0; i < x.length; i++) {
            // a: the Gaussian mean, unscaled by the metadata's offset and factor; k: the most probable level
            float mean = (float) (params[i][c.group(0)] / vae.features().factor(0) + vae.features().offset(0));
            assertEquals(decoded[i][0], mean, 1e-4 * Math.max(1, Math.abs(mean)), "row " + i);
            int start = c.layout().logitStart(c.group(3) - c.layout().gaussian());
            int best = 0;
            for (int q = 1; q < c.levels(3).size(); q++) {
                best = params[i][start + q] > params[i][start + best] ? q : best;
            }
            assertEquals(decoded[i][3], best, "row " + i);
        }
        try (OrtSession s = ENV.createSession(files.get(1).toString(), new OrtSession.SessionOptions())) {
            String layout = s.getMetadata().getCustomMetadata().get(OnnxExport.TABLE_METADATA);
            assertTrue(layout.contains("\"name\":\"dir\",\"kind\":\"categorical\"") && layout.contains("\"(other)\"")
                    && layout.contains("\"raw_logvar\""), layout);
        }
    }

    @Test
    void theExportCommandWritesBothFilesAndRefusesToOverwrite() throws Exception {
        Vae vae = Vae.create(VaeConfig.defaults().withInput(8).withHidden(List.of(8)).withThreads(1));
        Path model = dir.resolve("m.svae");
        vae.save(model);
        Path out = dir.resolve("onnx");
        assertEquals(0, Main.run("export", "--model", model.toString(), "--onnx", out.toString()));
        assertTrue(Files.size(out.resolve("encoder.onnx")) > 0 && Files.size(out.resolve("decoder.onnx")) > 0);
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            assertEquals(1, Main.run("export", "--model", model.toString(), "--onnx", out.toString()));
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().contains("already holds an export"), err.toString());
    }

    /** Runs an exported file on one input; every output by name. */
    static Map<String, float[][]> run(Path file, String input, float[][] x) throws OrtException {
        try (OrtSession s = ENV.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(ENV, x);
             OrtSession.Result r = s.run(Map.of(input, t))) {
            java.util.LinkedHashMap<String, float[][]> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
                out.put(e.getKey(), (float[][]) e.getValue().getValue());
            }
            return out;
        }
    }

    /** The largest |ours − theirs| / max(1, |ours|) over all elements (relative, absolute below 1). */
    static double maxError(float[][] ours, float[][] theirs) {
        assertEquals(ours.length, theirs.length);
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            assertEquals(ours[i].length, theirs[i].length);
            for (int j = 0; j < ours[i].length; j++) {
                worst = Math.max(worst, Math.abs(ours[i][j] - theirs[i][j]) / Math.max(1, Math.abs(ours[i][j])));
            }
        }
        return worst;
    }
}
