package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change the audience API accepted: add {@code email} (with {@code fields}: reserved contact
 * fields and custom fields by name) or remove it. Emails are lower-case.
 */
public record MemberRequest(String email, boolean add, ObjectNode fields) {}
