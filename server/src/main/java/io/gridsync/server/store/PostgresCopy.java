package io.gridsync.server.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows streamed into PostgreSQL with {@code COPY ... FROM STDIN} in text format, sent in chunks of
 * about a megabyte: the cheapest way for the server to take many rows (no statement to parse or
 * plan, no parameters to bind). Text values are escaped as the format wants; NUL, which PostgreSQL
 * refuses in text, becomes U+FFFD.
 */
public final class PostgresCopy implements AutoCloseable {

    private static final int CHUNK_CHARS = 1 << 20;

    private final CopyIn in;
    private final StringBuilder sb = new StringBuilder(CHUNK_CHARS + 8192);
    private boolean rowStarted;

    private PostgresCopy(CopyIn in) {
        this.in = in;
    }

    /** Starts {@code copySql} ({@code COPY table (columns) FROM STDIN}) on the connection. */
    public static PostgresCopy start(Connection c, String copySql) throws SQLException {
        return new PostgresCopy(c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql));
    }

    public PostgresCopy text(String s) {
        separate();
        if (s == null) {
            sb.append("\\N");
            return this;
        }
        // most values have nothing to escape: five vectorized scans find that faster than a loop over the chars
        if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\0') < 0) {
            sb.append(s);
            return this;
        }
        // runs without a character to escape (nearly all of a JSON body) are copied whole
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch > '\\' || (ch != '\\' && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\0')) {
                continue;
            }
            sb.append(s, from, i).append(switch (ch) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> "\uFFFD";
            });
            from = i + 1;
        }
        if (from == 0) {
            sb.append(s); // one array copy, where a range is appended char by char on Java 17
        } else {
            sb.append(s, from, s.length());
        }
        return this;
    }

    /** A value whose text form needs no escaping (numbers, booleans as t/f, timestamps). */
    public PostgresCopy plain(Object v) {
        separate();
        if (v == null) {
            sb.append("\\N");
        } else {
            sb.append(v);
        }
        return this;
    }

    public PostgresCopy number(long v) {
        separate();
        sb.append(v);
        return this;
    }

    public void endRow() throws SQLException {
        sb.append('\n');
        rowStarted = false;
        if (sb.length() >= CHUNK_CHARS) {
            flush();
        }
    }

    /** Sends what is left and ends the COPY; returns the rows PostgreSQL took. */
    public long finish() throws SQLException {
        flush();
        return in.endCopy();
    }

    private void separate() {
        if (rowStarted) {
            sb.append('\t');
        }
        rowStarted = true;
    }

    private void flush() throws SQLException {
        if (sb.length() == 0) {
            return;
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        sb.setLength(0);
    }

    /** Cancels a COPY that did not finish, so the connection is usable (its transaction fails). */
    @Override
    public void close() throws SQLException {
        if (in.isActive()) {
            in.cancelCopy();
        }
    }
}
