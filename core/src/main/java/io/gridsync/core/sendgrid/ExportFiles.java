package io.gridsync.core.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
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
        long n = 0;
        for (String url : export.urls()) {
            try (InputStream raw = client.download(URI.create(url));
                 Reader r = new InputStreamReader(maybeGunzip(raw), StandardCharsets.UTF_8)) {
                n += isJson(url) ? json(r, each) : csv(r, each, url);
            } catch (IOException e) {
                throw new SendGridException("GET download", 0, List.of(), true, null,
                        "reading export file " + URI.create(url).getPath() + " failed: " + e, e);
            }
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
