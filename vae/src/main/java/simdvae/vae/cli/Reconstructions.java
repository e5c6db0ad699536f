package simdvae.vae.cli;

import simdvae.vae.SimdvaeException;
import simdvae.vae.Vae;

/** Shared by the picture commands. */
final class Reconstructions {
    private Reconstructions() {
    }

    /** The image side of a model with square inputs. */
    static int side(Vae vae) {
        int input = vae.architecture().input();
        int side = (int) Math.round(Math.sqrt(input));
        if (side * side != input) {
            throw new SimdvaeException("the model's input size " + input + " is not a square image");
        }
        return side;
    }
}
