package io.gridsync.emulator.singlesends;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * A Single Send as SendGrid stores it. {@code sendAt} is an ISO-8601 UTC instant or null;
 * {@code emailConfig} is the complete {@code email_config} object, defaults filled in (callers
 * get a copy, so it never changes under a reader).
 */
public record SingleSend(String id, String name, String status, List<String> categories, String sendAt,
                         List<String> listIds, List<String> segmentIds, boolean sendToAll, ObjectNode emailConfig,
                         Instant createdAt, Instant updatedAt, long seq) {

    public static final String DRAFT = "draft";

    public SingleSend {
        categories = List.copyOf(categories);
        listIds = List.copyOf(listIds);
        segmentIds = List.copyOf(segmentIds);
        emailConfig = emailConfig.deepCopy();
    }

    @Override
    public ObjectNode emailConfig() {
        return emailConfig.deepCopy();
    }
}
