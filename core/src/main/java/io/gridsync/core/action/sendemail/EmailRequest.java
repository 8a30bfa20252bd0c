package io.gridsync.core.action.sendemail;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One validated send: the parts shared by every personalization of a request ({@code shared}:
 * from, reply_to, template, categories, asm, ip pool, sandbox) and its own personalization.
 */
record EmailRequest(int input, ObjectNode shared, String sharedKey, ObjectNode personalization, int recipients) {}
