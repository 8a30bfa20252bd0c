package io.gridsync.server.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows streamed into PostgreSQL with {@code COPY ... FROM STDIN (FORMAT binary)}: each value goes
 * as its length and its bytes, so neither side scans it for characters to escape (the text format
 * makes the server look at every byte of a journal body for tabs and backslashes). For text and
 * bigint columns only, in the order the COPY names them. NUL, which PostgreSQL refuses in text,
 * becomes U+FFFD as in {@link PostgresCopy}.
 */
public final class PostgresBinaryCopy implements AutoCloseable {

    private static final int CHUNK_BYTES = 1 << 16;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private final CopyIn in;
    private final int columns;
    private byte[] buf = new byte[CHUNK_BYTES + 1024];
    private int len;

    private PostgresBinaryCopy(CopyIn in, int columns) {
        this.in = in;
        this.columns = columns;
        System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
        len = HEADER.length;
    }

    /** Starts {@code copySql} ({@code COPY table (columns) FROM STDIN (FORMAT binary)}) for rows of {@code columns} values. */
    public static PostgresBinaryCopy start(Connection c, String copySql, int columns) throws SQLException {
        return new PostgresBinaryCopy(c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql), columns);
    }

    /** Begins a row; then exactly {@code columns} values. */
    public PostgresBinaryCopy row() throws SQLException {
        if (len >= CHUNK_BYTES) {
            flush(); // the server works on what it has while the rest is prepared
        }
        room(2);
        buf[len++] = (byte) (columns >>> 8);
        buf[len++] = (byte) columns;
        return this;
    }

    public PostgresBinaryCopy text(String s) {
        if (s == null) {
            room(4);
            putInt(-1);
            return this;
        }
        byte[] bytes = (s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD')).getBytes(StandardCharsets.UTF_8);
        room(4 + bytes.length);
        putInt(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        return this;
    }

    /** A bigint (int8) column's value. */
    public PostgresBinaryCopy bigint(long v) {
        room(12);
        putInt(8);
        putInt((int) (v >>> 32));
        putInt((int) v);
        return this;
    }

    /** Sends what is left and the trailer, and ends the COPY; returns the rows PostgreSQL took. */
    public long finish() throws SQLException {
        room(2);
        buf[len++] = (byte) 0xFF;
        buf[len++] = (byte) 0xFF;
        flush();
        return in.endCopy();
    }

    private void putInt(int v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    private void flush() throws SQLException {
        if (len > 0) {
            in.writeToCopy(buf, 0, len);
            len = 0;
        }
    }

    /** Cancels a COPY that did not finish, so the connection is usable (its transaction fails). */
    @Override
    public void close() throws SQLException {
        if (in.isActive()) {
            in.cancelCopy();
        }
    }
}
