package simdvae.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import simdvae.core.SimdvaeException;
import simdvae.vae.decide.ColumnDrift;
import simdvae.vae.decide.DriftReport;
import simdvae.vae.decide.ScoreDistribution;

/**
 * {@code drift.png}: above, the batch's scores over the reference's as two cumulative distributions (the gap between
 * them is the Kolmogorov-Smirnov statistic); below, the most shifted columns by −log₁₀ of their adjusted p-values.
 * Both read the report's counts alone.
 */
final class DriftPicture {
    private static final int WIDTH = 900;
    private static final int COLUMNS_SHOWN = 12;

    private DriftPicture() {
    }

    static void write(Path file, DriftReport report, List<String> names) {
        BufferedImage top = BitmapEncoder.getBufferedImage(scores(report));
        BufferedImage bottom = BitmapEncoder.getBufferedImage(columns(report, names));
        BufferedImage both = new BufferedImage(WIDTH, top.getHeight() + bottom.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(top, 0, 0, null);
        g.drawImage(bottom, 0, top.getHeight(), null);
        g.dispose();
        try {
            ImageIO.write(both, "png", file.toFile());
        } catch (IOException e) {
            throw new SimdvaeException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The two distributions at every distinct kept reference score. */
    private static XYChart scores(DriftReport report) {
        ScoreDistribution ref = report.counts().reference().scores();
        long[] counts = report.counts().scoreCounts();
        long m = report.rows();
        List<Double> x = new ArrayList<>();
        List<Double> reference = new ArrayList<>();
        List<Double> batch = new ArrayList<>();
        long below = 0;
        int b = 0;
        for (int first = 0, last; first < ref.size(); first = last + 1) {
            last = first;
            while (last + 1 < ref.size() && ref.knot(last + 1) == ref.knot(first)) {
                last++;
            }
            // the batch's rows at most this knot: every bucket up to first + last + 1 (see ScoreDistribution.bucket)
            for (; b <= first + last + 1; b++) {
                below += counts[b];
            }
            x.add((double) ref.knot(first));
            reference.add((ref.position(last) + 1) / ref.rows());
            batch.add((double) below / m);
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(420)
                .title(String.format("Scores: the batch (%d rows) against the reference (%d rows); KS D = %.3f",
                        m, ref.rows(), report.scores().statistic()))
                .xAxisTitle("score (nats)").yAxisTitle("share of rows at most").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setSeriesColors(new Color[] {new Color(0x1f77b4), new Color(0xd62728)});
        for (XYSeries s : new XYSeries[] {chart.addSeries("reference", x, reference),
            chart.addSeries("batch", x, batch)}) {
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** The most shifted columns, by −log₁₀ of their adjusted p-values (capped at 50). */
    private static CategoryChart columns(DriftReport report, List<String> names) {
        List<String> shown = new ArrayList<>();
        List<Double> height = new ArrayList<>();
        for (ColumnDrift c : report.columns().subList(0, Math.min(COLUMNS_SHOWN, report.columns().size()))) {
            shown.add(names.get(c.column()));
            height.add(Math.min(50, -Math.min(c.logP(), c.natsAdjustedLogP()) / Math.log(10)));
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(380)
                .title("The most shifted columns (values, missing rate or nats)").xAxisTitle("column")
                .yAxisTitle("-log10 p").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setSeriesColors(new Color[] {new Color(0xd62728)});
        chart.addSeries("columns", shown, height);
        return chart;
    }
}
