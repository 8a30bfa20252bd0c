package io.gridsync.server.source;

import java.nio.file.Path;
import java.util.Map;

/** The mirror into a DuckDB warehouse file (state in SQLite). */
class MirrorDuckDbTest extends MirrorContract {

    @Override
    Map<String, String> environment(Path dir) {
        return Map.of("GRIDSYNC_WAREHOUSE_URL", "jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
    }

    @Override
    Map<String, String> exampleQueries() {
        return Map.of("per list", """
                SELECT l.name, l.contact_count, COUNT(r.id) AS mirrored_members
                FROM sendgrid.lists l
                LEFT JOIN sendgrid.recipients r ON r._deleted_at IS NULL AND list_contains(CAST(r.list_ids AS VARCHAR[]), l.id)
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
                FROM (SELECT *, UNNEST(CAST(send_to_list_ids AS VARCHAR[])) AS list_id FROM sendgrid.campaigns) c
                JOIN sendgrid.lists l ON l.id = c.list_id
                WHERE c.status = 'scheduled' AND c._deleted_at IS NULL
                GROUP BY c.id, c.name, c.send_at ORDER BY c.send_at""");
    }
}
