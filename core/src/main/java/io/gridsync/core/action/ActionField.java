package io.gridsync.core.action;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field of an action, as Segment's mapping screen shows it: key, label, type, whether it is
 * required, a short description, and the default mapping (null when the field has none).
 *
 * @param type {@code string}, {@code number}, {@code integer}, {@code boolean}, {@code datetime} or {@code object}
 */
public record ActionField(String key, String label, String type, boolean required, boolean multiple,
                          String description, JsonNode defaultMapping) {}
