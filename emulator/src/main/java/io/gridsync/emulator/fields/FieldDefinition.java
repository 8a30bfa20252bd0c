package io.gridsync.emulator.fields;

/** A custom field: opaque id such as {@code e1_T}, a name unique case-insensitively, and a type. */
public record FieldDefinition(String id, String name, FieldType type) {}
