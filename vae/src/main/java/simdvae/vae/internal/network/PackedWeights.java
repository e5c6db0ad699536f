package simdvae.vae.internal.network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import simdvae.kernels.Kernels;
import simdvae.vae.model.Architecture;

/**
 * One model's weights packed for inference (ONNX Runtime likewise packs a session's weights once): one {@link
 * PackedLayers} per kernel set that runs the model's inference, since a packed B belongs to one width and register
 * tile and views of a model ({@code withWidth}) may run at another. Every view of the model shares this holder, as
 * they share the parameter buffer.
 *
 * <p>The parameters may change in place (a trainer on the model, a warm start, early stopping's best epoch put
 * back): whoever changes them calls {@link #parametersChanged}, and each packing is made again, into its old arrays,
 * at the first inference call after that. A call reads the version once, before it starts, so the packing it uses
 * is whole; inference that runs while a trainer steps the same model reads parameters that change under it, packed
 * or not, and is not supported.
 */
public final class PackedWeights {
    /** Bumped on every change of the parameters; a packing of an older version is stale. */
    private final AtomicLong version = new AtomicLong();
    /** One packing per kernel set the model's views run on (a handful at most). */
    private final List<PackedLayers> byKernels = new ArrayList<>();

    /** Says that the parameters have changed in place: every packing is made again before its next use. */
    public void parametersChanged() {
        version.incrementAndGet();
    }

    /** The version of the parameters as they stand. */
    long version() {
        return version.get();
    }

    /**
     * The packing of the model's weights for {@code kernels}, made empty on first request (it packs at its first
     * {@link PackedLayers#current}).
     *
     * @param kernels the kernels that run the inference
     * @param arch    the model's layers
     * @return that kernel set's packing, one per kernel set
     */
    public synchronized PackedLayers forKernels(Kernels kernels, Architecture arch) {
        for (PackedLayers p : byKernels) {
            if (p.kernels() == kernels) {
                return p;
            }
        }
        PackedLayers p = new PackedLayers(this, kernels, arch);
        byKernels.add(p);
        return p;
    }
}
