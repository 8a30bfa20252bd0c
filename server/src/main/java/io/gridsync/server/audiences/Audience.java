package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One audience: the SendGrid list it is kept in (by name, and by id once known), where its
 * membership last came from ({@code engage}, {@code api} or {@code cohort}), and its last sync.
 *
 * @param lastSummary the counts of the last cohort run, or null
 */
public record Audience(String integrationId, String key, String listName, String listId, String origin, long createdAt,
                       long updatedAt, Long lastSyncAt, String lastOutcome, JsonNode lastSummary) {}
