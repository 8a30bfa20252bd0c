package io.gridsync.server.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A warehouse database with real schemas and an {@code information_schema} (PostgreSQL, DuckDB):
 * a source's schema is {@code CREATE SCHEMA}d and its tables are named {@code "schema"."table"}.
 */
abstract class SchemaWarehouseDialect extends WarehouseDialect {

    @Override
    String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    @Override
    void createSchema(Connection c, String schema) throws SQLException {
        execute(c, "CREATE SCHEMA IF NOT EXISTS " + quote(schema));
    }

    @Override
    Set<String> existingColumns(Connection c, String schema, String table) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Override
    Set<String> existingTables(Connection c, String schema) throws SQLException {
        Set<String> out = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
