package io.gridsync.server.router;

import io.gridsync.core.integration.Integration;
import io.gridsync.core.sendgrid.ApiKey;

/** An enabled integration as the router delivers to it: its id, its subscriptions and settings, its key. */
public record Target(String id, Integration integration, ApiKey apiKey) {}
