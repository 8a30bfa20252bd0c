package io.gridsync.server.testing;

import io.gridsync.server.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** What a test reads straight from a hub's state database (jobs, attempts, runs) to check its work. */
public final class StateQueries {

    private StateQueries() {}

    /** The first column of the first row, e.g. of a {@code SELECT COUNT(*)}. */
    public static long count(Database db, String sql) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The first column of every row, as text. */
    public static List<String> texts(Database db, String sql) {
        return db.query(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
