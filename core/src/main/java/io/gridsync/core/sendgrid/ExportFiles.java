package io.gridsync.core.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.csv.CsvReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Streams the contacts of a ready export's files, one {@link ExportedContact} at a time, whatever
 * the size of the export: gzip CSV (SendGrid's header row, {@code EMAIL} and {@code CONTACT_ID}
 * columns) or gzip JSON (one object per line with {@code contact_id} and {@code email}).
 */
final class ExportFiles {

    private ExportFiles() {}

    /** Reads every file of the export; returns the number of contacts read. */
    static long read(SendGridClient client, ExportStatus export, Consumer<ExportedContact> each) {
        return eachFile(client, export, (r, url) -> isJson(url) ? json(r, each) : csv(r, each, url));
    }

    /** Reads every file of the export as whole contacts (every field); returns the number read. */
    static long readRecords(SendGridClient client, ExportStatus export, Consumer<ObjectNode> each) {
        return eachFile(client, export, (r, url) -> isJson(url) ? jsonRecords(r, each, url) : csvRecords(r, each, url));
    }

    private interface FileReader {
        long read(Reader r, String url) throws IOException;
    }

    private static long eachFile(SendGridClient client, ExportStatus export, FileReader reader) {
        long n = 0;
        for (String url : export.urls()) {
            try (InputStream raw = client.download(URI.create(url));
                 Reader r = new InputStreamReader(maybeGunzip(raw), StandardCharsets.UTF_8)) {
                n += reader.read(r, url);
            } catch (IOException e) {
                throw new SendGridException("GET download", 0, List.of(), true, null,
                        "reading export file " + URI.create(url).getPath() + " failed: " + e, e);
            }
        }
        return n;
    }

    /** CSV columns of SendGrid's exports that are reserved fields (named in upper case); every other column is a custom field. */
    private static final Set<String> RESERVED_CSV_COLUMNS = Set.of("EMAIL", "FIRST_NAME", "LAST_NAME", "ADDRESS_LINE_1",
            "ADDRESS_LINE_2", "CITY", "STATE_PROVINCE_REGION", "POSTAL_CODE", "COUNTRY", "ALTERNATE_EMAILS", "PHONE_NUMBER",
            "WHATSAPP", "LINE", "FACEBOOK", "UNIQUE_NAME", "CREATED_AT", "UPDATED_AT", "CONTACT_ID", "PHONE_NUMBER_ID",
            "EXTERNAL_ID", "ANONYMOUS_ID");

    private static long jsonRecords(Reader r, Consumer<ObjectNode> each, String url) throws IOException {
        BufferedReader lines = new BufferedReader(r, 64 * 1024);
        long n = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = SendGridClient.MAPPER.readTree(line);
            if (!o.isObject()) {
                throw new IOException("export file " + URI.create(url).getPath() + " has a line that is not a JSON object");
            }
            each.accept((ObjectNode) o);
            n++;
        }
        return n;
    }

    private static long csvRecords(Reader r, Consumer<ObjectNode> each, String url) throws IOException {
        CsvReader csv = new CsvReader(r);
        List<String> header = csv.next();
        if (header == null) {
            return 0;
        }
        String[] names = new String[header.size()];
        boolean[] reserved = new boolean[header.size()];
        boolean hasId = false;
        for (int i = 0; i < names.length; i++) {
            String h = header.get(i).trim();
            reserved[i] = RESERVED_CSV_COLUMNS.contains(h.toUpperCase(Locale.ROOT));
            names[i] = reserved[i] ? h.toLowerCase(Locale.ROOT) : h;
            hasId |= names[i].equals("contact_id");
        }
        if (!hasId) {
            throw new IOException("export file " + URI.create(url).getPath() + " has no CONTACT_ID column");
        }
        long n = 0;
        List<String> row;
        while ((row = csv.next()) != null) {
            ObjectNode o = SendGridClient.MAPPER.createObjectNode();
            ObjectNode custom = SendGridClient.MAPPER.createObjectNode();
            for (int i = 0; i < names.length && i < row.size(); i++) {
                String v = row.get(i);
                if (v == null || v.isEmpty()) {
                    continue;
                }
                if (!reserved[i]) {
                    custom.put(names[i], v);
                } else if (names[i].equals("alternate_emails")) {
                    ArrayNode a = o.putArray("alternate_emails");
                    for (String e : v.split(",")) {
                        if (!e.isBlank()) {
                            a.add(e.trim());
                        }
                    }
                } else {
                    o.put(names[i], v);
                }
            }
            o.set("custom_fields", custom);
            each.accept(o);
            n++;
        }
        return n;
    }

    private static boolean isJson(String url) {
        String path = URI.create(url).getPath().toLowerCase(Locale.ROOT);
        return path.endsWith(".json.gz") || path.endsWith(".json");
    }

    private static long json(Reader r, Consumer<ExportedContact> each) throws IOException {
        BufferedReader lines = new BufferedReader(r, 64 * 1024);
        long n = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = SendGridClient.MAPPER.readTree(line);
            each.accept(new ExportedContact(o.path("contact_id").asText(null), lower(o.path("email").asText(null))));
            n++;
        }
        return n;
    }

    private static long csv(Reader r, Consumer<ExportedContact> each, String url) throws IOException {
        CsvReader csv = new CsvReader(r);
        List<String> header = csv.next();
        if (header == null) {
            return 0;
        }
        int email = -1;
        int id = -1;
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i).trim().toUpperCase(Locale.ROOT);
            if (h.equals("EMAIL")) {
                email = i;
            } else if (h.equals("CONTACT_ID")) {
                id = i;
            }
        }
        if (id < 0) {
            throw new IOException("export file " + URI.create(url).getPath() + " has no CONTACT_ID column");
        }
        long n = 0;
        List<String> row;
        while ((row = csv.next()) != null) {
            String contactId = id < row.size() ? row.get(id) : null;
            String address = email >= 0 && email < row.size() ? row.get(email) : null;
            each.accept(new ExportedContact(contactId == null || contactId.isEmpty() ? null : contactId, lower(address)));
            n++;
        }
        return n;
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        PushbackInputStream p = new PushbackInputStream(in, 2);
        byte[] magic = p.readNBytes(2);
        p.unread(magic);
        return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b ? new GZIPInputStream(p, 64 * 1024) : p;
    }
}
