package io.gridsync.server.source;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The Event Webhook side of the SendGrid sources, as capture keeps it: one webhook source per
 * warehouse schema, so a source's webhook is the one named as its schema. The admin source
 * resource shows and changes it through here.
 */
public interface SourceWebhooks {

    /** {@code {"webhook": {...}, "forwarding": ...}} of the webhook source {@code name}, or empty when there is none. */
    Optional<ObjectNode> view(String name);

    /**
     * Applies {@code webhook_public_key} (a key, or null to stop verifying) and {@code forwarding}
     * (an object, or null to stop) from {@code patch}, creating the webhook source when needed;
     * other members are ignored. Throws IllegalArgumentException naming a bad value.
     */
    void apply(String name, ObjectNode patch);

    /** Creates the webhook source {@code name} (a lower-case SQL name) when it does not exist. */
    void create(String name);

    /** The names of every webhook source. */
    List<String> names();

    /** No capture: sources have no webhook part. */
    SourceWebhooks NONE = new SourceWebhooks() {
        @Override
        public Optional<ObjectNode> view(String name) {
            return Optional.empty();
        }

        @Override
        public void apply(String name, ObjectNode patch) {
            throw new IllegalArgumentException("webhook capture is not running in this process");
        }

        @Override
        public void create(String name) {
            throw new IllegalArgumentException("webhook capture is not running in this process");
        }

        @Override
        public List<String> names() {
            return List.of();
        }
    };
}
