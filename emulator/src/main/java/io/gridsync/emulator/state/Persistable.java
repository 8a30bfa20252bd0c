package io.gridsync.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;

/** A part of the emulator's in-memory state that can be saved to and loaded from the state file. */
public interface Persistable {

    /** The key of this part in the state file, e.g. {@code contacts}. */
    String stateKey();

    JsonNode saveState();

    void loadState(JsonNode node);

    /** Back to a fresh account (used by {@code POST /_emulator/reset}). */
    void clearState();
}
