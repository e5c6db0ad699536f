package simdvae.vae;

import simdvae.core.SimdvaeException;

import java.util.Locale;

/** The spelling of an option's values on the command line and in files: an enum constant in lower case. */
final class Labels {
    private Labels() {
    }

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The value spelled {@code text} (case and surrounding spaces ignored), or a one-line error naming them all. */
    static <E extends Enum<E>> E parse(E[] values, String text, String what) {
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
