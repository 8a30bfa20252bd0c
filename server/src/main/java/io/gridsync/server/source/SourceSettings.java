package io.gridsync.server.source;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the admin API set for one source; a null member means "the default": the schema named after
 * the source, {@code GRIDSYNC_SOURCE_INTERVAL}, enabled. {@code collections} holds only the
 * collections switched on or off by name; every other one is on.
 */
public record SourceSettings(String source, String schema, Duration interval, Boolean enabled, Map<String, Boolean> collections) {

    public SourceSettings {
        collections = collections == null ? Map.of() : Map.copyOf(new TreeMap<>(collections));
    }

    public SourceSettings(String source, String schema, Duration interval, Boolean enabled) {
        this(source, schema, interval, enabled, Map.of());
    }

    public static SourceSettings none(String source) {
        return new SourceSettings(source, null, null, null);
    }

    /** The collections switched off. */
    public Set<String> collectionsOff() {
        Set<String> off = new TreeSet<>();
        collections.forEach((name, on) -> {
            if (!on) {
                off.add(name);
            }
        });
        return off;
    }

    /**
     * The warehouse schema a source writes to unless told otherwise: its name as an SQL name
     * (lower case, other characters as underscores), so the integration {@code sendgrid} that
     * {@code ./gridsync up} installs writes to schema {@code sendgrid}.
     */
    public static String defaultSchema(String source) {
        String s = source.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        if (s.isEmpty()) {
            return "sendgrid";
        }
        if (Character.isDigit(s.charAt(0))) {
            s = "s_" + s;
        }
        return s.length() > 63 ? s.substring(0, 63) : s;
    }
}
