package simdvae.cli;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import simdvae.core.SimdvaeException;
import simdvae.vae.Vae;

/** The tutorial's figures: digit grids as images, the latent scatter and the loss curve as XChart plots. */
public final class Pictures {
    private static final int SCALE = 2;
    /** Ten well-separated colours (matplotlib's tab10, the tutorial's palette), one per digit. */
    private static final Color[] DIGIT_COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private Pictures() {
    }

    /**
     * The side of a square image of {@code pixels} pixels, or -1 when it is not square.
     *
     * @param pixels pixels an image
     * @return the side, or -1
     */
    public static int squareSide(int pixels) {
        int side = (int) Math.round(Math.sqrt(pixels));
        return side * side == pixels ? side : -1;
    }

    /**
     * The image side of a model's square inputs; a model of other inputs cannot be drawn.
     *
     * @param vae the model
     * @return the side
     */
    public static int side(Vae vae) {
        int side = squareSide(vae.architecture().input());
        if (side < 0) {
            throw new SimdvaeException("the model's input size " + vae.architecture().input()
                    + " is not a square image: write its rows as CSV instead (--out FILE.csv)");
        }
        return side;
    }

    /**
     * Images (rows of side×side values in [0, 1]) tiled in a grid of {@code cols} columns, white on black.
     *
     * @param file   the PNG
     * @param images pixel rows in [0, 1]
     * @param side   an image's side
     * @param cols   images a row of the grid
     */
    public static void grid(Path file, float[][] images, int side, int cols) {
        int rows = (images.length + cols - 1) / cols;
        int cell = side * SCALE;
        BufferedImage img = new BufferedImage(cols * cell, rows * cell, BufferedImage.TYPE_BYTE_GRAY);
        for (int n = 0; n < images.length; n++) {
            int ox = (n % cols) * cell;
            int oy = (n / cols) * cell;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int v = Math.round(Math.clamp(images[n][y * side + x], 0f, 1f) * 255);
                    int rgb = new Color(v, v, v).getRGB();
                    for (int dy = 0; dy < SCALE; dy++) {
                        for (int dx = 0; dx < SCALE; dx++) {
                            img.setRGB(ox + x * SCALE + dx, oy + y * SCALE + dy, rgb);
                        }
                    }
                }
            }
        }
        write(file, img);
    }

    /**
     * Originals in the odd rows, their reconstructions right below.
     *
     * @param file      the PNG
     * @param originals the inputs
     * @param recon     their reconstructions
     * @param side      an image's side
     * @param cols      images a row
     */
    public static void reconstructions(Path file, float[][] originals, float[][] recon, int side, int cols) {
        List<float[]> tiles = new ArrayList<>();
        for (int start = 0; start < originals.length; start += cols) {
            for (int i = start; i < start + cols && i < originals.length; i++) {
                tiles.add(originals[i]);
            }
            for (int i = start; i < start + cols && i < originals.length; i++) {
                tiles.add(recon[i]);
            }
        }
        grid(file, tiles.toArray(new float[0][]), side, cols);
    }

    /**
     * Decoded digits over a grid of the latent plane, z in [-range, range]², as in the tutorial.
     *
     * @param file  the PNG
     * @param model a model of latent size 2
     * @param n     images a side of the grid
     * @param range the grid spans [−range, range] in both latent coordinates
     * @param side  an image's side
     */
    public static void manifold(Path file, Vae model, int n, double range, int side) {
        float[][] z = new float[n * n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                z[i * n + j][0] = (float) (-range + 2 * range * j / (n - 1));
                z[i * n + j][1] = (float) (range - 2 * range * i / (n - 1));
            }
        }
        grid(file, model.decode(z), side, n);
    }

    /**
     * The first two latent means of each sample, one colour per label class (named by {@code classes}, with a legend)
     * when there are at most ten classes; one colour otherwise.
     *
     * @param file    the PNG
     * @param mu      μ of each row (the first two coordinates are drawn)
     * @param labels  a class index per row, or null
     * @param classes legend names by class index, or null
     */
    public static void latentScatter(Path file, float[][] mu, int[] labels, List<String> classes) {
        XYChart chart = new XYChartBuilder().width(800).height(700).title("Latent space (test rows, z = μ)")
                .xAxisTitle("z[0]").yAxisTitle(mu.length > 0 && mu[0].length > 1 ? "z[1]" : "").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setSeriesColors(DIGIT_COLORS);
        boolean byClass = classes != null && classes.size() <= DIGIT_COLORS.length;
        int groups = byClass ? classes.size() : 1;
        for (int g = 0; g < groups; g++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < mu.length; i++) {
                if (!byClass || labels[i] == g) {
                    xs.add((double) mu[i][0]);
                    ys.add((double) (mu[i].length > 1 ? mu[i][1] : 0f));
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(byClass ? classes.get(g) : "rows", xs, ys).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        save(file, chart);
    }

    /**
     * Train, test and (when measured) validation loss per epoch.
     *
     * @param file       the PNG
     * @param train      the training loss per epoch
     * @param test       the test loss per epoch
     * @param validation the validation loss per epoch, or empty
     */
    public static void lossCurve(Path file, List<Double> train, List<Double> test, List<Double> validation) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Loss per epoch (negative ELBO, nats)")
                .xAxisTitle("epoch").yAxisTitle("mean loss per row").build();
        List<Integer> epochs = new ArrayList<>();
        for (int i = 1; i <= train.size(); i++) {
            epochs.add(i);
        }
        chart.addSeries("train", epochs, train);
        chart.addSeries("test", epochs, test);
        if (validation.size() == train.size()) {
            chart.addSeries("validation", epochs, validation);
        }
        save(file, chart);
    }

    /**
     * The training loss of each round of data-parallel training (simdvae-spark).
     *
     * @param file the PNG
     * @param loss the mean loss per round
     */
    public static void roundLossCurve(Path file, List<Double> loss) {
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Training loss per round (negative ELBO, nats; mean over shards)")
                .xAxisTitle("round").yAxisTitle("mean loss per row").build();
        List<Integer> rounds = new ArrayList<>();
        for (int i = 1; i <= loss.size(); i++) {
            rounds.add(i);
        }
        chart.addSeries("train", rounds, loss);
        save(file, chart);
    }

    /**
     * A histogram of per-row scores (negative ELBO, nats; higher = more anomalous), one outline per label class when
     * there are at most ten, else one for all rows. √n bins (8 to 40) between the 0.5th and 99.5th percentiles; rows
     * beyond them fall into the end bins.
     *
     * @param file    the PNG
     * @param scores  a score per row
     * @param labels    a class index per row, or null
     * @param classes   legend names by class index, or null
     * @param threshold the outlier threshold, marked by a vertical line (NaN: none)
     * @param legend    the threshold line's legend
     */
    public static void scoreHistogram(Path file, double[] scores, int[] labels, List<String> classes,
                                      double threshold, String legend) {
        double[] sorted = scores.clone();
        java.util.Arrays.sort(sorted);
        double lo = sorted[(int) (0.005 * (sorted.length - 1))];
        double hi = sorted[(int) Math.ceil(0.995 * (sorted.length - 1))];
        if (!Double.isNaN(threshold)) {
            lo = Math.min(lo, threshold);
            hi = Math.max(hi, threshold);
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        int bins = Math.clamp((int) Math.round(Math.sqrt(scores.length)), 8, 40);
        double width = (hi - lo) / bins;
        boolean byClass = classes != null && classes.size() <= DIGIT_COLORS.length;
        int groups = byClass ? classes.size() : 1;
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Test scores (negative ELBO per row, nats; higher = more anomalous)")
                .xAxisTitle("score").yAxisTitle("rows").build();
        chart.getStyler().setSeriesColors(DIGIT_COLORS);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        List<Double> centres = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            centres.add(lo + (b + 0.5) * width);
        }
        double tallest = 1;
        for (int g = 0; g < groups; g++) {
            double[] counts = new double[bins];
            int n = 0;
            for (int i = 0; i < scores.length; i++) {
                if (!byClass || labels[i] == g) {
                    int b = (int) Math.floor((scores[i] - lo) / width);
                    counts[Math.clamp(b, 0, bins - 1)]++;
                    n++;
                }
            }
            if (n > 0) {
                List<Double> ys = new ArrayList<>();
                for (double c : counts) {
                    ys.add(c);
                    tallest = Math.max(tallest, c);
                }
                XYSeries series = chart.addSeries(byClass ? classes.get(g) : "test rows", centres, ys);
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
                series.setMarker(SeriesMarkers.NONE);
            }
        }
        if (!Double.isNaN(threshold)) {
            XYSeries line = chart.addSeries(legend, List.of(threshold, threshold), List.of(0.0, tallest));
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(java.awt.Color.RED);
        }
        save(file, chart);
    }

    /**
     * Draws a small chart in memory on a daemon thread, when a second processor can do it while the run loads its
     * data and trains: a process's first chart costs 0.6-0.9 s of class loading and interpreted Java2D (fonts,
     * Marlin, the PNG writer), later ones a fifth of that. On one processor it would only take that time from the
     * run, so it does nothing there.
     */
    static void warmUpInBackground() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                XYChart chart = new XYChartBuilder().width(200).height(150).title("warm-up").xAxisTitle("x")
                        .yAxisTitle("y").build();
                chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
                chart.addSeries("a", List.of(0.0, 1.0, 2.0), List.of(1.0, 0.5, 2.0)).setMarker(SeriesMarkers.CIRCLE);
                chart.addSeries("b", List.of(0.0, 1.0, 2.0), List.of(2.0, 1.0, 0.0))
                        .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
                ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", OutputStream.nullOutputStream());
            } catch (IOException | RuntimeException e) {
                // only a warm-up: the real pictures report their own failures
            }
        }, "simdvae-pictures-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static void save(Path file, XYChart chart) {
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new SimdvaeException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void write(Path file, BufferedImage img) {
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new SimdvaeException("cannot write " + file + ": " + e.getMessage());
        }
    }
}
