package io.gridsync.emulator.mail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiError;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.state.Ids;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * {@code POST /v3/mail/send}: validates the request as SendGrid does, answers 202 with an
 * {@code X-Message-Id}, keeps the message in the {@link SentMailLog} and tells the listener (the
 * Event Webhook). A sandbox-mode request is validated and answered 200 with nothing kept or sent.
 */
public final class MailApi {

    /** SendGrid's limit for a whole Mail Send request, attachments included. */
    public static final int MAX_REQUEST_BYTES = 30 * 1024 * 1024;

    private final SentMailLog log;
    private final AcceptedMailListener listener;
    private volatile Predicate<String> templateExists;

    public MailApi(SentMailLog log, AcceptedMailListener listener) {
        this.log = log;
        this.listener = listener;
    }

    /**
     * Makes Mail Send refuse template ids the account does not have. Without it only the id's format
     * is checked (templates live in another part of the emulator, wired in by {@code Emulator}).
     */
    public void templateExists(Predicate<String> check) {
        this.templateExists = check;
    }

    public void register(ApiRouter router) {
        router.post("/v3/mail/send", "mail.send", this::send);
    }

    private void send(Context ctx) {
        ObjectNode body = parse(requestBytes(ctx));
        List<MailSendError> errors = new MailSendValidator(templateExists).validate(body, System.currentTimeMillis() / 1000);
        if (!errors.isEmpty()) {
            writeErrors(ctx, errors);
            return;
        }
        if (MailSendValidator.sandbox(body)) {
            ctx.status(200); // valid, and not queued: sandbox mode sends nothing
            return;
        }
        String messageId = Ids.token();
        SentMessage message = SentMessage.accept(messageId, Instant.now(), body);
        log.add(message);
        listener.accepted(message);
        ctx.header("X-Message-Id", messageId);
        ctx.status(202);
    }

    /** The body bytes, inflated when sent with {@code Content-Encoding: gzip}; over 30 MB is a 413. */
    private static byte[] requestBytes(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        checkSize(raw.length);
        String encoding = ctx.header("Content-Encoding");
        if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                checkSize(out.size());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ApiError.badRequest(null, "the body is sent with Content-Encoding: gzip but is not valid gzip ("
                    + e.getMessage() + "); compress it with gzip or drop the header");
        }
    }

    private static void checkSize(long bytes) {
        if (bytes > MAX_REQUEST_BYTES) {
            throw ApiError.of(413, null, "content too large: the request is " + bytes + " bytes and Mail Send accepts "
                    + "at most 30 MB (" + MAX_REQUEST_BYTES + " bytes) including attachments; send fewer or smaller "
                    + "attachments or split the request");
        }
    }

    private static ObjectNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiError.badRequest(null, "request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest(null, "could not read request body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest(null, "request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** SendGrid's Mail Send error shape: message, field and a help link for each problem. */
    private static void writeErrors(Context ctx, List<MailSendError> errors) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("errors");
        for (MailSendError e : errors) {
            ObjectNode o = list.addObject();
            o.put("message", e.message());
            if (e.field() == null) {
                o.putNull("field");
            } else {
                o.put("field", e.field());
            }
            String help = e.help();
            if (help == null) {
                o.putNull("help");
            } else {
                o.put("help", help);
            }
        }
        Json.write(ctx, 400, out);
    }
}
