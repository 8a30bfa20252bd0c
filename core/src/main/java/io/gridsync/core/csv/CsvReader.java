package io.gridsync.core.csv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV (RFC 4180) one record at a time from a stream, so a file of any size is never held in
 * memory. The parsing is jackson-dataformat-csv's; this adds what gridsync's callers need on top:
 * a leading byte-order mark is dropped, blank lines are skipped, {@link #recordLine()} is the
 * physical line a record starts on (counting line breaks inside quoted cells, as an editor shows
 * it), and a record the parser cannot read (a quote that never closes, text after a closing quote)
 * is flagged {@link #malformed()} so the caller can report it instead of failing the whole file.
 */
public final class CsvReader implements AutoCloseable {

    private static final CsvFactory FACTORY = new CsvFactory(); // without a schema, each record is an array of its cells

    private final CsvParser parser;
    private boolean first = true;
    private long nextLine = 1;
    private long recordLine;
    private boolean malformed;

    public CsvReader(Reader in) throws IOException {
        this.parser = (CsvParser) FACTORY.createParser(in);
    }

    /** The next record's cells, or null at the end of the input. Blank lines are skipped. */
    public List<String> next() throws IOException {
        while (true) {
            List<String> cells = record();
            if (cells == null) {
                return null;
            }
            if (!(cells.size() == 1 && cells.get(0).isEmpty() && !malformed)) {
                return cells;
            }
        }
    }

    /** The line the last record returned by {@link #next()} began on (1-based). */
    public long recordLine() {
        return recordLine;
    }

    /** Whether the last record could not be read as CSV (its cells are what could be read). */
    public boolean malformed() {
        return malformed;
    }

    private List<String> record() throws IOException {
        malformed = false;
        recordLine = nextLine;
        List<String> cells = new ArrayList<>();
        while (true) {
            JsonToken t;
            try {
                t = parser.nextToken();
            } catch (JsonProcessingException e) {
                malformed = true; // the parser resumes at the next cell; the record is reported, not trusted
                continue;
            }
            if (t == null) {
                if (cells.isEmpty() && !malformed) {
                    return null;
                }
                break;
            }
            if (t == JsonToken.START_ARRAY) {
                continue;
            }
            if (t == JsonToken.END_ARRAY) {
                break;
            }
            String cell = parser.getText();
            if (first) {
                first = false;
                if (cell.startsWith("\uFEFF")) {
                    cell = cell.substring(1);
                }
            }
            nextLine += lineBreaks(cell);
            cells.add(cell);
        }
        first = false;
        nextLine++;
        return cells;
    }

    private static int lineBreaks(String cell) {
        int n = 0;
        for (int i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
