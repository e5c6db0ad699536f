package simdvae.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import simdvae.core.Simd;
import simdvae.kernels.Kernels;
import simdvae.vae.Evaluation;
import simdvae.vae.Trainer;
import simdvae.vae.Vae;
import simdvae.vae.VaeConfig;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.decide.ScoreReference;
import simdvae.vae.table.Schema;

/**
 * The end of a {@code train} run: the model evaluated on the test rows (loss with z sampled and at μ, and the
 * importance-weighted NLL), saved, drawn, and described in {@code metrics.json}.
 */
final class RunReport {
    /** Test rows the importance-weighted NLL is averaged over at most. */
    private static final int NLL_ROWS = 5_000;

    private RunReport() {
    }

    /** What the command line asked for, as metrics.json records it beside what ran. */
    record Requested(String init, Integer threads, String width) {
    }

    static void write(Path dir, Trainer trainer, RunData data, RunHistory history, Simd.Choice choice,
                      Requested requested, RunClock clock, EpochLoop.LastEvaluation last) {
        Vae model = history.contamination == null ? trainer.model()
                : trainer.model().withDecision(Decision.contamination(history.contamination));
        double threshold = model.threshold();
        Dataset test = data.test();
        Vae heldOut = EpochLoop.heldOut(model);
        String sha = model.parametersSha256();
        Evaluation fin = last != null && last.parametersSha256().equals(sha) ? last.evaluation()
                : clock.stage("test_loss", null, () -> heldOut.evaluate(test));
        double testNll = Double.NaN;
        Dataset nllRows = evenlySpaced(test, NLL_ROWS);
        if (history.iwSamples > 0) {
            double[] ll = clock.stage("test_nll", String.format("test nll of %,d%s test rows (%d importance samples)",
                    nllRows.size(), nllRows == test ? "" : String.format(" of the %,d", test.size()),
                    history.iwSamples), () -> heldOut.logLikelihood(nllRows, history.iwSamples));
            testNll = 0;
            for (double v : ll) {
                testNll -= v;
            }
            testNll /= ll.length;
        }
        clock.stage("model_file", null, () -> model.save(dir.resolve("model.svae")));
        double[] testScores = clock.stage("test_scores", null, () -> heldOut.score(test).score());
        clock.stage("pictures", "pictures", () -> {
            RunPictures.write(dir, heldOut, test, data.images());
            Pictures.lossCurve(dir.resolve("loss.png"), history.column("train_loss"), history.column("test_loss"),
                    history.column("validation_loss"));
            Pictures.scoreHistogram(dir.resolve("scores.png"), testScores, RunPictures.labels(test),
                    RunPictures.classNames(test, data.images()), threshold, "threshold (contamination "
                            + history.contamination + ")");
        });

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("config", config(model.config(), model, data, history, requested));
        metrics.put("width", choice.width().spelling());
        metrics.put("width_reason", choice.reason());
        // the register file the GEMM's tile is sized for, and the tile: they change the speed, never a bit
        Kernels kernels = Kernels.of(choice.width());
        metrics.put("vector_registers", kernels.registers().count());
        metrics.put("vector_registers_reason", kernels.registers().reason());
        metrics.put("gemm_tile", kernels.gemmTile().spelling());
        metrics.put("threads", trainer.threads());
        if (model.features().names() != null) {
            metrics.put("features", model.features().names());
        }
        if (model.features().schema() != null) {
            metrics.put("columns", columns(model, data.train()));
        }
        if (history.defaults != null) {
            metrics.put("defaults", history.defaults);
        }
        ScoreReference scored = model.reference();
        metrics.put("score", scored != null && scored.neighbours() != null
                ? "hybrid: negative ELBO at z = mu + distance to the " + scored.neighbours().k() + " nearest of "
                + scored.neighbours().count() + " training rows, each in robust standard deviations of the "
                + scored.source() + " rows"
                : "negative ELBO at z = mu, nats");
        metrics.put("train_size", data.train().size());
        metrics.put("validation_size", data.validation() == null ? 0 : data.validation().size());
        metrics.put("test_size", test.size());
        metrics.put("parameters", model.architecture().parameterCount());
        metrics.put("steps", trainer.steps());
        metrics.put("skipped_steps", trainer.skippedSteps());
        metrics.put("epochs", history.epochs);
        if (data.validation() != null) {
            metrics.put("best_epoch", trainer.bestEpoch() + 1);
            if (model.members() > 1) {
                metrics.put("members_best_epochs", Arrays.stream(trainer.bestEpochs()).map(e -> e + 1)
                        .boxed().toList());
            }
            metrics.put("best_validation_loss", trainer.bestValidationLoss());
            metrics.put("stopped_early", trainer.stoppedEarly());
        }
        ScoreReference reference = model.reference();
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("rows", reference.source());
        ref.put("count", reference.rows());
        int candidates = data.validation() != null ? data.validation().size() : data.train().size();
        // a seeded sample of at most ReferencePass.MAX_ROWS of them (fewer for many columns): a bounded pass
        ref.put("of", candidates);
        ref.put("sampled", reference.rows() < candidates);
        metrics.put("reference", ref);
        if (history.contamination != null) {
            metrics.put("contamination", history.contamination);
            metrics.put("threshold", threshold);
        }
        metrics.put("test_loss", fin.sampled());
        metrics.put("test_loss_mu", fin.atMean());
        if (history.iwSamples > 0) {
            metrics.put("test_nll", testNll);
            metrics.put("test_nll_rows", nllRows.size());
        }
        metrics.put("params_sha256", sha);
        metrics.put("java", System.getProperty("java.version"));
        metrics.put("seconds", clock.seconds());
        MetricsFile.write(dir, metrics);
        System.err.printf("simdvae: test loss %.2f (z sampled), %.2f (z = mu)%s; params_sha256 %s%n", fin.sampled(),
                fin.atMean(), history.iwSamples > 0 ? String.format(", test nll %.2f (%d importance samples)",
                        testNll, history.iwSamples) : "", sha);
    }

