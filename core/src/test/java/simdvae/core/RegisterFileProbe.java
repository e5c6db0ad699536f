package simdvae.core;

/** Prints the register count this JVM gives the preferred width: run in a child JVM by {@link RegisterFileTest}. */
public final class RegisterFileProbe {
    private RegisterFileProbe() {
    }

    /**
     * Prints the count.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println(Simd.choose(Width.AUTO).registers().count());
    }
}
