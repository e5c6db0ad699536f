package simdvae.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import simdvae.vae.Vae;
import simdvae.vae.decide.ScoreReference;

/**
 * {@code simdvae calibrate}: a model's reference (its scores' distribution, its columns' typical values and what
 * drift is measured against) made anew from recent rows, without retraining.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replace a model's reference from rows (--data): the scores that percentiles, p-values and a"
            + " contamination's threshold are read against, the columns' typical values, and what drift compares a"
            + " batch with. The parameters stay as they are. Writes the new model to --out (default"
            + " calibrated.svae); a level the model never saw counts as (other).")
final class CalibrateCommand implements Callable<Integer> {
    @Mixin
    ModelData input;

    @Mixin
    OutputFile output;

    @Override
    public Integer call() {
        Path out = output.path("calibrated.svae");
        ModelData.Loaded in = input.load();
        Vae calibrated = in.vae().calibrate(in.data(), "calibration");
        calibrated.save(out);
        ScoreReference r = calibrated.reference();
        System.err.printf("simdvae: the reference of %s is now %d rows of %s%n", out, r.rows(),
                input.data.path != null ? input.data.path : "the data");
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}
