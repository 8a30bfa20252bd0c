package io.gridsync.server.webhook;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One webhook post read into warehouse rows: per event type the rows of its table, and the
 * quarantine rows of items that were not events.
 *
 * @param events how many items the array held (events and quarantined items)
 */
record ParsedPost(EnumMap<EventType, List<Object[]>> rows, List<Object[]> quarantine, int events) {

    int eventRows() {
        int n = 0;
        for (Map.Entry<EventType, List<Object[]>> e : rows.entrySet()) {
            n += e.getValue().size();
        }
        return n;
    }
}
