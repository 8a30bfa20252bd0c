package io.gridsync.core.integration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * "When a message matches this trigger, run this action with this mapping."
 *
 * @param mapping field -> mapping overrides of the action's defaults (may be null)
 */
public record Subscription(String name, String trigger, String action, JsonNode mapping, boolean enabled) {}
