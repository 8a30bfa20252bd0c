package io.gridsync.server.audiences;

import io.gridsync.server.security.CohortJdbcRules;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A cohort from a SQL query, streamed: read-only, in a transaction with a fetch size so PostgreSQL
 * sends rows in chunks instead of the whole result. Column labels are the column names.
 */
final class JdbcCohortSource implements CohortSource {

    private static final int FETCH = 5_000;
    /** A cohort query longer than this is cancelled: a runaway query must not hold the source's database. */
    static final int QUERY_TIMEOUT_SECONDS = 30 * 60;

    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final List<String> columns;
    private long row;

    /**
     * @param confined the hub opening a source an admin-token holder gave: connection failures are told
     *                 alike (no port scan through them) and only a SELECT or WITH query runs
     */
    JdbcCohortSource(CohortJdbcRules.Allowed allowed, String user, String password, String query, boolean confined) throws SQLException {
        String url = allowed.url();
        Properties props = new Properties();
        props.putAll(allowed.properties());
        if (confined) {
            checkQuery(query);
        }
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        Connection c;
        try {
            c = DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            if (!confined) {
                throw e;
            }
            // one message whatever went wrong: otherwise refused, timed-out and not-PostgreSQL ports tell a scan apart
            throw new IllegalArgumentException("could not connect to the cohort database " + CohortSourceSpec.maskUrl(url)
                    + "; check host, port, database, user and password");
        }
        try {
            if (!allowed.sqlite()) {
                c.setReadOnly(true); // SQLite is opened read-only by its open_mode instead
            }
            c.setAutoCommit(false);
            PreparedStatement ps = c.prepareStatement(query, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(FETCH);
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ResultSet rs = ps.executeQuery();
            ResultSetMetaData md = rs.getMetaData();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(md.getColumnLabel(i));
            }
            this.connection = c;
            this.statement = ps;
            this.rows = rs;
            this.columns = List.copyOf(cols);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** A cohort query reads: one SELECT or WITH statement (ATTACH, PRAGMA and writes are refused before they reach a driver). */
    static void checkQuery(String query) {
        String q = query.stripLeading();
        if (!q.regionMatches(true, 0, "SELECT", 0, 6) && !q.regionMatches(true, 0, "WITH", 0, 4)) {
            throw new IllegalArgumentException("a cohort query is one SELECT (or WITH ... SELECT) statement");
        }
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public List<String> next() throws SQLException {
        if (!rows.next()) {
            return null;
        }
        row++;
        List<String> out = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
            out.add(rows.getString(i));
        }
        return out;
    }

    @Override
    public long position() {
        return row;
    }

    @Override
    public boolean malformed() {
        return false;
    }

    @Override
    public void close() throws SQLException {
        try {
            rows.close();
            statement.close();
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
