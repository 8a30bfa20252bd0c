package io.gridsync.emulator.lists;

/** A marketing list: UUID id and a name of 1..100 characters. */
public record ContactList(String id, String name) {}
