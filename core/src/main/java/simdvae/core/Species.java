package simdvae.core;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The only place that touches {@code jdk.incubator.vector} types in {@code core}. Kept apart from {@link Simd} so that
 * {@link Simd} can load, and say what is wrong, on a JVM started without {@code --add-modules jdk.incubator.vector}.
 */
public final class Species {
    private Species() {
    }

    /**
     * The float species of a fixed vector width.
     *
     * @param width a vector width (not scalar or auto)
     * @return its species
     */
    public static VectorSpecies<Float> of(Width width) {
        return switch (width) {
            case W64 -> FloatVector.SPECIES_64;
            case W128 -> FloatVector.SPECIES_128;
            case W256 -> FloatVector.SPECIES_256;
            case W512 -> FloatVector.SPECIES_512;
            case AUTO, SCALAR -> throw new IllegalArgumentException("no vector species for width " + width);
        };
    }

    /** Bits of the CPU's preferred float species (what C2 compiles to real vector instructions). */
    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
