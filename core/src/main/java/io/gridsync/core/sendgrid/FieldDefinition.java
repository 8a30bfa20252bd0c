package io.gridsync.core.sendgrid;

/**
 * A field definition as {@code GET /v3/marketing/field_definitions} answers it, {@code read_only}
 * included (reserved fields only; null for custom fields). Reserved fields without an id use their name.
 */
public record FieldDefinition(String id, String name, String fieldType, boolean reserved, Boolean readOnly) {}
