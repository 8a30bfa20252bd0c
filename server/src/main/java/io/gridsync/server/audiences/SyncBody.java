package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.server.admin.AdminError;
import io.gridsync.server.admin.AdminJson;
import io.gridsync.server.security.CohortAccess;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The body of a scheduled cohort sync ({@code POST /v1/audiences/{key}/syncs}) and of a dry run
 * before one ({@code POST /v1/audiences/{key}/dry-run}): source (CSV or SQL), list name, column map, reconcile.
 */
record SyncBody(CohortSourceSpec source, String schedule, String listName, Map<String, String> map, boolean reconcile) {

    /** @param needsSchedule a scheduled sync needs one; a dry run has none */
    static SyncBody parse(ObjectNode body, CohortAccess access, boolean needsSchedule) {
        AdminJson.onlyKnown(body, "", needsSchedule ? Set.of("source", "schedule", "list_name", "map", "reconcile")
                : Set.of("source", "list_name", "map", "reconcile"));
        ObjectNode source = AdminJson.object(body, "source", "");
        if (source == null) {
            throw AdminError.badRequest("source is required: {\"csv\": \"/path/on/the/hub.csv\"} or "
                    + "{\"jdbc_url\": \"jdbc:postgresql://host/db\", \"query\": \"SELECT email, ... FROM ...\"}");
        }
        AdminJson.onlyKnown(source, "source.", Set.of("csv", "jdbc_url", "query", "user", "password"));
        CohortSourceSpec spec;
        String csv = AdminJson.text(source, "csv", "source.");
        if (csv != null) {
            if (source.size() > 1) {
                throw AdminError.badRequest("a CSV source takes only csv; jdbc_url, query, user and password are for SQL sources");
            }
            try {
                spec = CohortSourceSpec.csv(access.csv(csv)); // the real path, in the import directory
            } catch (IllegalArgumentException e) {
                throw AdminError.badRequest("source.csv: " + e.getMessage());
            }
        } else {
            String url = AdminJson.text(source, "jdbc_url", "source.");
            if (url == null) {
                throw AdminError.badRequest("source needs csv (a file) or jdbc_url and query (a SQL query)");
            }
            spec = CohortSourceSpec.jdbc(url, AdminJson.text(source, "user", "source."), AdminJson.text(source, "password", "source."),
                    AdminJson.text(source, "query", "source."));
            try {
                spec.check(access);
            } catch (IllegalArgumentException e) {
                throw AdminError.badRequest("source.jdbc_url: " + e.getMessage());
            }
        }
        String schedule = AdminJson.text(body, "schedule", "");
        if (needsSchedule && schedule == null) {
            throw AdminError.badRequest("schedule is required: once, hourly or daily");
        }
        String listName = AdminJson.text(body, "list_name", "");
        if (listName != null && (listName.isBlank() || listName.length() > 100)) {
            throw AdminError.badRequest("list_name is 1 to 100 characters");
        }
        Map<String, String> map = new LinkedHashMap<>();
        ObjectNode m = AdminJson.object(body, "map", "");
        if (m != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw AdminError.badRequest("map." + e.getKey() + " must be a field name (or \"-\" to leave the column out)");
                }
                map.put(e.getKey(), e.getValue().asText());
            }
        }
        Boolean reconcile = AdminJson.bool(body, "reconcile", "");
        return new SyncBody(spec, schedule == null ? null : schedule.trim(), listName, map, reconcile != null && reconcile);
    }
}
