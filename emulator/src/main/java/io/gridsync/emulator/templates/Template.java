package io.gridsync.emulator.templates;

import java.time.Instant;
import java.util.List;

/**
 * A transactional template: {@code legacy} ones have UUID ids, {@code dynamic} ones (handlebars)
 * ids of {@code d-} and 32 hex digits. Versions are kept in creation order.
 */
public record Template(String id, String name, String generation, Instant updatedAt,
                       List<TemplateVersion> versions, long seq) {

    public static final String LEGACY = "legacy";
    public static final String DYNAMIC = "dynamic";

    public Template {
        versions = List.copyOf(versions);
    }

    public boolean isDynamic() {
        return DYNAMIC.equals(generation);
    }
}
