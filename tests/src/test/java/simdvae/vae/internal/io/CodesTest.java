package simdvae.vae.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset;
import simdvae.vae.decide.Decision;
import simdvae.vae.model.Likelihood;
import simdvae.vae.model.Scaling;

/**
 * The codes files hold for enum values are the files' meaning: a code that changes makes every old file say
 * something else. These are the codes of formats 1 to 5; a new constant gets a new code, an old one keeps its own.
 */
class CodesTest {
    @Test
    void everyCodeIsTheOneOldFilesHold() {
        assertEquals(Map.of(Likelihood.BERNOULLI, 0, Likelihood.GAUSSIAN, 1), codes(Likelihood.values()));
        assertEquals(Map.of(Scaling.AUTO, 0, Scaling.NONE, 1, Scaling.STANDARDIZE, 2, Scaling.MINMAX, 3),
                codes(Scaling.values()));
        assertEquals(Map.of(Dataset.Kind.NUMERIC, 0, Dataset.Kind.CATEGORICAL, 1), codes(Dataset.Kind.values()));
        assertEquals(Map.of(Decision.Kind.NONE, 0, Decision.Kind.CONTAMINATION, 1, Decision.Kind.THRESHOLD, 2,
                Decision.Kind.FDR, 3),
                codes(Decision.Kind.values()));
    }

    @Test
    void aCodeReadsBackAsItsValueAndAnUnknownOneIsRefusedInOneLine() {
        for (Likelihood v : Likelihood.values()) {
            assertEquals(v, Codes.likelihood(Codes.of(v), "f"));
        }
        for (Scaling v : Scaling.values()) {
            assertEquals(v, Codes.scaling(Codes.of(v), "f"));
        }
        for (Dataset.Kind v : Dataset.Kind.values()) {
            assertEquals(v, Codes.kind(Codes.of(v), "f"));
        }
        for (Decision.Kind v : Decision.Kind.values()) {
            assertEquals(v, Codes.decision(Codes.of(v), "f"));
        }
        SimdvaeException e = assertThrows(SimdvaeException.class, () -> Codes.scaling(7, "m.svae"));
        assertTrue(e.getMessage().equals("m.svae is damaged: unknown scaling code 7"), e.getMessage());
    }

    private static <E extends Enum<E>> Map<E, Integer> codes(E[] values) {
        Map<E, Integer> m = new java.util.HashMap<>();
        for (E v : values) {
            m.put(v, switch (v) {
                case Likelihood l -> Codes.of(l);
                case Scaling s -> Codes.of(s);
                case Dataset.Kind k -> Codes.of(k);
                case Decision.Kind d -> Codes.of(d);
                default -> throw new IllegalArgumentException(v.toString());
            });
        }
        return m;
    }
}
