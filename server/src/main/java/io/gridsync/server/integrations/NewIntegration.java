package io.gridsync.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.integration.Subscription;
import io.gridsync.core.sendgrid.ApiKey;

import java.util.List;

/**
 * What installing an integration needs.
 *
 * @param subscriptions null or empty: the presets (for {@code emailPreset}) are stored instead,
 *                      so users see and can edit what will run
 */
public record NewIntegration(String name, String variant, String deliveryMode, String endpoint, ApiKey apiKey,
                             String defaultListId, String consentCategory, boolean createMissingFields,
                             JsonNode emailPreset, boolean enabled, List<Subscription> subscriptions) {}
