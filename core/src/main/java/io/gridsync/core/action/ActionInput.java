package io.gridsync.core.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.message.Message;

/** One message handed to an action, with its mapped payload (the action's fields, resolved). */
public record ActionInput(Message message, ObjectNode payload) {}
