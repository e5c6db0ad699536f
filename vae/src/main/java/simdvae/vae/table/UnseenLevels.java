package simdvae.vae.table;

import simdvae.vae.model.Spelled;
import simdvae.vae.model.Spelling;

/** What a model does with a categorical level that its training rows did not have. */
public enum UnseenLevels implements Spelled {
    /** Refuse the row with one line naming it, its column and the level (the default when scoring new data). */
    ERROR,
    /**
     * Count it as the column's last level, {@value Schema#OTHER}, which training never saw: the model finds it
     * unlikely, so the row scores as anomalous in that column.
     */
    OTHER;

    /**
     * Parses a {@link #spelling()}.
     *
     * @param text the label (case and spaces ignored)
     * @return the policy
     */
    public static UnseenLevels parse(String text) {
        return Spelling.parse(values(), text, "unseen-levels policy");
    }
}
