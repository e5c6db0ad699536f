package simdvae.vae.data;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a table's cells are read: which texts mean "missing", whether missing cells are refused, and which columns
 * are forced to a kind. By default an empty cell is missing and a column is numeric when every cell that is not
 * missing is a number, categorical otherwise.
 *
 * @param missingTokens texts that mark a missing cell besides the empty one (e.g. {@code NA}, {@code ?})
 * @param refuseMissing whether a missing cell is an error (the strict reading of earlier versions)
 * @param kinds         columns forced to a kind (codes or zip codes as categorical, say), by name
 */
public record TableFormat(Set<String> missingTokens, boolean refuseMissing, Map<String, Dataset.Kind> kinds) {
    /** Copies the sets. */
    public TableFormat {
        missingTokens = Set.copyOf(missingTokens);
        kinds = Map.copyOf(kinds);
    }

    /**
     * Empty cells are missing, kinds found from the cells.
     *
     * @return the default format
     */
    public static TableFormat defaults() {
        return new TableFormat(Set.of(), false, Map.of());
    }

    /**
     * This format with other missing tokens.
     *
     * @param tokens texts that mark a missing cell besides the empty one
     * @return the changed format
     */
    public TableFormat withMissingTokens(List<String> tokens) {
        return new TableFormat(Set.copyOf(tokens), refuseMissing, kinds);
    }

    /**
     * This format refusing missing cells, or not.
     *
     * @param refuse true to refuse them
     * @return the changed format
     */
    public TableFormat withRefuseMissing(boolean refuse) {
        return new TableFormat(missingTokens, refuse, kinds);
    }

    /**
     * This format with columns forced to a kind.
     *
     * @param forced kinds by column name
     * @return the changed format
     */
    public TableFormat withKinds(Map<String, Dataset.Kind> forced) {
        return new TableFormat(missingTokens, refuseMissing, forced);
    }

    /**
     * Whether a cell's text marks a missing value.
     *
     * @param cell the text, surrounding spaces removed
     * @return true for the empty cell and the missing tokens
     */
    public boolean missing(String cell) {
        return cell.isEmpty() || missingTokens.contains(cell);
    }
}
