package io.gridsync.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cohort syncs with the membership in PostgreSQL (GRIDSYNC_DATABASE_URL), and a cohort selected by
 * a SQL query from a PostgreSQL database.
 */
class CohortSyncPostgresTest extends CohortSyncContract {

    private static PostgresDatabases pg;
    private String state;

    @BeforeAll
    static void startPostgres() {
        pg = new PostgresDatabases();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @BeforeEach
    void freshState() {
        state = pg.jdbcUrl(pg.create());
    }

    @Override
    Map<String, String> stateEnv() {
        return Map.of("GRIDSYNC_DATABASE_URL", state, "GRIDSYNC_DATABASE_USER", "postgres");
    }

    @Test
    void aCohortFromASqlQueryOnPostgres() throws Exception {
        String crm = pg.jdbcUrl(pg.create());
        try (Connection c = DriverManager.getConnection(crm, "postgres", null); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (id SERIAL PRIMARY KEY, email TEXT, first_name TEXT, plan TEXT, vip BOOLEAN NOT NULL)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, first_name, plan, vip) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 3_000; i++) {
                    ps.setString(1, i % 500 == 7 ? null : (i % 2 == 0 ? "User" : "user") + i + "@Example.com");
                    ps.setString(2, "Name" + i);
                    ps.setString(3, i % 2 == 0 ? "pro" : "free");
                    ps.setBoolean(4, i % 3 == 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        String query = "SELECT email AS \"Email\", first_name, plan AS tier FROM users WHERE vip ORDER BY id";
        Run first = sync("--audience", "vip_users", "--jdbc-url", crm + "&user=postgres", "--query", query);
        assertThat(first.exit()).as(first.stderr()).isZero();
        // 1,000 vip rows; rows 7, 507, ... have no email, and of those 1507 and 2007... only multiples of 3 are vip
        long noEmail = java.util.stream.IntStream.range(0, 3_000).filter(i -> i % 3 == 0 && i % 500 == 7).count();
        assertCounts(first.report(), 1_000 - noEmail, 0, 0, 0, noEmail);
        assertThat(first.report().path("source").asText()).startsWith("jdbc:postgresql:");
        String listId = sg.listId("vip_users");
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 3_000; i++) {
            if (i % 3 == 0 && i % 500 != 7) {
                expected.add("user" + i + "@example.com");
            }
        }
        assertThat(sg.listEmails(listId)).isEqualTo(expected);
        JsonNode c = sg.contact("user0@example.com");
        assertThat(c.path("first_name").asText()).isEqualTo("Name0");
        assertThat(c.path("custom_fields").path("tier").asText()).isEqualTo("pro");

        // the query's answer changes: 3 leave, one changes plan
        try (Connection conn = DriverManager.getConnection(crm, "postgres", null); Statement s = conn.createStatement()) {
            s.execute("UPDATE users SET vip = false WHERE id IN (1, 4, 7)"); // rows 0, 3, 6
            s.execute("UPDATE users SET plan = 'enterprise' WHERE id = 10"); // row 9
        }
        Run second = sync("--audience", "vip_users", "--jdbc-url", crm + "&user=postgres", "--query", query);
        assertCounts(second.report(), 0, 3, 1, 1_000 - noEmail - 4, noEmail);
        assertThat(sg.listCount(listId)).isEqualTo(1_000 - noEmail - 3);
        assertThat(sg.contact("user9@example.com").path("custom_fields").path("tier").asText()).isEqualTo("enterprise");
    }
}
