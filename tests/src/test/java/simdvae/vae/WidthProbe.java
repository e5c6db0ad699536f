package simdvae.vae;

import simdvae.core.Simd;
import simdvae.kernels.Kernels;

/**
 * Prints what {@code auto} resolves to in this JVM and which kernels {@link Kernels#current()} hands out: run in
 * JVMs set up to differ (no Vector API module, no C2) by {@link WidthRefusalTest}.
 */
public final class WidthProbe {
    private WidthProbe() {
    }

    /**
     * Prints two lines: the auto choice, and the width of the current kernels.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.err.println("auto: " + Simd.current());
        System.err.println("kernels: " + Kernels.current().width().spelling());
    }
}
