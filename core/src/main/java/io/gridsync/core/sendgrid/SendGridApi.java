package io.gridsync.core.sendgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed calls for every SendGrid endpoint the actions and the source use, over {@link SendGridClient}.
 * Limits that shape callers are constants here, taken from SendGrid's API reference.
 */
public final class SendGridApi {

    /** {@code PUT /v3/marketing/contacts}: contacts per request. */
    public static final int MAX_CONTACTS_PER_UPSERT = 30_000;
    /** {@code PUT /v3/marketing/contacts}: bytes of JSON per request (6 MB). */
    public static final int MAX_UPSERT_BYTES = 6 * 1024 * 1024;
    /** {@code POST .../contacts/search/emails} and {@code .../search/identifiers/{type}}: identifiers per call. */
    public static final int MAX_SEARCH_IDENTIFIERS = 100;
    /** Query strings of id lists (list member removal, contact deletion) are kept under this many characters. */
    public static final int MAX_URL_CHARS = 8000;

    private final SendGridClient client;

    public SendGridApi(SendGridClient client) {
        this.client = client;
    }

    public SendGridClient client() {
        return client;
    }

    // ---- account -------------------------------------------------------------------------------

    public Set<String> scopes() {
        JsonNode body = client.send("GET", "/v3/scopes", "/v3/scopes", (byte[]) null, true).body();
        Set<String> scopes = new TreeSet<>();
        body.path("scopes").forEach(s -> scopes.add(s.asText()));
        return scopes;
    }

    // ---- contacts ------------------------------------------------------------------------------

    /** Upserts a serialized {@code {"list_ids":[...],"contacts":[...]}} body; returns the job id. */
    public String upsertContacts(byte[] body) {
        return client.send("PUT", "/v3/marketing/contacts", "/v3/marketing/contacts", body, true).body().path("job_id").asText();
    }

    public ImportStatus importStatus(String jobId) {
        JsonNode b = client.send("GET", "/v3/marketing/contacts/imports/{id}", "/v3/marketing/contacts/imports/" + enc(jobId),
                (byte[]) null, true).body();
        JsonNode r = b.path("results");
        return new ImportStatus(b.path("id").asText(jobId), b.path("status").asText(), b.path("job_type").asText(null),
                r.path("requested_count").asLong(), r.path("created_count").asLong(), r.path("updated_count").asLong(),
                r.path("deleted_count").asLong(), r.path("errored_count").asLong(), textOrNull(r.path("errors_url")));
    }

