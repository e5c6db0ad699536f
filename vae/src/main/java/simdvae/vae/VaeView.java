package simdvae.vae;

import simdvae.vae.internal.network.ModelView;
import simdvae.vae.internal.network.PackedWeights;
import simdvae.vae.internal.network.RowInput;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.RuntimeConfig;
import simdvae.vae.table.UnseenLevels;

/** A {@link Vae}'s side of inference and training: its settings, read live. */
final class VaeView implements ModelView {
    private final VaeParts vae;

    VaeView(VaeParts vae) {
        this.vae = vae;
    }

    @Override
    public Architecture architecture() {
        return vae.architecture();
    }

    @Override
    public float[] parameters() {
        return vae.parameterBuffer();
    }

    @Override
    public PackedWeights packedWeights() {
        return vae.fitted().packedWeights();
    }

    @Override
    public RowInput rows() {
        return vae.fitted().rows();
    }

    @Override
    public Likelihood likelihood() {
        return vae.likelihood();
    }

    @Override
    public long seed() {
        return vae.config().training().seed();
    }

    @Override
    public RuntimeConfig runtime() {
        return vae.config().runtime();
    }

    @Override
    public UnseenLevels unseenLevels() {
        return vae.unseenLevels();
    }

    @Override
    public int columnCount() {
        return vae.columnCount();
    }
}
