package io.gridsync.core.deliver;

import io.gridsync.core.action.Outcome;

/** One message through one subscription: which, with what outcome, after how many tries. */
public record Attempt(int message, String messageId, String subscription, String action, Outcome outcome, int tries) {}
