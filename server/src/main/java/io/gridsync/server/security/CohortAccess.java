package io.gridsync.server.security;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What a cohort source may open. The hub confines it (files from the import directory, JDBC by
 * {@link CohortJdbcRules}); the CLI's {@code audience sync} does not, since its user names files
 * and databases they can open themselves.
 */
public final class CohortAccess {

    /** For the CLI: what the user names, as named. */
    public static final CohortAccess UNCONFINED = new CohortAccess(null, null);

    private final ImportDirectory imports;
    private final CohortJdbcRules jdbc;

    private CohortAccess(ImportDirectory imports, CohortJdbcRules jdbc) {
        this.imports = imports;
        this.jdbc = jdbc;
    }

    public static CohortAccess confined(ImportDirectory imports, CohortJdbcRules jdbc) {
        return new CohortAccess(imports, jdbc);
    }

    public boolean confined() {
        return imports != null;
    }

    /** The file to open for the CSV {@code named}. @throws IllegalArgumentException when it is outside the import directory */
    public Path csv(String named) {
        return imports == null ? Path.of(named) : imports.resolve(named);
    }

    /** The URL and properties to connect with. @throws IllegalArgumentException when the rules refuse the URL */
    public CohortJdbcRules.Allowed jdbc(String url) {
        if (jdbc == null) {
            return new CohortJdbcRules.Allowed(url, new Properties(), url.startsWith("jdbc:sqlite:"));
        }
        return jdbc.check(url);
    }
}
