package simdvae.vae.internal.network;

import simdvae.kernels.GemmKernel;
import simdvae.kernels.GemmPackedB;
import simdvae.kernels.Kernels;
import simdvae.vae.model.Architecture;
import simdvae.vae.model.Dense;

/**
 * Every dense layer's weights of one model packed by one kernel set ({@link Dense#pack}): encoder layers, head,
 * decoder layers, output. Read-only between packings, so every inference buffer set and thread shares it. {@link
 * #current} packs it when the model's parameters have changed since it was last packed, into the arrays of the last
 * packing: nothing is allocated after the first.
 */
public final class PackedLayers {
    private final PackedWeights owner;
    private final Kernels kernels;
    private final Architecture arch;
    private final GemmPackedB[] encoder;
    private final GemmPackedB[] decoder;
    private GemmPackedB head;
    private GemmPackedB output;
    /**
     * The version of the parameters packed, -1 before the first packing. Written after the arrays, under the lock;
     * a reader that sees the version it expects sees the arrays of that packing.
     */
    private volatile long packedAt = -1;

    PackedLayers(PackedWeights owner, Kernels kernels, Architecture arch) {
        this.owner = owner;
        this.kernels = kernels;
        this.arch = arch;
        this.encoder = new GemmPackedB[arch.encoder().size()];
        this.decoder = new GemmPackedB[arch.decoder().size()];
    }

    /** The kernel set that packed (and reads) these weights. */
    Kernels kernels() {
        return kernels;
    }

    /**
     * These layers packed from the parameters as they stand: packed now when they changed since the last packing (at
     * most one thread packs; the others wait for it).
     *
     * @param params the model's parameter buffer
     * @return this
     */
    public PackedLayers current(float[] params) {
        long version = owner.version(); // read before the parameters: a change during packing packs again next time
        if (packedAt != version) {
            synchronized (this) {
                if (packedAt != version) {
                    pack(params);
                    packedAt = version;
                }
            }
        }
        return this;
    }

    private void pack(float[] params) {
        GemmKernel gemm = kernels.gemm();
        for (int i = 0; i < encoder.length; i++) {
            encoder[i] = arch.encoder().get(i).pack(gemm, params, encoder[i]);
        }
        head = arch.head().pack(gemm, params, head);
        for (int i = 0; i < decoder.length; i++) {
            decoder[i] = arch.decoder().get(i).pack(gemm, params, decoder[i]);
        }
        output = arch.output().pack(gemm, params, output);
    }

    /** Encoder layer {@code i}'s weights. */
    GemmPackedB encoder(int i) {
        return encoder[i];
    }

    /** The head's weights (μ and log σ²). */
    GemmPackedB head() {
        return head;
    }

    /** Decoder layer {@code i}'s weights. */
    GemmPackedB decoder(int i) {
        return decoder[i];
    }

    /** The output layer's weights. */
    GemmPackedB output() {
        return output;
    }
}
