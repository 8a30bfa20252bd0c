package io.gridsync.server.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * What a cohort's JDBC URL may be when an admin-token holder gives it: PostgreSQL (with properties
 * that load classes or files refused), SQLite only on a file in the import directory (read-only,
 * no extensions, no parameters), other drivers only when GRIDSYNC_COHORT_JDBC_DRIVERS names them,
 * and hosts only from GRIDSYNC_COHORT_JDBC_HOSTS when that is set.
 */
public final class CohortJdbcRules {

    /** A connection the rules allow: the URL to open and the properties to open it with. */
    public record Allowed(String url, Properties properties, boolean sqlite) {}

    /** PostgreSQL properties that load a class, read or write a file, or run a callback, with why they are refused. */
    private static final Map<String, String> PG_REFUSED = Map.ofEntries(
            Map.entry("socketfactory", "loads a class"), Map.entry("socketfactoryarg", "feeds a class the hub would load"),
            Map.entry("sslfactory", "loads a class"), Map.entry("sslfactoryarg", "feeds a class the hub would load"),
            Map.entry("sslhostnameverifier", "loads a class"), Map.entry("sslpasswordcallback", "loads a class"),
            Map.entry("authenticationpluginclassname", "loads a class"), Map.entry("loggerfile", "writes a file"),
            Map.entry("loggerlevel", "turns on driver logging to a file"), Map.entry("sslkey", "reads a file"),
            Map.entry("sslcert", "reads a file"), Map.entry("sslrootcert", "reads a file"), Map.entry("sslpassword", "unlocks a key file"),
            Map.entry("service", "reads a service file"), Map.entry("jaaslogin", "reads a JAAS configuration"),
            Map.entry("jaasapplicationname", "reads a JAAS configuration"), Map.entry("kerberosservername", "uses the host's Kerberos"),
            Map.entry("gsslib", "uses the host's Kerberos"), Map.entry("options", "sets server options"),
            Map.entry("xmlfactoryfactory", "loads a class"), Map.entry("sspiserviceclass", "uses the host's credentials"),
            Map.entry("usespnego", "uses the host's credentials"), Map.entry("gssencmode", "uses the host's Kerberos"));
    /** PostgreSQL properties a cohort URL may carry; anything else is refused, so a new driver property is not a new hole. */
    private static final Set<String> PG_ALLOWED = Set.of("user", "password", "ssl", "sslmode", "connecttimeout", "sockettimeout",
            "logintimeout", "applicationname", "currentschema", "tcpkeepalive", "readonly", "defaultrowfetchsize", "targetservertype",
            "loadbalancehosts", "preparethreshold", "channelbinding");

    private final ImportDirectory imports;
    private final Set<String> extraDrivers;
    private final Set<String> hosts;

    public CohortJdbcRules(ImportDirectory imports, Set<String> extraDrivers, Set<String> hosts) {
        this.imports = imports;
        this.extraDrivers = extraDrivers;
        this.hosts = hosts;
    }

    /**
     * @param url as given; user and password are given apart and are plain properties
     * @throws IllegalArgumentException naming what to change
     */
    public Allowed check(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw new IllegalArgumentException("the cohort's jdbc_url must start with jdbc:postgresql: or jdbc:sqlite:");
        }
        int colon = url.indexOf(':', 5);
        String driver = colon < 0 ? url.substring(5) : url.substring(5, colon);
        driver = driver.toLowerCase(Locale.ROOT);
        return switch (driver) {
            case "postgresql" -> postgres(url);
            case "sqlite" -> sqlite(url.substring(colon + 1));
            default -> {
                if (!extraDrivers.contains(driver)) {
                    throw new IllegalArgumentException("the cohort's JDBC driver '" + driver + "' is not allowed: jdbc:postgresql: and "
                            + "jdbc:sqlite: are, and others when GRIDSYNC_COHORT_JDBC_DRIVERS names them on the hub's machine");
                }
                checkHosts(url);
                yield new Allowed(url, new Properties(), false);
            }
        };
    }

    private Allowed postgres(String url) {
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).trim();
                String key = name.toLowerCase(Locale.ROOT);
                String why = PG_REFUSED.get(key);
                if (why != null) {
                    throw new IllegalArgumentException("the cohort's JDBC URL may not set " + name + ": it " + why
                            + " on the hub's machine; remove it from jdbc_url");
                }
                if (!PG_ALLOWED.contains(key)) {
                    throw new IllegalArgumentException("the cohort's JDBC URL may not set " + name + "; it may set only "
                            + "ssl, sslmode, connectTimeout, socketTimeout, ApplicationName, currentSchema and similar connection options");
                }
            }
        }
        checkHosts(url);
        Properties p = new Properties();
        p.setProperty("readOnly", "true");
        p.setProperty("connectTimeout", "10");
        return new Allowed(url, p, false);
    }

    /** jdbc:sqlite:FILE with FILE in the import directory, no parameters, no :resource: or :memory: or file: URI. */
    private Allowed sqlite(String rest) {
        if (rest.isEmpty() || rest.startsWith(":") || rest.contains("?") || rest.regionMatches(true, 0, "file:", 0, 5)) {
            String named = rest.contains("?") ? rest.substring(rest.indexOf('?') + 1) : rest;
            String what = named.toLowerCase(Locale.ROOT).contains("enable_load_extension") ? "enable_load_extension (it loads native code)"
                    : rest.contains("?") ? "URL parameters" : rest.startsWith(":resource:") ? ":resource: (it fetches a URL)" : "that form";
            throw new IllegalArgumentException("a SQLite cohort is jdbc:sqlite:FILE with the file in the import directory " + imports.path()
                    + " (GRIDSYNC_IMPORT_DIR), without " + what + "; the hub opens it read-only");
        }
        Path file = imports.resolve(rest);
        Properties p = new Properties();
        p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        p.setProperty("enable_load_extension", "false");
        p.setProperty("limit_attached", "0"); // no ATTACH of the hub's own files from within the query
        return new Allowed("jdbc:sqlite:" + file, p, true);
    }

    private void checkHosts(String url) {
        if (hosts.isEmpty()) {
            return;
        }
        int start = url.indexOf("//");
        if (start < 0) {
            throw new IllegalArgumentException("GRIDSYNC_COHORT_JDBC_HOSTS is set, so the cohort's JDBC URL must name a host: jdbc:...://HOST/DB");
        }
        String authority = url.substring(start + 2).split("[/?;]", 2)[0];
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        for (String hostPort : authority.split(",")) {
            String host = hostPort.startsWith("[") ? hostPort.substring(1, Math.max(1, hostPort.indexOf(']')))
                    : hostPort.split(":", 2)[0];
            if (!hosts.contains(host.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("the cohort database host '" + host + "' is not in GRIDSYNC_COHORT_JDBC_HOSTS "
                        + "(set on the hub's machine)");
            }
        }
    }
}
