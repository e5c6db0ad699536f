package simdvae.vae;

import simdvae.vae.data.Dataset;

/** Models the tests train: the one way they train a model to its end and close its trainer. */
final class Models {
    private Models() {
    }

    /**
     * Trains {@code vae} on {@code data} for its configuration's epochs, closing the trainer after.
     *
     * @param vae  the model
     * @param data its training rows
     * @return the same model, trained
     */
    static Vae trained(Vae vae, Dataset data) {
        try (Trainer trainer = new Trainer(vae)) {
            trainer.train(data);
        }
        return vae;
    }
}
