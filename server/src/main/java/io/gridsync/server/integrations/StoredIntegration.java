package io.gridsync.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One row of the integrations table, as the admin API shows it: the API key only masked
 * ({@code SG.****abcd}); {@link IntegrationStore#apiKey} unseals it for the delivery side.
 *
 * @param endpoint     {@code global}, {@code eu} or a URL (the emulator)
 * @param emailPreset  {@code {"event", "template_id", "from"}} of the Send Email preset, or null
 */
public record StoredIntegration(String id, String name, String variant, String deliveryMode, String endpoint,
                                String apiKeyMasked, String defaultListId, String consentCategory,
                                boolean createMissingFields, JsonNode emailPreset, boolean enabled,
                                Instant createdAt, Instant updatedAt) {}
