package io.gridsync.server.erasure;

import io.gridsync.server.source.SourceSync;
import io.gridsync.server.warehouse.Warehouse;
import io.gridsync.server.warehouse.WarehouseTable;
import io.gridsync.server.webhook.EventTables;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Removes a person from the warehouse, in every schema a webhook or mirror source writes: captured
 * events with their email (each event table), quarantined webhook bodies naming them, and their
 * mirrored contact ({@code recipients}, by email, alternate emails, SendGrid identifiers or contact
 * id), and the mirrored rows naming their address (suppression lists, unsubscribe group and list
 * and segment memberships; SendGrid's own erase job removes them there). Then each schema is made to let go of the deleted bytes ({@link Warehouse#releaseDeleted}).
 */
final class WarehouseErasure {

    /** The mirror's contact table (source.RecipientsCollection). */
    static final String RECIPIENTS = "recipients";

    private final Warehouse warehouse;
    private final Supplier<Collection<String>> schemas;

    WarehouseErasure(Warehouse warehouse, Supplier<Collection<String>> schemas) {
        this.warehouse = warehouse;
        this.schemas = schemas;
    }

    record Result(Map<String, Long> counts, boolean released) {}

    Result erase(Person p, Set<String> contactIds) {
        Map<String, Long> n = new LinkedHashMap<>();
        n.put("warehouse_events", 0L);
        n.put("warehouse_quarantine", 0L);
        n.put("warehouse_recipients", 0L);
        n.put("warehouse_mirrored", 0L);
        boolean released = true;
        for (String schema : Set.copyOf(schemas.get())) {
            List<String> touched = new ArrayList<>();
            List<String> emails = p.emails();
            if (!emails.isEmpty()) {
                for (WarehouseTable t : EventTables.all()) {
                    long d = warehouse.deleteWhere(schema, t.name(), "lower(\"email\") IN (" + marks(emails.size()) + ")", emails);
                    n.merge("warehouse_events", d, Long::sum);
                    touched.add(t.name());
                }
                for (String t : SourceSync.tablesWithEmail()) {
                    long d = warehouse.deleteWhere(schema, t, "lower(\"email\") IN (" + marks(emails.size()) + ")", emails);
                    n.merge("warehouse_mirrored", d, Long::sum);
                    touched.add(t);
                }
            }
            List<String> likes = p.likePatterns();
            if (!likes.isEmpty()) {
                String where = String.join(" OR ", likes.stream().map(l -> "lower(\"body\") LIKE ? ESCAPE '\\'").toList());
                n.merge("warehouse_quarantine", (long) warehouse.deleteWhere(schema, EventTables.QUARANTINE.name(), where, likes), Long::sum);
                touched.add(EventTables.QUARANTINE.name());
            }
            n.merge("warehouse_recipients", recipients(schema, p, contactIds), Long::sum);
            touched.add(RECIPIENTS);
            released &= warehouse.releaseDeleted(schema, touched.stream().filter(t -> !warehouse.columns(schema, t).isEmpty()).toList());
        }
        return new Result(n, released);
    }

    private long recipients(String schema, Person p, Set<String> contactIds) {
        List<String> parts = new ArrayList<>();
        List<String> params = new ArrayList<>();
        in(parts, params, "lower(\"email\")", p.emails());
        in(parts, params, "\"external_id\"", p.valuesOf("external_id"));
        in(parts, params, "\"phone_number_id\"", p.valuesOf("phone_number_id"));
        in(parts, params, "\"anonymous_id\"", p.valuesOf("anonymous_id"));
        in(parts, params, "\"id\"", List.copyOf(contactIds));
        for (String email : p.emails()) {
            parts.add("lower(CAST(\"alternate_emails\" AS TEXT)) LIKE ? ESCAPE '\\'");
            params.add("%\"" + Person.escapeLike(email) + "\"%");
        }
        if (parts.isEmpty()) {
            return 0;
        }
        return warehouse.deleteWhere(schema, RECIPIENTS, String.join(" OR ", parts), params);
    }

    private static void in(List<String> parts, List<String> params, String column, List<String> values) {
        if (!values.isEmpty()) {
            parts.add(column + " IN (" + marks(values.size()) + ")");
            params.addAll(values);
        }
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
