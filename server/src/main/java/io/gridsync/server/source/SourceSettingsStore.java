package io.gridsync.server.source;

import io.gridsync.server.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Per-source settings changed through the admin API ({@code source_settings}). */
public final class SourceSettingsStore {

    private final Database db;

    public SourceSettingsStore(Database db) {
        this.db = db;
    }

    public SourceSettings get(String source) {
        return all().getOrDefault(source, SourceSettings.none(source));
    }

    public Map<String, SourceSettings> all() {
        return db.query(c -> {
            Map<String, SourceSettings> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT source, schema_name, interval_seconds, enabled, collections FROM source_settings");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seconds = rs.getLong(3);
                    Duration interval = rs.wasNull() ? null : Duration.ofSeconds(seconds);
                    int enabled = rs.getInt(4);
                    Boolean on = rs.wasNull() ? null : enabled != 0;
                    out.put(rs.getString(1), new SourceSettings(rs.getString(1), rs.getString(2), interval, on, switches(rs.getString(5))));
                }
            }
            return out;
        });
    }

    /** The {@code collections} column: a JSON object of collection name to on (true) or off (false). */
    private static Map<String, Boolean> switches(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return SourceJson.MAPPER.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Boolean>>() {});
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("source_settings.collections holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Replaces the settings of {@code s.source()}. */
    public void put(SourceSettings s) {
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM source_settings WHERE source = ?")) {
                del.setString(1, s.source());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_settings (source, schema_name, interval_seconds, enabled, "
                    + "updated_at, collections) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.source());
                if (s.schema() == null) {
                    ps.setNull(2, Types.VARCHAR);
                } else {
                    ps.setString(2, s.schema());
                }
                if (s.interval() == null) {
                    ps.setNull(3, Types.BIGINT);
                } else {
                    ps.setLong(3, s.interval().toSeconds());
                }
                if (s.enabled() == null) {
                    ps.setNull(4, Types.INTEGER);
                } else {
                    ps.setInt(4, s.enabled() ? 1 : 0);
                }
                ps.setLong(5, System.currentTimeMillis());
                if (s.collections().isEmpty()) {
                    ps.setNull(6, Types.VARCHAR);
                } else {
                    ps.setString(6, SourceJson.MAPPER.valueToTree(s.collections()).toString());
                }
                ps.executeUpdate();
            }
            return null;
        });
    }
}
