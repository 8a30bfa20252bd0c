package io.gridsync.emulator.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.contacts.Contact;
import io.gridsync.emulator.contacts.ContactStore;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.mail.EmailAddresses;
import io.gridsync.emulator.mail.SentMailLog;
import io.gridsync.emulator.state.Ids;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v3/recipients/erasejob} (tsg_recipients_data_erasure_v3.json): at most 5,000 unique,
 * structurally valid addresses or 256 KB per request; 202 {@code {job_id}}. SendGrid then deletes
 * the recipients' personal data; the emulator does it at once: their Marketing contacts and the
 * messages sent to them leave its store.
 */
public final class RecipientErasureApi {

    public static final String PATH = "/v3/recipients/erasejob";
    public static final int MAX_ADDRESSES = 5_000;
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** "This endpoint is rate limited to 100 requests per minute." */
    public static final String RATE_FAMILY = "recipients";
    public static final io.gridsync.emulator.http.RateLimiter.Limit RATE_LIMIT = new io.gridsync.emulator.http.RateLimiter.Limit(100, 60);

    private final ContactStore contacts;
    private final SentMailLog sentMail;
    private final AtomicLong addressesErased = new AtomicLong();

    public RecipientErasureApi(ContactStore contacts, SentMailLog sentMail) {
        this.contacts = contacts;
        this.sentMail = sentMail;
    }

    public void register(ApiRouter router) {
        // SendGrid's scope list names no scope for this endpoint: any valid key may call it
        router.post(PATH, null, ctx -> {
            if (ctx.bodyAsBytes().length > MAX_BODY_BYTES) {
                throw ApiError.badRequest("email_addresses", "the request body exceeds 256Kb; send at most 5000 addresses per request");
            }
            Set<String> addresses = addresses(Json.bodyObject(ctx));
            for (String address : addresses) {
                Contact c;
                while ((c = contacts.findByAnyEmail(address)) != null) {
                    contacts.delete(c.id());
                }
                sentMail.removeAddressedTo(address);
            }
            addressesErased.addAndGet(addresses.size());
            ObjectNode body = Json.object();
            body.put("job_id", Ids.uuid());
            Json.write(ctx, 202, body);
        });
    }

    /** The unique addresses, lower-cased; any invalid one fails the whole request, as SendGrid does. */
    private static Set<String> addresses(ObjectNode body) {
        JsonNode list = body.get("email_addresses");
        if (list == null || list.isNull()) {
            throw ApiError.badRequest("email_addresses", "email_addresses is required");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw ApiError.badRequest("email_addresses", "email_addresses must be a non-empty array of email addresses");
        }
        if (list.size() > MAX_ADDRESSES) {
            throw ApiError.badRequest("email_addresses", "email_addresses may hold at most " + MAX_ADDRESSES + " addresses");
        }
        ApiError.Collector errors = new ApiError.Collector();
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode item : list) {
            String address = item.isTextual() ? item.asText().trim() : null;
            if (address == null || !EmailAddresses.isValid(address)) {
                errors.add("email_addresses", "Email_address " + (item.isTextual() ? item.asText() : item.toString()) + " is not valid");
            } else {
                out.add(address.toLowerCase(Locale.ROOT));
            }
        }
        errors.throwIfAny(400);
        return out;
    }

    /** Addresses erased since start (for tests and the inspection API). */
    public long addressesErased() {
        return addressesErased.get();
    }
}
