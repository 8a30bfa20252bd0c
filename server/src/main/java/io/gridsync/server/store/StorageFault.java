package io.gridsync.server.store;

import org.sqlite.SQLiteException;

import java.sql.SQLException;

/**
 * Tells a storage fault (the disk is full, an I/O error, the database went away) from an error in
 * what was asked (a constraint, bad SQL). After a storage fault the connection's idea of its own
 * transaction can no longer be trusted: SQLite rolls a transaction back by itself on SQLITE_FULL
 * and SQLITE_IOERR while the driver still believes it is open, so the next statement on that
 * connection would commit on its own. Such a connection is never used again.
 */
public final class StorageFault {

    private StorageFault() {}

    // SQLite's primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_NOMEM = 7;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_NOTADB = 26;

    /** True when {@code e}, or an SQLException it wraps, is a storage fault rather than a fault of the request. */
    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && isStorage(s)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** True when the disk (or the database's own size limit) is full. */
    public static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s && (s.getResultCode().code & 0xff) == SQLITE_FULL) {
                return true;
            }
            if (t instanceof SQLException s && "53100".equals(s.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * True when {@code e}, or an SQLException it wraps, says the work waited its turn too long (the
     * pool had no connection to give, SQLite's write lock stayed taken, a PostgreSQL lock or
     * serialization conflict): neither the storage's fault nor the request's, and trying the same
     * work again at once would only wait as long again.
     */
    public static boolean isContention(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException) {
                return true; // HikariCP's "connection is not available, request timed out"
            }
            if (t instanceof SQLiteException s) {
                int primary = s.getResultCode().code & 0xff;
                if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
                    return true;
                }
            } else if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().equals("55P03") || s.getSQLState().equals("40001") || s.getSQLState().equals("40P01"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static boolean isStorage(SQLException e) {
        if (e instanceof SQLiteException s) {
            int primary = s.getResultCode().code & 0xff;
            return primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_NOMEM || primary == SQLITE_CORRUPT
                    || primary == SQLITE_CANTOPEN || primary == SQLITE_NOTADB || primary == SQLITE_READONLY;
        }
        String state = e.getSQLState();
        if (state == null || state.length() < 2) {
            return false;
        }
        // PostgreSQL classes: 08 connection exception, 53 insufficient resources (53100 disk_full),
        // 57 operator intervention (admin shutdown, crash), 58 system error (I/O), XX internal error
        String cls = state.substring(0, 2);
        return cls.equals("08") || cls.equals("53") || cls.equals("57") || cls.equals("58") || cls.equals("XX");
    }
}
