package simdvae.vae.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import simdvae.core.SimdvaeException;
import simdvae.vae.data.Dataset.Kind;

/**
 * CSV rows read from a stream as they arrive (standard input, a pipe from {@code tail -f}): a header row, then each
 * record, as soon as its line is complete, as a one-row {@link TabularDataset}. A stream cannot be read twice to find
 * its columns' kinds, so every feature column's kind must be given (a model's, through {@link TableFormat#kinds()}).
 * Its cells are read as {@link TabularDataset#read} reads a file's, with the same one-line errors naming the line.
 */
public final class CsvStream implements AutoCloseable {
    private final CsvTable cells;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> chosen;
    private final int[] at;
    private final Kind[] kinds;
    private final int labelAt;
    private final String labelName;

    private CsvStream(CsvTable cells, CSVParser parser, List<String> chosen, int[] at, Kind[] kinds, int labelAt,
                      String labelName) {
        this.cells = cells;
        this.parser = parser;
        this.records = parser.iterator();
        this.chosen = chosen;
        this.at = at;
        this.kinds = kinds;
        this.labelAt = labelAt;
        this.labelName = labelName;
    }

    /**
     * Reads the header of {@code in} and prepares its rows: {@code features} (in order; null: every column but the
     * label) and the label column when the stream has it.
     *
     * @param in       the stream (UTF-8)
     * @param name     what messages call it ("standard input")
     * @param features the feature columns, or null
     * @param label    the label column, or null
     * @param format   missing tokens and every feature column's kind
     * @return the stream's rows
     * @throws SimdvaeException for a header without the columns, or a feature column of no given kind
     */
    public static CsvStream open(InputStream in, String name, List<String> features, String label,
                                 TableFormat format) {
        CsvTable cells = CsvTable.stream(name, format);
        CSVParser parser;
        try {
            parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(true)
                    .setIgnoreEmptyLines(true).get().parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new SimdvaeException(name + ": cannot read its header: " + CsvTable.rootMessage(e));
        }
        cells.header(parser.getHeaderNames());
        String labelColumn = label != null && cells.header().contains(label) ? label : null;
        List<String> chosen = cells.choose(features, labelColumn);
        int n = chosen.size();
        int[] at = new int[n];
        Kind[] kinds = new Kind[n];
        for (int j = 0; j < n; j++) {
            at[j] = cells.header().indexOf(chosen.get(j));
            kinds[j] = format.kinds().get(chosen.get(j));
            if (kinds[j] == null) {
                throw new SimdvaeException(name + ": column '" + chosen.get(j) + "' has no kind to be read as (a"
                        + " stream is read once)");
            }
        }
        return new CsvStream(cells, parser, chosen, at, kinds,
                labelColumn == null ? -1 : cells.header().indexOf(labelColumn), labelColumn);
    }

    /**
     * The next row, as soon as its line is complete (blocking until then), or null at the end of the stream.
     *
     * @return a one-row data set, or null
     * @throws SimdvaeException for a malformed or ragged record, or a cell its column cannot take
     */
    public TabularDataset next() {
        CSVRecord rec;
        try {
            if (!records.hasNext()) {
                return null;
            }
            rec = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new SimdvaeException(cells.name() + ", near line " + (parser.getCurrentLineNumber() + 1)
                    + ": cannot parse: " + CsvTable.rootMessage(e));
        }
        long line = parser.getCurrentLineNumber();
        if (rec.size() != cells.header().size()) {
            throw new SimdvaeException(cells.name() + ", line " + line + ": " + rec.size() + " cells, the header has "
                    + cells.header().size());
        }
        int n = chosen.size();
        float[] values = new float[n];
        List<List<String>> levels = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            String cell = rec.get(at[j]);
            List<String> own = null;
            if (cells.format().missing(cell)) {
                cells.missingCell(cell, line, chosen.get(j));
                values[j] = Float.NaN;
            } else if (kinds[j] == Kind.NUMERIC) {
                values[j] = cells.number(cell, line, chosen.get(j));
            } else {
                own = List.of(cell);
                values[j] = 0;
            }
            levels.add(kinds[j] == Kind.CATEGORICAL ? own == null ? List.of() : own : null);
        }
        String[] label = null;
        if (labelAt >= 0) {
            label = new String[] {rec.get(labelAt)};
            if (label[0].isEmpty()) {
                throw new SimdvaeException(cells.name() + ", line " + line + ", column '" + labelName
                        + "': the label is empty");
            }
        }
        return new TabularDataset(cells.name(), new long[] {line}, values, chosen, kinds, levels, labelName, label);
    }

    /** Closes the stream. */
    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new SimdvaeException("cannot close " + cells.name() + ": " + Storage.describe(e));
        }
    }
}
