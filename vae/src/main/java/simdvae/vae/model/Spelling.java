package simdvae.vae.model;

import java.util.Locale;
import simdvae.core.SimdvaeException;

/** How the values of simdvae's enums are spelled on the command line and in reports: the constant in lower case. */
public final class Spelling {
    private Spelling() {
    }

    /**
     * The spelling of {@code value}.
     *
     * @param value an enum constant
     * @return its name in lower case
     */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The value spelled {@code text} (case and surrounding spaces ignored), or a one-line error naming them all.
     *
     * @param values the enum's values
     * @param text   the spelling
     * @param what   what the values are, for the message ("likelihood")
     * @param <E>    the enum
     * @return the value
     * @throws SimdvaeException when no value is spelled so
     */
    public static <E extends Enum<E>> E parse(E[] values, String text, String what) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (of(values[i]).equals(t)) {
                return values[i];
            }
            names.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(of(values[i]));
        }
        throw new SimdvaeException("unknown " + what + " '" + text + "': use " + names);
    }
}
