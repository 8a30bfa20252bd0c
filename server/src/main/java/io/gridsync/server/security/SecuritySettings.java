package io.gridsync.server.security;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an admin-token holder may make the hub read or reach (docs/security.md):
 *
 * @param importDir          GRIDSYNC_IMPORT_DIR: cohort CSV and SQLite files come from here only (null: {@code <data>/imports})
 * @param allowedEndpoints   GRIDSYNC_ALLOWED_ENDPOINTS: URL prefixes a SendGrid endpoint or a forwarding URL may start with,
 *                           besides {@code global} and {@code eu}; SENDGRID_API_URL is added, since the owner set it
 * @param cohortJdbcDrivers  GRIDSYNC_COHORT_JDBC_DRIVERS: JDBC sub-protocols allowed for cohorts besides postgresql and sqlite
 * @param cohortJdbcHosts    GRIDSYNC_COHORT_JDBC_HOSTS: when not empty, the only hosts a cohort's JDBC URL may name
 */
public record SecuritySettings(Path importDir, List<String> allowedEndpoints, Set<String> cohortJdbcDrivers, Set<String> cohortJdbcHosts) {

    public SecuritySettings {
        allowedEndpoints = List.copyOf(allowedEndpoints);
        cohortJdbcDrivers = Set.copyOf(cohortJdbcDrivers);
        cohortJdbcHosts = Set.copyOf(cohortJdbcHosts);
    }

    public static SecuritySettings defaults() {
        return new SecuritySettings(null, List.of(), Set.of(), Set.of());
    }

    public SecuritySettings withEnvironment(Map<String, String> env) {
        List<String> endpoints = env.containsKey("GRIDSYNC_ALLOWED_ENDPOINTS") ? list(env.get("GRIDSYNC_ALLOWED_ENDPOINTS")) : allowedEndpoints;
        String sendGridUrl = env.get("SENDGRID_API_URL");
        if (sendGridUrl != null && !sendGridUrl.isBlank() && !sendGridUrl.equalsIgnoreCase("global") && !sendGridUrl.equalsIgnoreCase("eu")) {
            endpoints = union(endpoints, sendGridUrl.trim());
        }
        String dir = env.get("GRIDSYNC_IMPORT_DIR");
        return new SecuritySettings(dir == null || dir.isBlank() ? importDir : Path.of(dir.trim()), endpoints,
                env.containsKey("GRIDSYNC_COHORT_JDBC_DRIVERS") ? lower(env.get("GRIDSYNC_COHORT_JDBC_DRIVERS")) : cohortJdbcDrivers,
                env.containsKey("GRIDSYNC_COHORT_JDBC_HOSTS") ? lower(env.get("GRIDSYNC_COHORT_JDBC_HOSTS")) : cohortJdbcHosts);
    }

    /** These settings with one more allowed endpoint prefix (./gridsync up: its built-in emulator). */
    public SecuritySettings allowing(String urlPrefix) {
        return new SecuritySettings(importDir, union(allowedEndpoints, urlPrefix), cohortJdbcDrivers, cohortJdbcHosts);
    }

    /** The import directory for this data directory. */
    public Path importDir(Path dataDir) {
        return importDir != null ? importDir : dataDir.resolve("imports");
    }

    public OutboundEndpoints endpoints() {
        return new OutboundEndpoints(allowedEndpoints);
    }

    private static List<String> union(List<String> list, String more) {
        LinkedHashSet<String> out = new LinkedHashSet<>(list);
        out.add(more);
        return List.copyOf(out);
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Set<String> lower(String value) {
        return Set.copyOf(list(value).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }
}
