package simdvae.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;
import simdvae.vae.table.Schema;

/** {@code simdvae reconstruct}: test images above their reconstructions, or reconstructed rows as CSV. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true,
        description = "Write test images and their reconstructions (decoded μ) as a PNG grid (--out, default"
            + " reconstructions.png), or with --out FILE.csv the first N rows' reconstructions as CSV, in the"
            + " data's units (a categorical column's most probable level by name); with --fill-missing, the rows"
            + " themselves with only their missing cells filled in.")
final class ReconstructCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Mixin
    DataOption data;

    @Option(names = "--n", paramLabel = "N", description = "Number of images (default ${DEFAULT-VALUE}).")
    int n = 30;

    @Option(names = "--fill-missing", description = "CSV output: write the rows as they are, each missing cell"
            + " filled with the model's reconstruction (imputation), instead of every cell's reconstruction.")
    boolean fillMissing;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() {
        int count = Output.rowCount(n);
        Vae vae = model.load();
        Dataset all = data.forModel(vae, "t10k");
        Dataset test = all.rows(java.util.stream.IntStream.range(0, Math.min(count, all.size())).toArray());
        Path out = output.path("reconstructions.png");
        if (Output.isCsv(out)) {
            float[][] rows = vae.reconstruct(test);
            if (fillMissing) {
                fillObserved(vae, test, rows);
            }
            Output.writeRows(out, vae, rows);
        } else if (fillMissing) {
            throw new SimdvaeException("--fill-missing writes CSV: give --out FILE.csv");
        } else {
            int side = Pictures.side(vae);
            float[][] x = Rows.of(test, test.size());
            Pictures.reconstructions(out, x, vae.reconstruct(x), side, 10);
        }
        System.out.println(out.toAbsolutePath());
        return 0;
    }

    /**
     * Puts each row's observed cells back over its reconstruction, so only missing cells stay reconstructed: a number
     * as given, a level as the model's index of its name ({@value Schema#OTHER} if the model never saw it).
     */
    private static void fillObserved(Vae vae, Dataset data, float[][] rows) {
        Schema columns = vae.features().schema();
        float[] given = new float[data.columns()];
        for (int i = 0; i < rows.length; i++) {
            data.copyRow(i, given, 0);
            for (int j = 0; j < given.length; j++) {
                if (Float.isNaN(given[j])) {
                    continue;
                }
                if (columns != null && columns.kind(j) == Dataset.Kind.CATEGORICAL) {
                    List<String> levels = columns.levels(j);
                    int level = levels.indexOf(data.levels(j).get((int) given[j]));
                    rows[i][j] = level >= 0 ? level : levels.size() - 1;
                } else {
                    rows[i][j] = given[j];
                }
            }
        }
    }
}
