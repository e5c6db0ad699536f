package simdvae.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.vae.Dataset;
import simdvae.vae.SimdvaeException;
import simdvae.vae.Vae;

/** {@code simdvae score}: a per-row anomaly score (and optionally the importance-weighted NLL) as CSV. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score every row of a data set with a trained model, as CSV with one line per input row:",
            "score (the negative ELBO, nats, one seeded z per row; higher = more anomalous), reconstruction (-log",
            "p(x|z) at z = mu), kl, nll_k (with --iw-samples K: the importance-weighted negative log-likelihood,",
            "-log p(x) estimated with K samples), and the label column under its own name ('label' for images)."})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    ModelData input;

    @Option(names = "--iw-samples", paramLabel = "K", description = "Also estimate -log p(x) per row with K"
            + " importance samples (column nll_k; costs K decoder passes per row).")
    Integer iwSamples;

    @Option(names = "--out", paramLabel = "FILE", description = "CSV to write (default ${DEFAULT-VALUE}).")
    Path out = Path.of("scores.csv");

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (iwSamples != null && iwSamples < 1) {
            throw new SimdvaeException("--iw-samples must be at least 1, got " + iwSamples);
        }
        Output.newFile(out, force);
        ModelData.Loaded in = input.load();
        Vae vae = in.vae();
        Dataset d = in.data();
        Vae.Scores s = vae.score(d);
        double[] ll = iwSamples == null ? null : vae.logLikelihood(d, iwSamples);
        String labelName = d.labelName() != null ? d.labelName() : d.label(0) >= 0 ? "label" : null;
        List<String> header = new ArrayList<>(List.of("score", "reconstruction", "kl"));
        if (ll != null) {
            header.add("nll_k");
        }
        if (labelName != null) {
            header.add(labelName);
        }
        Output.writeCsv(out, header, d.size(), (i, row) -> {
            row.add(s.negativeElbo()[i]);
            row.add(s.reconstruction()[i]);
            row.add(s.kl()[i]);
            if (ll != null) {
                row.add(-ll[i]);
            }
            if (labelName != null) {
                row.add(d.labelText(i));
            }
        });
        double mean = 0;
        for (double v : s.negativeElbo()) {
            mean += v;
        }
        System.err.printf("simdvae: scored %d rows: mean score %.3f nats%s%n", d.size(), mean / d.size(),
                ll == null ? "" : String.format(", mean nll_k %.3f (k = %d)", -java.util.Arrays.stream(ll).average()
                        .orElse(Double.NaN), iwSamples));
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}
