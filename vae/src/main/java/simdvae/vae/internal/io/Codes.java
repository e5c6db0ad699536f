package simdvae.vae.internal.io;

import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.Scaling;

/**
 * The codes that model files and checkpoints write for enum values, each fixed here by hand: reordering or adding a
 * constant must never change what an old file means (a test pins every code).
 */
public final class Codes {
    private Codes() {
    }

    /**
     * A likelihood's code: Bernoulli 0, Gaussian 1.
     *
     * @param v the likelihood
     * @return its code
     */
    public static int of(Likelihood v) {
        return switch (v) {
            case BERNOULLI -> 0;
            case GAUSSIAN -> 1;
        };
    }

    /**
     * A scaling's code: auto 0 (a checkpoint's requested scaling only), none 1, standardize 2, min-max 3.
     *
     * @param v the scaling
     * @return its code
     */
    public static int of(Scaling v) {
        return switch (v) {
            case AUTO -> 0;
            case NONE -> 1;
            case STANDARDIZE -> 2;
            case MINMAX -> 3;
        };
    }

    /**
     * A column kind's code: numeric 0, categorical 1.
     *
     * @param v the kind
     * @return its code
     */
    public static int of(Dataset.Kind v) {
        return switch (v) {
            case NUMERIC -> 0;
            case CATEGORICAL -> 1;
        };
    }

    /**
     * A decision kind's code: none 0, contamination 1, threshold 2, false-discovery rate 3.
     *
     * @param v the kind
     * @return its code
     */
    public static int of(Decision.Kind v) {
        return switch (v) {
            case NONE -> 0;
            case CONTAMINATION -> 1;
            case THRESHOLD -> 2;
            case FDR -> 3;
        };
    }

    /**
     * The likelihood of {@code code}, or a one-line error naming the file.
     *
     * @param code the code read
     * @param file the file, for the message
     * @return the likelihood
     */
    public static Likelihood likelihood(int code, String file) {
        return find(Likelihood.values(), code, file, "likelihood");
    }

    /**
     * The scaling of {@code code}.
     *
     * @param code the code read
     * @param file the file, for the message
     * @return the scaling
     */
    public static Scaling scaling(int code, String file) {
        return find(Scaling.values(), code, file, "scaling");
    }

    /**
     * The column kind of {@code code}.
     *
     * @param code the code read
     * @param file the file, for the message
     * @return the kind
     */
    public static Dataset.Kind kind(int code, String file) {
        return find(Dataset.Kind.values(), code, file, "column kind");
    }

    /**
     * The decision kind of {@code code}.
     *
     * @param code the code read
     * @param file the file, for the message
     * @return the kind
     */
    public static Decision.Kind decision(int code, String file) {
        return find(Decision.Kind.values(), code, file, "decision");
    }

    private static <E extends Enum<E>> E find(E[] values, int code, String file, String what) {
        for (E v : values) {
            if (code(v) == code) {
                return v;
            }
        }
        throw new SimdvaeException(file + " is damaged: unknown " + what + " code " + code);
    }

    private static int code(Enum<?> v) {
        return switch (v) {
            case Likelihood l -> of(l);
            case Scaling s -> of(s);
            case Dataset.Kind k -> of(k);
            case Decision.Kind d -> of(d);
            default -> throw new IllegalArgumentException("no file code for " + v);
        };
    }
}
