package io.gridsync.core.contact;

import io.gridsync.core.sendgrid.SendGridApi;
import io.gridsync.core.sendgrid.SendGridException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads an import job's {@code errors_url}: a CSV (optionally gzip) with a header row, one errored
 * row per line, naming the row's index in the request and the reason. Answers index -> reason.
 */
final class ImportErrors {

    private ImportErrors() {}

    static Map<Integer, String> read(SendGridApi api, String errorsUrl) {
        try (InputStream raw = api.client().download(URI.create(errorsUrl));
             BufferedReader r = new BufferedReader(new InputStreamReader(maybeGunzip(raw), StandardCharsets.UTF_8))) {
            return parse(r);
        } catch (IOException | SendGridException | IllegalArgumentException e) {
            return Map.of();
        }
    }

    static Map<Integer, String> parse(BufferedReader r) throws IOException {
        Map<Integer, String> out = new HashMap<>();
        String header = r.readLine();
        if (header == null) {
            return out;
        }
        List<String> cols = splitCsv(header);
        int indexCol = -1;
        int messageCol = -1;
        for (int i = 0; i < cols.size(); i++) {
            String c = cols.get(i).trim().toLowerCase(Locale.ROOT);
            if (indexCol < 0 && (c.equals("index") || c.equals("row") || c.equals("row_index") || c.equals("contact_index"))) {
                indexCol = i;
            } else if (messageCol < 0 && (c.equals("message") || c.equals("error") || c.equals("errors") || c.equals("reason"))) {
                messageCol = i;
            }
        }
        if (indexCol < 0) {
            return out;
        }
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = splitCsv(line);
            try {
                int index = Integer.parseInt(cells.get(indexCol).trim());
                String message = messageCol >= 0 && messageCol < cells.size() ? cells.get(messageCol) : "errored row";
                out.merge(index, message, (a, b) -> a + "; " + b);
            } catch (NumberFormatException | IndexOutOfBoundsException ignored) {
                // a line we cannot read is not a reason to drop the ones we can
            }
        }
        return out;
    }

    /** RFC 4180 fields of one line: quotes, doubled quotes inside quotes. */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        PushbackInputStream p = new PushbackInputStream(in, 2);
        byte[] magic = p.readNBytes(2);
        p.unread(magic);
        return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b ? new GZIPInputStream(p) : p;
    }
}
