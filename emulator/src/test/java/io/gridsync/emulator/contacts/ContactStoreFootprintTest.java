package io.gridsync.emulator.contacts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store must hold a million contacts in 1 GiB of heap. Measured here on a quarter of that
 * (to keep the run short) and extrapolated with a wide margin; {@link ContactStoreFill#main}
 * runs the full million under {@code -Xmx1g}.
 */
class ContactStoreFootprintTest {

    @Test
    void aMillionTypicalContactsFitWellUnderOneGibibyte() throws Exception {
        long perContact = ContactStoreFill.bytesPerContact(250_000);
        assertThat(perContact * 1_000_000L).as("heap for a million contacts at %d bytes each", perContact)
                .isLessThan(800L * 1024 * 1024);
    }
}
