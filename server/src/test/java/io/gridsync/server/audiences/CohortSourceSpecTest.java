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
        assertThatThrownBy(() -> CohortSourceSpec.jdbc("jdbc:mysql://db/x", null, null, "SELECT 1"))
                .hasMessageContaining("jdbc:postgresql: or jdbc:sqlite:");
        assertThatThrownBy(() -> CohortSourceSpec.jdbc("jdbc:sqlite:/tmp/x.db", null, null, " "))
                .hasMessageContaining("needs a query");
        assertThatThrownBy(() -> new CohortSourceSpec(null, null, null, null, null)).hasMessageContaining("one of the two");
    }
}
