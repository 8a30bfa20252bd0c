package io.gridsync.core.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV (RFC 4180) one record at a time from a stream, so a file of any size is never held in
 * memory: quoted cells may hold commas, doubled quotes and line breaks; lines end in LF or CRLF; a
 * leading byte-order mark is skipped. A record whose quote never closes runs to the end of the
 * input and is flagged {@link #malformed()}, so the caller can report it instead of failing.
 */
public final class CsvReader implements AutoCloseable {

    private final Reader in;
    private final char[] buf = new char[64 * 1024];
    private int pos;
    private int len;
    private boolean eof;
    private boolean first = true;
    private long line = 1;
    private long recordLine;
    private boolean malformed;

    public CsvReader(Reader in) {
        this.in = in;
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

    /** Whether the last record had a quote that never closed. */
    public boolean malformed() {
        return malformed;
    }

    private List<String> record() throws IOException {
        int c = read();
        if (c < 0) {
            return null;
        }
        if (first) {
            first = false;
            if (c == '\uFEFF') {
                c = read();
                if (c < 0) {
                    return null;
                }
            }
        }
        recordLine = line;
        malformed = false;
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (c < 0) {
                if (quoted) {
                    malformed = true;
                }
                cells.add(cell.toString());
                return cells;
            }
            char ch = (char) c;
            if (quoted) {
                if (ch == '"') {
                    int n = peek();
                    if (n == '"') {
                        read();
                        cell.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                cells.add(cell.toString());
                return cells;
            } else {
                cell.append(ch);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (pos == len && !fill()) {
            return -1;
        }
        return buf[pos++];
    }

    private int peek() throws IOException {
        if (pos == len && !fill()) {
            return -1;
        }
        return buf[pos];
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        len = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
