package io.gridsync.server.audiences;

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

    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final List<String> columns;
    private long row;

    JdbcCohortSource(String url, String user, String password, String query) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        Connection c = DriverManager.getConnection(url, props);
        try {
            if (!url.startsWith("jdbc:sqlite:")) {
                c.setReadOnly(true); // SQLite takes this only when opening; the query reads anyway
            }
            c.setAutoCommit(false);
            PreparedStatement ps = c.prepareStatement(query, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(FETCH);
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
