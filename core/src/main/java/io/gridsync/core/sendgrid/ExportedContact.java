package io.gridsync.core.sendgrid;

/** One contact of an export file: its SendGrid id and its email (lower-case; null when it has none). */
public record ExportedContact(String id, String email) {}
