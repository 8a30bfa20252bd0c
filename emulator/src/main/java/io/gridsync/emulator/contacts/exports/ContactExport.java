package io.gridsync.emulator.contacts.exports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.contacts.Contact;
import io.gridsync.emulator.contacts.IsoTime;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.lists.ContactList;

import java.util.List;

/**
 * One export job: pending until it runs, then ready with the contacts it selected (a snapshot
 * of immutable contacts, so later changes do not leak into the files) and the custom fields of
 * that moment as extra columns. Its files are written only when downloaded.
 */
public final class ContactExport {

    /** Download links stop working this long after the export is ready, as SendGrid's do. */
    static final long EXPIRES_AFTER_MILLIS = 72L * 3600 * 1000;

    enum FileType { csv, json }

    final String id;
    final long createdAt;
    final FileType fileType;
    final List<ContactList> lists;
    final List<String> segmentIds;
    final int maxFileSizeMb;
    private String status = "pending";
    private long completedAt;
    private Contact[] rows;
    private List<FieldDefinition> columns;
    private int rowsPerFile;
    private String message;

    ContactExport(String id, long createdAt, FileType fileType, List<ContactList> lists, List<String> segmentIds, int maxFileSizeMb) {
        this.id = id;
        this.createdAt = createdAt;
        this.fileType = fileType;
        this.lists = List.copyOf(lists);
        this.segmentIds = List.copyOf(segmentIds);
        this.maxFileSizeMb = maxFileSizeMb;
    }

    synchronized void ready(Contact[] rows, List<FieldDefinition> columns, int rowsPerFile, long now) {
        this.rows = rows;
        this.columns = List.copyOf(columns);
        this.rowsPerFile = Math.max(1, rowsPerFile);
        this.completedAt = now;
        this.status = "ready";
    }

    /** The export could not run, e.g. a list it names was deleted first. */
    synchronized void fail(String message, long now) {
        this.message = message;
        this.completedAt = now;
        this.status = "failure";
    }

    synchronized boolean isReady() {
        return "ready".equals(status);
    }

    synchronized boolean isExpired(long now) {
        return isReady() && now >= completedAt + EXPIRES_AFTER_MILLIS;
    }

    /** Number of download files: one per {@code rowsPerFile} contacts, at least one. */
    synchronized int fileCount() {
        return rows == null ? 0 : Math.max(1, (rows.length + rowsPerFile - 1) / rowsPerFile);
    }

    synchronized Contact[] rows() {
        return rows;
    }

    synchronized List<FieldDefinition> columns() {
        return columns;
    }

    synchronized int rowsPerFile() {
        return rowsPerFile;
    }

    String exportType() {
        return !segmentIds.isEmpty() ? "segment_export" : !lists.isEmpty() ? "list_export" : "contacts_export";
    }

    String fileName(int part) {
        return part + "." + fileType + ".gz";
    }

    String url(String baseUrl, int part) {
        return baseUrl + "/_emulator/exports/" + id + "/" + fileName(part);
    }

    private long expiresAt() {
        return ("pending".equals(status) ? createdAt : completedAt) + EXPIRES_AFTER_MILLIS;
    }

    /** SendGrid's {@code contact-export} shape, for {@code GET .../exports/{id}}. */
    synchronized ObjectNode statusJson(String baseUrl) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("status", status);
        o.put("created_at", IsoTime.format(createdAt));
        o.put("updated_at", IsoTime.format("pending".equals(status) ? createdAt : completedAt));
        if (!"pending".equals(status)) {
            o.put("completed_at", IsoTime.format(completedAt));
        }
        o.put("expires_at", IsoTime.format(expiresAt()));
        if (isReady()) {
            ArrayNode urls = o.putArray("urls");
            for (int part = 1; part <= fileCount(); part++) {
                urls.add(url(baseUrl, part));
            }
            o.put("contact_count", rows.length);
        }
        if (message != null) {
            o.put("message", message);
        }
        o.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts/exports/" + id);
        return o;
    }

    /** One element of {@code GET .../exports}. */
    synchronized ObjectNode listJson(String baseUrl) {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("status", status);
        o.put("created_at", IsoTime.format(createdAt));
        if (!"pending".equals(status)) {
            o.put("completed_at", IsoTime.format(completedAt));
        }
        o.put("expires_at", IsoTime.format(expiresAt()));
        if (isReady()) {
            ArrayNode urls = o.putArray("urls");
            for (int part = 1; part <= fileCount(); part++) {
                urls.add(url(baseUrl, part));
            }
        }
        o.put("export_type", exportType());
        ArrayNode segs = o.putArray("segments");
        for (String s : segmentIds) {
            segs.addObject().put("ID", s).put("Name", "");
        }
        ArrayNode ls = o.putArray("lists");
        for (ContactList l : lists) {
            ls.addObject().put("ID", l.id()).put("Name", l.name());
        }
        o.putObject("_metadata").put("self", baseUrl + "/v3/marketing/contacts/exports/" + id);
        return o;
    }
}
