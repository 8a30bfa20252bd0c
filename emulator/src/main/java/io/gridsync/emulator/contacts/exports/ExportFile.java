package io.gridsync.emulator.contacts.exports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.contacts.Contact;
import io.gridsync.emulator.contacts.ContactField;
import io.gridsync.emulator.contacts.Csv;
import io.gridsync.emulator.contacts.IsoTime;
import io.gridsync.emulator.fields.FieldDefinition;
import io.gridsync.emulator.http.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one download file of an export, gzip-compressed, row by row straight to the response,
 * so no export is ever held in memory as a whole. CSV has SendGrid's header row (upper-case
 * reserved columns, then the custom fields by name); JSON is one object per line.
 */
final class ExportFile {

    /** SendGrid's export columns, in its order; the identifiers added since follow CONTACT_ID. */
    static final List<String> RESERVED_COLUMNS = List.of("EMAIL", "FIRST_NAME", "LAST_NAME", "ADDRESS_LINE_1",
            "ADDRESS_LINE_2", "CITY", "STATE_PROVINCE_REGION", "POSTAL_CODE", "COUNTRY", "ALTERNATE_EMAILS", "PHONE_NUMBER",
            "WHATSAPP", "LINE", "FACEBOOK", "UNIQUE_NAME", "CREATED_AT", "UPDATED_AT", "CONTACT_ID", "PHONE_NUMBER_ID",
            "EXTERNAL_ID", "ANONYMOUS_ID");

    private ExportFile() {}

    /**
     * Writes part {@code part} (1-based) of the export to {@code out}; a JSON line's {@code segment_ids}
     * are the segments {@code segmentsByList} makes of the contact's lists.
     */
    static void write(ContactExport export, int part, OutputStream out, Map<String, List<String>> segmentsByList) throws IOException {
        Contact[] rows = export.rows();
        int from = (part - 1) * export.rowsPerFile();
        int to = Math.min(rows.length, from + export.rowsPerFile());
        List<FieldDefinition> columns = export.columns();
        GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024);
        Writer w = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 64 * 1024);
        if (export.fileType == ContactExport.FileType.csv) {
            List<String> header = new ArrayList<>(RESERVED_COLUMNS);
            columns.forEach(f -> header.add(f.name()));
            w.write(Csv.line(header));
            for (int i = from; i < to; i++) {
                w.write(csvLine(rows[i], columns));
            }
        } else {
            for (int i = from; i < to; i++) {
                w.write(Json.MAPPER.writeValueAsString(jsonLine(rows[i], columns, segmentsByList)));
                w.write('\n');
            }
        }
        w.flush();
        gzip.finish();
        gzip.flush();
    }

    private static String csvLine(Contact c, List<FieldDefinition> columns) {
        List<String> cells = new ArrayList<>(RESERVED_COLUMNS.size() + columns.size());
        cells.add(c.get(ContactField.EMAIL));
        cells.add(c.get(ContactField.FIRST_NAME));
        cells.add(c.get(ContactField.LAST_NAME));
        cells.add(c.get(ContactField.ADDRESS_LINE_1));
        cells.add(c.get(ContactField.ADDRESS_LINE_2));
        cells.add(c.get(ContactField.CITY));
        cells.add(c.get(ContactField.STATE_PROVINCE_REGION));
        cells.add(c.get(ContactField.POSTAL_CODE));
        cells.add(c.get(ContactField.COUNTRY));
        cells.add(String.join(",", c.alternateEmails()));
        cells.add(c.get(ContactField.PHONE_NUMBER));
        cells.add(c.get(ContactField.WHATSAPP));
        cells.add(c.get(ContactField.LINE));
        cells.add(c.get(ContactField.FACEBOOK));
        cells.add(c.get(ContactField.UNIQUE_NAME));
        cells.add(IsoTime.format(c.createdAt()));
        cells.add(IsoTime.format(c.updatedAt()));
        cells.add(c.id());
        cells.add(c.get(ContactField.PHONE_NUMBER_ID));
        cells.add(c.get(ContactField.EXTERNAL_ID));
        cells.add(c.get(ContactField.ANONYMOUS_ID));
        for (FieldDefinition f : columns) {
            Object v = c.customField(f.id());
            cells.add(v == null ? null : v.toString());
        }
        return Csv.line(cells);
    }

    private static ObjectNode jsonLine(Contact c, List<FieldDefinition> columns, Map<String, List<String>> segmentsByList) {
        ObjectNode o = Json.object();
        o.put("contact_id", c.id());
        for (ContactField f : ContactField.values()) {
            if (c.get(f) != null) {
                o.put(f.json, c.get(f));
            }
        }
        ArrayNode alternates = o.putArray("alternate_emails");
        for (String a : c.alternateEmails()) {
            alternates.add(a);
        }
        ArrayNode lists = o.putArray("list_ids");
        ArrayNode segments = o.putArray("segment_ids");
        for (String l : c.listIds()) {
            lists.add(l);
            segmentsByList.getOrDefault(l, List.of()).forEach(segments::add);
        }
        ObjectNode custom = o.putObject("custom_fields");
        for (FieldDefinition f : columns) {
            Object v = c.customField(f.id());
            if (v instanceof Long l) {
                custom.put(f.name(), l);
            } else if (v instanceof Double d) {
                custom.put(f.name(), d);
            } else if (v != null) {
                custom.put(f.name(), v.toString());
            }
        }
        o.put("created_at", IsoTime.format(c.createdAt()));
        o.put("updated_at", IsoTime.format(c.updatedAt()));
        return o;
    }
}
