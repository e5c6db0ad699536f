/**
 * simdvae's core: SIMD width selection, the worker pool, the counter-based random numbers, the matrix view and the
 * library's one exception type. Nothing but the JDK.
 */
module simdvae.core {
    requires transitive jdk.incubator.vector;
    requires java.management;
    requires jdk.management;

    exports simdvae.core;
}
