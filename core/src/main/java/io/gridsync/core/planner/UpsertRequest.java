package io.gridsync.core.planner;

import io.gridsync.core.contact.ContactDraft;

import java.util.List;

/**
 * One {@code PUT /v3/marketing/contacts}: the list ids it adds to, its contacts in body order (so a
 * row index SendGrid reports maps back to a draft), and the serialized body.
 */
public record UpsertRequest(List<String> listIds, List<ContactDraft> contacts, byte[] body) {}
