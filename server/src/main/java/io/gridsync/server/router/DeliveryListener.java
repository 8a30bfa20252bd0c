package io.gridsync.server.router;

import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.integration.Actions;
import io.gridsync.core.message.Message;

import java.util.List;

/**
 * Told about each batch the router delivered through one subscription: the messages and their
 * outcomes, in the same order, just before the outcomes are recorded (so after a crash the batch is
 * delivered, and told, again: a listener must be idempotent). Audiences use it to keep membership.
 */
@FunctionalInterface
public interface DeliveryListener {

    void delivered(Target target, Actions.Compiled subscription, List<Message> messages, List<Outcome> outcomes,
                   ActionContext context);
}
