package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.store.Database;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** The record of cohort runs: one row per run with its counts and its report, newest first. */
public final class AudienceRuns {

    private static final ObjectMapper M = new ObjectMapper();

    private final Database db;

    public AudienceRuns(Database db) {
        this.db = db;
    }

    /** One finished run (not a dry run). */
    record Run(String integrationId, String audienceKey, String syncId, String trigger, long startedAt, long finishedAt,
               String outcome, long adds, long removes, long updates, long unchanged, long skipped, long failed, JsonNode report) {}

    void record(Run r) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audience_runs (integration_id, audience_key, sync_id, "
                    + "run_trigger, started_at, finished_at, outcome, adds, removes, updates, unchanged, skipped, failed, report) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.integrationId());
                ps.setString(2, r.audienceKey());
                ps.setString(3, r.syncId());
                ps.setString(4, r.trigger());
                ps.setLong(5, r.startedAt());
                ps.setLong(6, r.finishedAt());
                ps.setString(7, r.outcome());
                ps.setLong(8, r.adds());
                ps.setLong(9, r.removes());
                ps.setLong(10, r.updates());
                ps.setLong(11, r.unchanged());
                ps.setLong(12, r.skipped());
                ps.setLong(13, r.failed());
                ps.setString(14, r.report().toString());
                ps.executeUpdate();
            }
            ObjectNode summary = M.createObjectNode();
            summary.put("trigger", r.trigger());
            summary.put("adds", r.adds()).put("removes", r.removes()).put("updates", r.updates())
                    .put("unchanged", r.unchanged()).put("skipped", r.skipped()).put("failed", r.failed());
            if (r.report().has("error")) {
                summary.set("error", r.report().get("error"));
            }
            AudienceStore.recordSync(c, r.integrationId(), r.audienceKey(), r.finishedAt(), r.outcome(), summary);
            return null;
        });
    }

    /** The latest runs of an audience, newest first, without their full reports. */
    public ArrayNode recent(String integrationId, String key, int limit) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, sync_id, run_trigger, started_at, finished_at, outcome, adds, "
                    + "removes, updates, unchanged, skipped, failed, report FROM audience_runs WHERE integration_id = ? AND audience_key = ? "
                    + "ORDER BY id DESC LIMIT " + limit)) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                ArrayNode out = M.createArrayNode();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode o = out.addObject();
                        o.put("id", rs.getLong(1));
                        o.put("sync_id", rs.getString(2));
                        o.put("trigger", rs.getString(3));
                        o.put("started_at", java.time.Instant.ofEpochMilli(rs.getLong(4)).toString());
                        o.put("finished_at", java.time.Instant.ofEpochMilli(rs.getLong(5)).toString());
                        o.put("outcome", rs.getString(6));
                        o.put("adds", rs.getLong(7)).put("removes", rs.getLong(8)).put("updates", rs.getLong(9))
                                .put("unchanged", rs.getLong(10)).put("skipped", rs.getLong(11)).put("failed", rs.getLong(12));
                        JsonNode report = parse(rs.getString(13));
                        if (report.has("error")) {
                            o.set("error", report.get("error"));
                        }
                    }
                }
                return out;
            }
        });
    }

    private static JsonNode parse(String s) {
        try {
            return M.readTree(s);
        } catch (IOException e) {
            return M.createObjectNode();
        }
    }
}
