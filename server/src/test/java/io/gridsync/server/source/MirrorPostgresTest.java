package io.gridsync.server.source;

import io.gridsync.server.testing.PostgresDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.Map;

/** The mirror into a PostgreSQL warehouse, with the hub's state in PostgreSQL too (embedded; fresh databases per test). */
class MirrorPostgresTest extends MirrorContract {

    private static PostgresDatabases pg;

    @BeforeAll
    static void startPostgres() {
        pg = new PostgresDatabases();
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @Override
    Map<String, String> environment(Path dir) {
        return Map.of("GRIDSYNC_DATABASE_URL", pg.jdbcUrl(pg.create()), "GRIDSYNC_DATABASE_USER", "postgres",
                "GRIDSYNC_WAREHOUSE_URL", pg.jdbcUrl(pg.create()), "GRIDSYNC_WAREHOUSE_USER", "postgres");
    }

    @Override
    Map<String, String> exampleQueries() {
        return Map.of("per list", """
                SELECT l.name, l.contact_count, COUNT(r.id) AS mirrored_members
                FROM sendgrid.lists l
                LEFT JOIN sendgrid.recipients r ON r._deleted_at IS NULL AND r.list_ids ? l.id
                GROUP BY l.id, l.name, l.contact_count
                ORDER BY l.name""", "by plan", """
                SELECT custom_fields->>'plan' AS plan, COUNT(*) FROM sendgrid.recipients
                WHERE _deleted_at IS NULL GROUP BY 1""", "deleted", """
                SELECT 'list' AS kind, name, _deleted_at FROM sendgrid.lists WHERE _deleted_at IS NOT NULL
                UNION ALL SELECT 'single send', name, _deleted_at FROM sendgrid.campaigns WHERE _deleted_at IS NOT NULL
                UNION ALL SELECT 'contact', email, _deleted_at FROM sendgrid.recipients WHERE _deleted_at IS NOT NULL
                ORDER BY _deleted_at DESC""", "per day", """
                SELECT date_trunc('day', created_at) AS day, COUNT(*) FROM sendgrid.recipients
                WHERE created_at >= now() - INTERVAL '30 days' GROUP BY day ORDER BY day""", "scheduled", """
                SELECT c.name, c.send_at, SUM(l.contact_count) AS list_contacts
                FROM sendgrid.campaigns c
                CROSS JOIN LATERAL jsonb_array_elements_text(c.send_to_list_ids) AS a(list_id)
                JOIN sendgrid.lists l ON l.id = a.list_id
                WHERE c.status = 'scheduled' AND c._deleted_at IS NULL
                GROUP BY c.id, c.name, c.send_at ORDER BY c.send_at""");
    }
}
