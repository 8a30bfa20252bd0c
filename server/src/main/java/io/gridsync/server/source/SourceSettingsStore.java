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
            try (PreparedStatement ps = c.prepareStatement("SELECT source, schema_name, interval_seconds, enabled FROM source_settings");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seconds = rs.getLong(3);
                    Duration interval = rs.wasNull() ? null : Duration.ofSeconds(seconds);
                    int enabled = rs.getInt(4);
                    Boolean on = rs.wasNull() ? null : enabled != 0;
                    out.put(rs.getString(1), new SourceSettings(rs.getString(1), rs.getString(2), interval, on));
                }
            }
            return out;
        });
    }

    /** Replaces the settings of {@code s.source()}. */
    public void put(SourceSettings s) {
        db.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM source_settings WHERE source = ?")) {
                del.setString(1, s.source());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_settings (source, schema_name, interval_seconds, enabled, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?)")) {
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
                ps.executeUpdate();
            }
            return null;
        });
    }
}
