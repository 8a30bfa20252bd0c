package io.gridsync.core.sendgrid;

/** A field definition: opaque id ({@code e1_T}; reserved fields use their name), name, and type Text, Number or Date. */
public record CustomField(String id, String name, String type, boolean reserved) {}
