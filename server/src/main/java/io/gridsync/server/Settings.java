package io.gridsync.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the settings come from: environment variables first, then an optional {@code gridsync.yaml}
 * (docs/configuration.md). The file uses the environment's names, one per line:
 * <pre>
 * GRIDSYNC_DATABASE_URL: jdbc:postgresql://db.internal/gridsync
 * GRIDSYNC_DEDUPE_WINDOW: 48h
 * </pre>
 * It is {@code GRIDSYNC_CONFIG} when that is set (and must then exist), else {@code ./gridsync.yaml}
 * when there is one. A name that is not a setting is refused, naming it: a misspelt setting would
 * otherwise be ignored without a word.
 */
public final class Settings {

    /** Every setting of docs/configuration.md that the hub's Java code reads (a test holds the two together). */
    public static final Set<String> NAMES = Set.of(
            "GRIDSYNC_HOST", "GRIDSYNC_DATABASE_URL", "GRIDSYNC_DATABASE_USER", "GRIDSYNC_DATABASE_PASSWORD", "GRIDSYNC_WRITE_KEY",
            "GRIDSYNC_ADMIN_TOKEN", "GRIDSYNC_MASTER_KEY", "GRIDSYNC_DEDUPE_WINDOW", "GRIDSYNC_DEAD_LETTER_AFTER",
            "GRIDSYNC_SENDGRID_TIMEOUT", "GRIDSYNC_WAREHOUSE_URL", "GRIDSYNC_WAREHOUSE_USER", "GRIDSYNC_WAREHOUSE_PASSWORD",
            "GRIDSYNC_WEBHOOK_TOLERANCE", "GRIDSYNC_FORWARD_RETRY", "GRIDSYNC_SOURCE_PASSWORD", "GRIDSYNC_SOURCE_INTERVAL",
            "GRIDSYNC_JOURNAL_RETENTION", "GRIDSYNC_HISTORY_RETENTION", "GRIDSYNC_IMPORT_DIR", "GRIDSYNC_ALLOWED_ENDPOINTS",
            "GRIDSYNC_COHORT_JDBC_DRIVERS", "GRIDSYNC_COHORT_JDBC_HOSTS", "GRIDSYNC_PUBLIC_URL", "GRIDSYNC_TRUSTED_PROXIES",
            "GRIDSYNC_RATE_LIMIT_WRITE_KEY", "GRIDSYNC_RATE_LIMIT_CLIENT",
            "GRIDSYNC_LEASE_TIMEOUT",
            "SENDGRID_API_KEY", "SENDGRID_API_URL", "SENDGRID_DEFAULT_LIST_ID", "SENDGRID_WEBHOOK_PUBLIC_KEY");
    /** Read before Java starts (by the ./gridsync launcher, by logging): the environment only. */
    public static final Set<String> ENVIRONMENT_ONLY = Set.of("GRIDSYNC_JAVA_OPTS", "GRIDSYNC_LOG_LEVEL", "GRIDSYNC_CONFIG");

    private Settings() {}

    /**
     * The environment with the settings file's values under it, the file found from {@code env}
     * and the working directory.
     *
     * @throws IllegalArgumentException the file cannot be read, is not YAML of name: value lines,
     *                                  or names something that is not a setting
     */
    public static Map<String, String> resolve(Map<String, String> env) {
        String named = env.get("GRIDSYNC_CONFIG");
        Path file;
        if (named != null && !named.isBlank()) {
            file = Path.of(named.trim());
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("GRIDSYNC_CONFIG names " + file.toAbsolutePath() + ", which is not a file");
            }
        } else {
            file = Path.of("gridsync.yaml");
            if (!Files.isRegularFile(file)) {
                return env;
            }
        }
        Map<String, String> merged = new HashMap<>(read(file));
        merged.putAll(env); // the environment wins
        return merged;
    }

    /** The file's settings. */
    static Map<String, String> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> out = new HashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out; // an empty file
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + " must hold settings as NAME: value lines (see docs/configuration.md)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (ENVIRONMENT_ONLY.contains(name)) {
                throw new IllegalArgumentException(file + ": " + name + " is read before the settings file is; set it in the environment");
            }
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException(file + ": " + name + " is not a setting; the settings are " + new TreeSet<>(NAMES)
                        + " (docs/configuration.md)");
            }
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue; // "NAME:" with nothing after it leaves the default
            }
            if (!v.isValueNode()) {
                throw new IllegalArgumentException(file + ": " + name + " must be a single value, not a list or a map");
            }
            out.put(name, v.asText());
        }
        return out;
    }
}
