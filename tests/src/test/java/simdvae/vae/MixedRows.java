package simdvae.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import simdvae.vae.data.Dataset;

/**
 * A mixed table as users bring them: numeric columns of different units driven by two hidden factors, a categorical
 * column that follows them, a free categorical one, and about 4 % missing cells. Rows of one seed and another are
 * drawn alike; {@link #anomalous} rows break the relation between the columns.
 */
final class MixedRows {
    static final List<String> COLUMNS = List.of("price", "area", "rooms", "age", "distance", "region", "kind");

    private MixedRows() {
    }

    /** {@code n} rows drawn like any other seed's; {@code anomalous} of them (at random places) with shuffled cells. */
    static Object[][] make(int n, int anomalous, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Object[][] rows = new Object[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = row(r);
        }
        for (int k = 0; k < anomalous; k++) {
            Object[] odd = row(r);
            Object[] other = row(r);
            odd[1] = other[1];
            odd[0] = odd[0] == null ? null : ((Double) odd[0]) * (r.nextBoolean() ? 0.4 : 2.5);
            odd[5] = other[5];
            rows[r.nextInt(n)] = odd;
        }
        return rows;
    }

    private static Object[] row(SplittableRandom r) {
        double u = r.nextGaussian();
        double v = r.nextGaussian();
        double area = Math.exp(4.3 + 0.35 * u + 0.05 * r.nextGaussian());
        double rooms = Math.max(1, Math.round(area / 25 + 0.3 * r.nextGaussian()));
        double age = Math.max(0, 40 + 15 * v + 3 * r.nextGaussian());
        double distance = Math.exp(1.5 + 0.5 * v - 0.3 * u + 0.1 * r.nextGaussian());
        double price = 3000 * area * Math.exp(-0.15 * Math.log(distance) - 0.004 * age + 0.05 * r.nextGaussian());
        String region = distance < 3 ? "centre" : distance < 7 ? "suburb" : "rural";
        String kind = r.nextInt(10) < 7 ? "flat" : "house";
        Object[] row = {price, area, rooms, age, distance, region, kind};
        for (int j = 0; j < row.length; j++) {
            if (r.nextInt(25) == 0) {
                row[j] = null;
            }
        }
        return row;
    }

    /** The rows as a data set. */
    static Dataset dataset(Object[][] rows) {
        return Dataset.of(rows, COLUMNS);
    }

    /** The rows as CSV text with a header (an empty cell for a missing one). */
    static String csv(Object[][] rows) {
        StringBuilder s = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Object[] row : rows) {
            List<String> cells = new ArrayList<>();
            for (Object c : row) {
                cells.add(c == null ? "" : c instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : c.toString());
            }
            s.append(String.join(",", cells)).append('\n');
        }
        return s.toString();
    }
}
