package simdvae.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import simdvae.vae.Vae;
import simdvae.vae.decide.DriftCounts;
import simdvae.vae.decide.DriftReference;
import simdvae.vae.decide.DriftReport;

/**
 * {@link VaeModel#drift}: a DataFrame tested for drift against the model's reference rows, with the numbers of
 * {@link Vae#drift} on the same rows for any partitioning. Each task reads its partition's rows as a transform does
 * (the same input columns, levels and handleInvalid), counts them with {@link Vae#driftCounts} {@value #CHUNK} rows
 * at a time and returns the integer counts; the driver adds them up ({@link DriftCounts#merge}) and makes the report
 * from the sum. Integer sums do not depend on the split, the order of tasks or a retry.
 */
final class SparkDrift {
    /** Rows a task counts at once (it holds them as floats). */
    static final int CHUNK = 4096;

    private SparkDrift() {
    }

    /**
     * The report of {@code batch}'s rows.
     *
     * @param batch the rows (not streaming)
     * @param input where the model's input comes from in them
     * @param vae   the model, on the driver
     * @param model its file's bytes, broadcast
     * @return the report
     */
    static DriftReport report(Dataset<?> batch, InputColumns input, Vae vae, TaskModels.Shipped model) {
        if (vae.reference() == null || vae.reference().drift() == null) {
            throw new IllegalArgumentException("this model has no drift reference (a model file of an earlier"
                    + " format, or not calibrated): calibrate it on normal rows first (simdvae calibrate,"
                    + " Vae.calibrate)");
        }
        DriftReference reference = vae.reference().drift();
        org.apache.spark.sql.classic.Dataset<?> classic = (org.apache.spark.sql.classic.Dataset<?>) batch;
        JavaRDD<InternalRow> rows = classic.queryExecution().toRdd().toJavaRDD();
        List<long[]> parts = rows.mapPartitions((FlatMapFunction<Iterator<InternalRow>, long[]>) it ->
                List.of(count(it, input, TaskModels.get(model))).iterator()).collect();
        DriftCounts total = DriftCounts.of(reference);
        for (long[] part : parts) {
            total.merge(DriftCounts.of(reference, part));
        }
        return DriftReport.of(total);
    }

    /** One partition's counts, flat ({@link DriftCounts#counts()}). */
    private static long[] count(Iterator<InternalRow> rows, InputColumns input, Vae model) {
        Vae vae = ScoredRows.taskModel(model);
        DriftCounts counts = DriftCounts.of(vae.reference().drift());
        float[][] x = new float[CHUNK][vae.columnCount()];
        int n = 0;
        while (rows.hasNext()) {
            if (input.read(rows.next(), x[n])) {
                n++;
            }
            if (n == CHUNK || (n > 0 && !rows.hasNext())) {
                counts.merge(vae.driftCounts(ScoredRows.modelInput(input, vae, x, n)));
                n = 0;
            }
        }
        return counts.counts();
    }
}
