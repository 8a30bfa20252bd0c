package io.gridsync.server.audiences;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cohort source never shows a password, and says what is wrong with a bad one. */
class CohortSourceSpecTest {

    @Test
    void passwordsAreMaskedWhereverTheSpecIsShown() {
        CohortSourceSpec s = CohortSourceSpec.jdbc("jdbc:postgresql://reader:pw1@db/crm?password=pw2&ssl=true", "reader", "pw3",
                "SELECT email FROM users");
        assertThat(s.describe()).isEqualTo("jdbc:postgresql://reader:***@db/crm?password=***&ssl=true (SELECT email FROM users)");
        assertThat(s.toString()).doesNotContain("pw1", "pw2", "pw3");
    }

    @Test
    void aSourceIsAFileOrAQuery() {
        assertThatThrownBy(() -> CohortSourceSpec.jdbc("postgres://db/x", null, null, "SELECT 1"))
                .hasMessageContaining("jdbc:postgresql: or jdbc:sqlite:");
        // which drivers the hub lets a cohort use is the hub's rule (CohortJdbcRules), not the spec's: the CLI names its own
        io.gridsync.server.security.CohortJdbcRules hub = new io.gridsync.server.security.CohortJdbcRules(
                new io.gridsync.server.security.ImportDirectory(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))),
                java.util.Set.of(), java.util.Set.of());
        assertThatThrownBy(() -> hub.check("jdbc:mysql://db/x")).hasMessageContaining("mysql");
        assertThatThrownBy(() -> CohortSourceSpec.jdbc("jdbc:sqlite:/tmp/x.db", null, null, " "))
                .hasMessageContaining("needs a query");
        assertThatThrownBy(() -> new CohortSourceSpec(null, null, null, null, null)).hasMessageContaining("one of the two");
    }
}
