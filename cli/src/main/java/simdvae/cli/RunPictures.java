package simdvae.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import simdvae.vae.Vae;
import simdvae.vae.data.Dataset;

/**
 * The pictures of a trained model, as {@code train} and {@code spark train} both draw them: the test rows' latent
 * means by label, and for square images the reconstructions, samples and (latent size 2) the manifold. The loss
 * curve and the score histogram are each command's own.
 */
public final class RunPictures {
    /** Rows shown in the latent scatter at most. */
    private static final int SHOWN = 5000;

    private RunPictures() {
    }

    /**
     * Draws the pictures of {@code model} on its test rows into {@code dir}.
     *
     * @param dir    the run's directory
     * @param model  the trained model
     * @param test   its test rows
     * @param images whether they are IDX images
     */
    public static void write(Path dir, Vae model, Dataset test, boolean images) {
        int shown = Math.min(test.size(), SHOWN);
        int[] first = new int[shown];
        for (int i = 0; i < shown; i++) {
            first[i] = i;
        }
        Dataset rows = test.rows(first);
        Pictures.latentScatter(dir.resolve("latent.png"), model.encode(rows).mu(), labels(rows),
                classNames(test, images));
        int side = Pictures.squareSide(model.architecture().input());
        if (images && side > 0) {
            float[][] originals = Rows.of(test, Math.min(30, test.size()));
            Pictures.reconstructions(dir.resolve("reconstructions.png"), originals, model.reconstruct(originals), side,
                    10);
            Pictures.grid(dir.resolve("samples.png"), model.sample(100, model.config().training().seed()), side, 10);
            if (model.architecture().latent() == 2) {
                Pictures.manifold(dir.resolve("manifold.png"), model, 15, 3.0, side);
            }
        }
    }

    static int[] labels(Dataset d) {
        int[] labels = new int[d.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = d.label(i);
        }
        return labels;
    }

    /** Legend names: "digit 0" … for images; a CSV label's classes, "class 0" for a column named class holding 0. */
    static List<String> classNames(Dataset d, boolean images) {
        List<String> names = new ArrayList<>();
        if (images) {
            for (int digit = 0; digit <= 9; digit++) {
                names.add("digit " + digit);
            }
            return names;
        }
        if (d.labelClasses() == null) {
            return null;
        }
        for (String c : d.labelClasses()) {
            names.add(c.matches("-?[0-9.eE+]+") ? d.labelName() + " " + c : c);
        }
        return names;
    }
}