    /**
     * {@code n} rows of {@code rows} evenly spaced (all of them when they are no more): the test NLL costs K decoder
     * passes a row, and its mean over 5,000 rows already has a standard error far below the differences between
     * models that it is read for.
     */
    private static Dataset evenlySpaced(Dataset rows, int n) {
        if (rows.size() <= n) {
            return rows;
        }
        int[] chosen = new int[n];
        for (int i = 0; i < n; i++) {
            chosen[i] = (int) ((long) i * rows.size() / n);
        }
        return rows.rows(chosen);
    }

    /** Per column of a table model: its name, kind, levels (categorical) and missing cells in the training rows. */
    private static List<Map<String, Object>> columns(Vae model, Dataset train) {
        Schema columns = model.features().schema();
        int[] missing = new int[columns.count()];
        float[] row = new float[columns.count()];
        for (int i = 0; i < train.size(); i++) {
            train.copyRow(i, row, 0);
            for (int j = 0; j < row.length; j++) {
                missing[j] += Float.isNaN(row[j]) ? 1 : 0;
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int j = 0; j < columns.count(); j++) {
            Map<String, Object> c = new LinkedHashMap<>();
            List<String> names = model.features().names();
            c.put("name", names != null ? names.get(j) : "x" + j);
            boolean categorical = columns.kind(j) == Dataset.Kind.CATEGORICAL;
            c.put("kind", categorical ? "categorical" : "numeric");
            c.put("likelihood", categorical ? "categorical" : columns.numericLikelihood().spelling());
            if (categorical) {
                c.put("levels", columns.levels(j));
            }
            c.put("missing_in_training", missing[j]);
            out.add(c);
        }
        return out;
    }

    private static Map<String, Object> config(VaeConfig config, Vae model, RunData data, RunHistory history,
                                              Requested requested) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("data", data.source());
        if (history.from != null) {
            cfg.put("from", history.from);
        }
        if (!data.images()) {
            cfg.put("label_column", history.labelColumn);
            cfg.put("test_data", history.testData);
            cfg.put("test_split", history.testData == null ? history.testSplit : null);
        }
        cfg.put("input", config.model().input());
        cfg.put("hidden", config.model().hidden());
        cfg.put("latent", config.model().latent());
        cfg.put("likelihood", config.model().likelihood().spelling());
        cfg.put("scaling", model.features().scaling().spelling());
        cfg.put("beta", config.training().beta());
        cfg.put("kl_warmup", config.training().klWarmup());
        cfg.put("learning_rate", config.training().learningRate());
        cfg.put("beta1", config.training().beta1());
        cfg.put("beta2", config.training().beta2());
        cfg.put("epsilon", config.training().epsilon());
        cfg.put("batch", config.training().batch());
        cfg.put("epochs", config.training().epochs());
        cfg.put("seed", config.training().seed());
        cfg.put("ensemble", config.training().ensemble());
        cfg.put("init", requested.init());
        cfg.put("validation_split", history.validationSplit);
        cfg.put("early_stopping", history.earlyStopping);
        cfg.put("iw_samples", history.iwSamples);
        cfg.put("threads_requested", requested.threads() == null ? "all" : requested.threads());
        cfg.put("width_requested", requested.width());
        return cfg;
    }
}
