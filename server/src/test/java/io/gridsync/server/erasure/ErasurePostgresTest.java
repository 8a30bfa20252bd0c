package io.gridsync.server.erasure;

import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The erasure with state and warehouse in PostgreSQL (embedded; fresh databases per test). The
 * search is SQL over the text of every row of every table of both databases: it sees live rows
 * only. Dead tuples not yet vacuumed, free space in pages, WAL segments and backups cannot be
 * searched this way (docs/privacy.md says what VACUUM does and does not reach).
 */
class ErasurePostgresTest extends ErasureContract {

    private static PostgresDatabases pg;
    private String stateUrl;
    private String warehouseUrl;

    @BeforeAll
    static void startPostgres() {
        pg = new PostgresDatabases();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @Override
    @BeforeEach
    void start() {
        stateUrl = pg.jdbcUrl(pg.create());
        warehouseUrl = pg.jdbcUrl(pg.create());
        super.start();
    }

    @Override
    Map<String, String> environment() {
        return Map.of("GRIDSYNC_DATABASE_URL", stateUrl, "GRIDSYNC_DATABASE_USER", "postgres",
                "GRIDSYNC_WAREHOUSE_URL", warehouseUrl, "GRIDSYNC_WAREHOUSE_USER", "postgres");
    }

    @Override
    List<String> rowsMentioning(String needle) {
        List<String> out = new ArrayList<>();
        for (String url : List.of(stateUrl, warehouseUrl)) {
            try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
                List<String> tables = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT table_schema, table_name FROM information_schema.tables "
                        + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tables.add("\"" + rs.getString(1) + "\".\"" + rs.getString(2) + "\"");
                    }
                }
                for (String t : tables) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + t + " AS r WHERE strpos(lower(r::text), ?) > 0")) {
                        ps.setString(1, needle);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            if (rs.getLong(1) > 0) {
                                out.add(t + ": " + rs.getLong(1) + " rows");
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
