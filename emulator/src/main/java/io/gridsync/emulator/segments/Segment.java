package io.gridsync.emulator.segments;

import java.time.Instant;
import java.util.List;

/**
 * A Segmentation v2 segment: a name unique regardless of case, a SQL query over contact_data and
 * event_data (stored as given), and at most one parent list whose contacts it draws from.
 */
public record Segment(String id, String name, String queryDsl, List<String> parentListIds,
                      Instant createdAt, Instant updatedAt, long seq) {

    public Segment {
        parentListIds = List.copyOf(parentListIds);
    }

    Segment withName(String newName, Instant now) {
        return new Segment(id, newName, queryDsl, parentListIds, createdAt, now, seq);
    }

    Segment withQuery(String newQuery, Instant now) {
        return new Segment(id, name, newQuery, parentListIds, createdAt, now, seq);
    }
}