    /** Polls a job until it is no longer pending, backing off from 100 ms to 5 s, for at most {@code max}. */
    public ImportStatus awaitJob(String jobId, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long delay = 100;
        while (true) {
            ImportStatus s = importStatus(jobId);
            if (s.finished()) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                return s;
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return s;
            }
            delay = Math.min(delay * 2, 5000);
        }
    }

    /**
     * Looks up to 100 emails at once; returns the contacts found keyed by lower-case email.
     * SendGrid answers 404 when none is found: that is an empty map, not an error.
     */
    public Map<String, JsonNode> searchEmails(Collection<String> emails) {
        ObjectNode body = SendGridClient.MAPPER.createObjectNode();
        emails.forEach(body.putArray("emails")::add);
        return search("/v3/marketing/contacts/search/emails", "/v3/marketing/contacts/search/emails", emails.size(), body, true);
    }

    /**
     * Looks up to 100 identifiers of one type ({@code email}, {@code phone_number_id},
     * {@code external_id}, {@code anonymous_id}); returns the contacts found keyed by identifier.
     */
    public Map<String, JsonNode> searchIdentifiers(String type, Collection<String> values) {
        ObjectNode body = SendGridClient.MAPPER.createObjectNode();
        values.forEach(body.putArray("identifiers")::add);
        return search("/v3/marketing/contacts/search/identifiers/{identifier_type}",
                "/v3/marketing/contacts/search/identifiers/" + enc(type), values.size(), body, false);
    }

    /** One search call: the {@code result} map's contacts by key; a 404 (none found) is an empty map. */
    private Map<String, JsonNode> search(String template, String path, int count, ObjectNode body, boolean lowerCaseKeys) {
        if (count == 0 || count > MAX_SEARCH_IDENTIFIERS) {
            throw new IllegalArgumentException("a contact search takes 1.." + MAX_SEARCH_IDENTIFIERS + " identifiers, got " + count);
        }
        Map<String, JsonNode> found = new LinkedHashMap<>();
        JsonNode result;
        try {
            result = client.send("POST", template, path, body, true).body().path("result");
        } catch (SendGridException e) {
            if (e.status() == 404) {
                return found;
            }
            throw e;
        }
        result.fields().forEachRemaining(e -> {
            JsonNode contact = e.getValue().get("contact");
            if (contact != null && contact.isObject()) {
                found.put(lowerCaseKeys ? e.getKey().toLowerCase(Locale.ROOT) : e.getKey(), contact);
            }
        });
        return found;
    }

    /** Deletes contacts by id (one request; split with {@link #idBatches}); returns the job id. */
    public String deleteContacts(List<String> contactIds) {
        String path = "/v3/marketing/contacts?ids=" + String.join(",", contactIds);
        return client.send("DELETE", "/v3/marketing/contacts", path, (byte[]) null, true).body().path("job_id").asText();
    }

    /** {@code POST /v3/recipients/erasejob}: addresses per request. */
    public static final int MAX_ERASE_ADDRESSES = 5_000;

    /**
     * Starts SendGrid's erasure of the recipients' personal email data (names, addresses, subject
     * lines, IPs) across the account, up to {@link #MAX_ERASE_ADDRESSES} addresses; returns the job id.
     */
    public String eraseRecipients(Collection<String> emails) {
        if (emails.isEmpty() || emails.size() > MAX_ERASE_ADDRESSES) {
            throw new IllegalArgumentException("an erase job takes 1.." + MAX_ERASE_ADDRESSES + " addresses, got " + emails.size());
        }
        ObjectNode body = SendGridClient.MAPPER.createObjectNode();
        emails.forEach(body.putArray("email_addresses")::add);
        return client.send("POST", "/v3/recipients/erasejob", "/v3/recipients/erasejob", body, true).body().path("job_id").asText();
    }

    /** Removes contacts from a list (they stay in the account); returns the job id. */
    public String removeFromList(String listId, List<String> contactIds) {
        String path = "/v3/marketing/lists/" + enc(listId) + "/contacts?contact_ids=" + String.join(",", contactIds);
        return client.send("DELETE", "/v3/marketing/lists/{id}/contacts", path, (byte[]) null, true).body().path("job_id").asText();
    }

    public long contactCount() {
        return client.send("GET", "/v3/marketing/contacts/count", "/v3/marketing/contacts/count", (byte[]) null, true)
                .body().path("contact_count").asLong();
    }

    /**
     * Splits ids into batches whose comma-joined length, after {@code prefixChars} of URL, stays
     * under {@link #MAX_URL_CHARS}.
     */
    public static List<List<String>> idBatches(List<String> ids, int prefixChars) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        int len = prefixChars;
        for (String id : ids) {
            int add = id.length() + (cur.isEmpty() ? 0 : 1);
            if (!cur.isEmpty() && len + add > MAX_URL_CHARS) {
                out.add(cur);
                cur = new ArrayList<>();
                len = prefixChars;
                add = id.length();
            }
            cur.add(id);
            len += add;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    // ---- exports -------------------------------------------------------------------------------

    /**
     * Starts a contact export of the members of {@code listIds} (every contact when empty) as
     * {@code csv} or {@code json} files; returns the export id. Not retried when the answer is lost:
     * a second export would only cost time, and the caller starts a new one when it retries.
     */
    public String startExport(List<String> listIds, String fileType) {
        ObjectNode body = SendGridClient.MAPPER.createObjectNode();
        if (!listIds.isEmpty()) {
            ArrayNode ids = body.putArray("list_ids");
            listIds.forEach(ids::add);
        }
        body.put("file_type", fileType);
        return client.send("POST", "/v3/marketing/contacts/exports", "/v3/marketing/contacts/exports", body, false)
                .body().path("id").asText();
    }

    public ExportStatus exportStatus(String exportId) {
        JsonNode b = client.send("GET", "/v3/marketing/contacts/exports/{id}", "/v3/marketing/contacts/exports/" + enc(exportId),
                (byte[]) null, true).body();
        List<String> urls = new ArrayList<>();
        b.path("urls").forEach(u -> urls.add(u.asText()));
        return new ExportStatus(b.path("id").asText(exportId), b.path("status").asText(), List.copyOf(urls),
                b.path("contact_count").asLong(), textOrNull(b.path("message")));
    }

    /** Polls an export until it is ready or failed, backing off from 200 ms to 5 s, for at most {@code max}. */
    public ExportStatus awaitExport(String exportId, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        long delay = 200;
        while (true) {
            ExportStatus s = exportStatus(exportId);
            if (s.finished() || System.nanoTime() > deadline) {
                return s;
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return s;
            }
            delay = Math.min(delay * 2, 5000);
        }
    }

    /**
     * The members of a list as SendGrid holds them, read through the export API: starts a JSON
     * export of the list, waits for it (at most {@code max}), and streams every file to {@code each}
     * one contact at a time, so a list of millions is never held in memory. Returns the count read.
     *
     * @throws SendGridException when the export fails or is not ready in time
     */
    public long exportListMembers(String listId, Duration max, java.util.function.Consumer<ExportedContact> each) {
        String id = startExport(List.of(listId), "json");
        ExportStatus s = awaitExport(id, max);
        if (!s.ready()) {
            throw new SendGridException("GET /v3/marketing/contacts/exports/{id}", 200, List.of(), !s.finished(), null,
                    "export " + id + " of list " + listId + " is " + s.status()
                            + (s.message() != null ? ": " + s.message() : s.finished() ? "" : " after " + max.toSeconds() + " s"), null);
        }
        return readExport(s, each);
    }

    /** Streams the contacts of a ready export's files (gzip CSV or JSON). */
    public long readExport(ExportStatus export, java.util.function.Consumer<ExportedContact> each) {
        return ExportFiles.read(client, export, each);
    }

    /**
     * Streams every contact of a ready export's files (gzip CSV or JSON) as a JSON object with all its
     * fields, one at a time: JSON files as each line holds it; CSV rows in the same shape (reserved
     * columns by their lower-case API names, {@code contact_id}, {@code alternate_emails} as an array,
     * custom field columns in {@code custom_fields} as text). Returns the number read.
     */
    public long readExportRecords(ExportStatus export, java.util.function.Consumer<ObjectNode> each) {
        return ExportFiles.readRecords(client, export, each);
    }

    // ---- lists ---------------------------------------------------------------------------------

    /** One page of lists; pass {@code nextUrl} from the previous page, or null for the first. */
    public Page<SendGridList> listsPage(int pageSize, String nextUrl) {
        String path = nextUrl == null ? "/v3/marketing/lists?page_size=" + pageSize : pathOf(nextUrl);
        JsonNode b = client.send("GET", "/v3/marketing/lists", path, (byte[]) null, true).body();
        List<SendGridList> items = new ArrayList<>();
        b.path("result").forEach(l -> items.add(toList(l)));
        return new Page<>(items, textOrNull(b.path("_metadata").path("next")));
    }

    /** Every list, following {@code _metadata.next} to the last page. */
    public List<SendGridList> allLists() {
        return allLists(1000);
    }

    public List<SendGridList> allLists(int pageSize) {
        List<SendGridList> all = new ArrayList<>();
        String next = null;
        do {
            Page<SendGridList> p = listsPage(pageSize, next);
            all.addAll(p.items());
            next = p.items().isEmpty() ? null : p.next();
        } while (next != null);
        return all;
    }

    /** Creates a list. Not retried when the answer is lost: look the name up again instead. */
    public SendGridList createList(String name) {
        ObjectNode body = SendGridClient.MAPPER.createObjectNode().put("name", name);
        return toList(client.send("POST", "/v3/marketing/lists", "/v3/marketing/lists", body, false).body());
    }

    public SendGridList getList(String id) {
        return toList(client.send("GET", "/v3/marketing/lists/{id}", "/v3/marketing/lists/" + enc(id), (byte[]) null, true).body());
    }

    private static SendGridList toList(JsonNode l) {
        return new SendGridList(l.path("id").asText(), l.path("name").asText(), l.path("contact_count").asLong());
    }

    // ---- custom fields -------------------------------------------------------------------------

    /** Custom and reserved field definitions. */
    public List<CustomField> fieldDefinitions() {
        JsonNode b = client.send("GET", "/v3/marketing/field_definitions", "/v3/marketing/field_definitions", (byte[]) null, true).body();
        List<CustomField> out = new ArrayList<>();
        b.path("custom_fields").forEach(f -> out.add(new CustomField(f.path("id").asText(), f.path("name").asText(),
                f.path("field_type").asText(), false)));
        b.path("reserved_fields").forEach(f -> out.add(new CustomField(f.path("id").asText(f.path("name").asText()),
                f.path("name").asText(), f.path("field_type").asText(), true)));
        return out;
    }

    /** Custom and reserved field definitions with every flag SendGrid answers ({@code read_only}). */
    public List<FieldDefinition> allFieldDefinitions() {
        JsonNode b = client.send("GET", "/v3/marketing/field_definitions", "/v3/marketing/field_definitions", (byte[]) null, true).body();
        List<FieldDefinition> out = new ArrayList<>();
        b.path("custom_fields").forEach(f -> out.add(new FieldDefinition(f.path("id").asText(), f.path("name").asText(),
                f.path("field_type").asText(), false, boolOrNull(f.path("read_only")))));
        b.path("reserved_fields").forEach(f -> out.add(new FieldDefinition(f.path("id").asText(f.path("name").asText()),
                f.path("name").asText(), f.path("field_type").asText(), true, boolOrNull(f.path("read_only")))));
        return out;
    }

    /** Creates a custom field of type Text, Number or Date. */
    public CustomField createField(String name, String type) {
        ObjectNode body = SendGridClient.MAPPER.createObjectNode().put("name", name).put("field_type", type);
        JsonNode f = client.send("POST", "/v3/marketing/field_definitions", "/v3/marketing/field_definitions", body, false).body();
        return new CustomField(f.path("id").asText(), f.path("name").asText(), f.path("field_type").asText(), false);
    }

    // ---- segments ------------------------------------------------------------------------------

    /** Every segment ({@code GET /v3/marketing/segments/2.0}: one answer, not paged), in the listing's short form. */
    public List<SendGridSegment> segments() {
        JsonNode b = client.send("GET", "/v3/marketing/segments/2.0", "/v3/marketing/segments/2.0", (byte[]) null, true).body();
        List<SendGridSegment> out = new ArrayList<>();
        b.path("results").forEach(s -> out.add(toSegment(s)));
        return out;
    }

    /** One segment with its query, sample and refresh counts; {@link SendGridException} 404 when it is gone. */
    public SendGridSegment segment(String id) {
        return toSegment(client.send("GET", "/v3/marketing/segments/2.0/{segment_id}", "/v3/marketing/segments/2.0/" + enc(id),
                (byte[]) null, true).body());
    }

    private static SendGridSegment toSegment(JsonNode s) {
        JsonNode status = s.path("status");
        JsonNode sample = s.get("contacts_sample");
        return new SendGridSegment(s.path("id").asText(), s.path("name").asText(), textOrNull(s.path("query_dsl")),
                s.path("contacts_count").asLong(), texts(s.path("parent_list_ids")), textOrNull(s.path("query_version")),
                textOrNull(status.path("query_validation")), textOrNull(status.path("error_message")),
                textOrNull(s.path("created_at")), textOrNull(s.path("updated_at")), textOrNull(s.path("sample_updated_at")),
                textOrNull(s.path("next_sample_update")), textOrNull(s.path("last_refreshed_at")),
                intOrNull(s.path("refreshes_used")), intOrNull(s.path("max_refreshes")),
                sample == null || sample.isNull() ? null : sample);
    }

    // ---- single sends --------------------------------------------------------------------------

    /** Single Sends per page at most ({@code page_size} 1..100). */
    public static final int MAX_SINGLE_SENDS_PAGE = 100;

    /** One page of Single Sends (short form); pass {@code nextUrl} from the previous page, or null for the first. */
    public Page<SendGridSingleSend> singleSendsPage(int pageSize, String nextUrl) {
        String path = nextUrl == null ? "/v3/marketing/singlesends?page_size=" + pageSize : pathOf(nextUrl);
        JsonNode b = client.send("GET", "/v3/marketing/singlesends", path, (byte[]) null, true).body();
        List<SendGridSingleSend> items = new ArrayList<>();
        b.path("result").forEach(s -> items.add(toSingleSend(s)));
        return new Page<>(items, textOrNull(b.path("_metadata").path("next")));
    }

    /** Every Single Send (short form), following {@code _metadata.next} to the last page. */
    public List<SendGridSingleSend> allSingleSends() {
        List<SendGridSingleSend> all = new ArrayList<>();
        String next = null;
        do {
            Page<SendGridSingleSend> p = singleSendsPage(MAX_SINGLE_SENDS_PAGE, next);
            all.addAll(p.items());
            next = p.items().isEmpty() ? null : p.next();
        } while (next != null);
        return all;
    }

    /** One Single Send in full ({@code send_to}, {@code email_config}, {@code warnings}); {@link SendGridException} 404 when it is gone. */
    public SendGridSingleSend singleSend(String id) {
        return toSingleSend(client.send("GET", "/v3/marketing/singlesends/{id}", "/v3/marketing/singlesends/" + enc(id),
                (byte[]) null, true).body());
    }

    private static SendGridSingleSend toSingleSend(JsonNode s) {
        JsonNode to = s.get("send_to");
        JsonNode ec = s.get("email_config");
        SingleSendEmailConfig config = ec == null || !ec.isObject() ? null : new SingleSendEmailConfig(textOrNull(ec.path("subject")),
                textOrNull(ec.path("html_content")), textOrNull(ec.path("plain_content")), boolOrNull(ec.path("generate_plain_content")),
                textOrNull(ec.path("design_id")), textOrNull(ec.path("editor")), longOrNull(ec.path("suppression_group_id")),
                textOrNull(ec.path("custom_unsubscribe_url")), longOrNull(ec.path("sender_id")), textOrNull(ec.path("ip_pool")));
        boolean hasTo = to != null && to.isObject();
        return new SendGridSingleSend(s.path("id").asText(), s.path("name").asText(), textOrNull(s.path("status")),
                texts(s.path("categories")), textOrNull(s.path("send_at")),
                hasTo ? texts(to.path("list_ids")) : null, hasTo ? texts(to.path("segment_ids")) : null,
                hasTo ? boolOrNull(to.path("all")) : null, boolOrNull(s.path("is_abtest")), objectOrNull(s.get("abtest")), config,
                objectOrNull(s.get("warnings")), textOrNull(s.path("created_at")), textOrNull(s.path("updated_at")));
    }

    // ---- mail ----------------------------------------------------------------------------------

    /**
     * Sends a mail/send body; returns SendGrid's {@code X-Message-Id} (null in sandbox mode, which
     * answers 200 without sending). Not retried when the answer is lost, to avoid a second email.
     */
    public String sendMail(JsonNode body) {
        return client.send("POST", "/v3/mail/send", "/v3/mail/send", body, false).header("X-Message-Id");
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** The path and query of an absolute URL SendGrid returned; the host is always our own base URL. */
    /** The path and query of a {@code _metadata.next} URL, to call on this client's base URL. */
    public static String pathOf(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }

    private static Boolean boolOrNull(JsonNode n) {
        return n == null || !n.isBoolean() ? null : n.asBoolean();
    }

    private static Integer intOrNull(JsonNode n) {
        return n == null || !n.isNumber() ? null : n.asInt();
    }

    private static Long longOrNull(JsonNode n) {
        return n == null || !n.isNumber() ? null : n.asLong();
    }

    private static JsonNode objectOrNull(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || n.asText().isEmpty() ? null : n.asText();
    }
}
