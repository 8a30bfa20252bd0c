package io.gridsync.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What a progress report says, with a total (a bar), without one (a count), and with only a note. */
class ProgressTest {

    @Test
    void aKnownTotalIsABar() {
        assertThat(Progress.render(new Progress.Status(250, 1000, "lines read", "3 SendGrid requests"), Duration.ofSeconds(75)))
                .isEqualTo("[######..................] 25% 250/1,000 lines read, 3 SendGrid requests, 1m 15s");
    }

    @Test
    void anUnknownTotalIsACount() {
        assertThat(Progress.render(new Progress.Status(12_345, 0, "rows", null), Duration.ofSeconds(9))).isEqualTo("12,345 rows, 9s");
    }

    @Test
    void noCountIsTheNoteAndTheTime() {
        assertThat(Progress.render(new Progress.Status(0, 0, null, "pulling 'sendgrid'"), Duration.ofSeconds(5)))
                .isEqualTo("pulling 'sendgrid', 5s");
    }
}
