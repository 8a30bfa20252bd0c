package io.gridsync.server.audiences;

import io.gridsync.server.security.CohortAccess;

import java.nio.file.Path;

/**
 * Where a cohort comes from: a CSV file, or a SQL query over JDBC (PostgreSQL or SQLite; the URL
 * may carry the user and password, or they are given apart). {@link #describe()} never shows a password.
 */
public record CohortSourceSpec(Path csv, String jdbcUrl, String user, String password, String query) {

    public static CohortSourceSpec csv(Path file) {
        return new CohortSourceSpec(file, null, null, null, null);
    }

    public static CohortSourceSpec jdbc(String url, String user, String password, String query) {
        return new CohortSourceSpec(null, url, user, password, query);
    }

    public CohortSourceSpec {
        if ((csv == null) == (jdbcUrl == null)) {
            throw new IllegalArgumentException("a cohort comes from a CSV file or from a JDBC URL and a query, one of the two");
        }
        if (jdbcUrl != null) {
            if (!jdbcUrl.startsWith("jdbc:")) {
                throw new IllegalArgumentException("the cohort's JDBC URL must start with jdbc:postgresql: or jdbc:sqlite:; got "
                        + maskUrl(jdbcUrl));
            }
            if (query == null || query.isBlank()) {
                throw new IllegalArgumentException("a JDBC cohort needs a query, e.g. SELECT email, first_name FROM users WHERE vip");
            }
        }
    }

    /** Opens the source within what {@code access} allows (the hub: the import directory and the JDBC rules). */
    CohortSource open(CohortAccess access) throws Exception {
        if (csv != null) {
            return new CsvCohortSource(access.csv(csv.toString()));
        }
        return new JdbcCohortSource(access.jdbc(jdbcUrl), user, password, query, access.confined());
    }

    /** @throws IllegalArgumentException when {@code access} would refuse to open this source */
    public void check(CohortAccess access) {
        if (csv != null) {
            access.csv(csv.toString());
        } else {
            access.jdbc(jdbcUrl);
            if (access.confined()) {
                JdbcCohortSource.checkQuery(query);
            }
        }
    }

    /** e.g. {@code csv /data/vip.csv} or {@code jdbc:postgresql://db/crm (SELECT ...)}, passwords masked. */
    public String describe() {
        return csv != null ? "csv " + csv : maskUrl(jdbcUrl) + " (" + query + ")";
    }

    /** Never the password: a spec may end up in a log line. */
    @Override
    public String toString() {
        return describe();
    }

    /** The URL with any password parameter or user:password@ part replaced by ***. */
    public static String maskUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
    }
}
