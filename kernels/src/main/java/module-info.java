/**
 * simdvae's kernel families: each a plain scalar reference and a Vector API version generic over the species, and
 * {@code ParallelKernels}, which runs them on a worker pool. Nothing but the JDK.
 */
module simdvae.kernels {
    requires transitive simdvae.core;

    exports simdvae.kernels;
}
