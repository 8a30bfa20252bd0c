package io.gridsync.core.action.sendemail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.core.action.Action;
import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.ActionField;
import io.gridsync.core.action.ActionInput;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.sendgrid.SendGridException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gridsync.core.action.ActionSupport.failure;

/**
 * Send Email with Dynamic Template. Sends that share template, sender and settings go out as one
 * request with up to 1,000 personalizations (and 1,000 recipients); when SendGrid refuses such a
 * request with a 400, it is split in halves until the bad personalizations are isolated, so one
 * bad address does not fail the others.
 */
public final class SendEmail implements Action {

    public static final String KEY = "send_email";
    static final int MAX_PERSONALIZATIONS = 1000;
    static final int MAX_RECIPIENTS = 1000;
    /** Keeps requests well under SendGrid's 30 MB. */
    static final int MAX_REQUEST_CHARS = 20 * 1024 * 1024;

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public String title() {
        return "Send Email with Dynamic Template";
    }

    @Override
    public List<ActionField> fields() {
        return SendEmailFields.ALL;
    }

    @Override
    public List<Outcome> perform(List<ActionInput> batch, ActionContext ctx) {
        Outcome[] outcomes = new Outcome[batch.size()];
        Map<String, List<EmailRequest>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                EmailRequest r = EmailValidation.build(i, batch.get(i).payload(), ctx.clock().instant());
                groups.computeIfAbsent(r.sharedKey(), k -> new ArrayList<>()).add(r);
            } catch (IllegalArgumentException e) {
                outcomes[i] = Outcome.dead(0, e.getMessage());
            }
        }
        for (List<EmailRequest> group : groups.values()) {
            for (List<EmailRequest> chunk : chunks(group)) {
                send(chunk, ctx, outcomes);
            }
        }
        return Arrays.asList(outcomes);
    }

    private static List<List<EmailRequest>> chunks(List<EmailRequest> group) {
        List<List<EmailRequest>> out = new ArrayList<>();
        List<EmailRequest> cur = new ArrayList<>();
        int recipients = 0;
        long chars = 0;
        for (EmailRequest r : group) {
            long size = r.personalization().toString().length();
            if (!cur.isEmpty() && (cur.size() >= MAX_PERSONALIZATIONS || recipients + r.recipients() > MAX_RECIPIENTS
                    || chars + size > MAX_REQUEST_CHARS)) {
                out.add(cur);
                cur = new ArrayList<>();
                recipients = 0;
                chars = 0;
            }
            cur.add(r);
            recipients += r.recipients();
            chars += size;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    private void send(List<EmailRequest> chunk, ActionContext ctx, Outcome[] outcomes) {
        ObjectNode body = chunk.get(0).shared().deepCopy();
        ArrayNode personalizations = body.putArray("personalizations");
        chunk.forEach(r -> personalizations.add(r.personalization()));
        Outcome o;
        try {
            String messageId = ctx.api().sendMail(body);
            o = messageId == null
                    ? Outcome.done(200, "accepted in sandbox mode (not sent)")
                    : Outcome.done(202, "email accepted by SendGrid (X-Message-Id " + messageId + ")");
        } catch (SendGridException e) {
            if (e.status() == 400 && chunk.size() > 1) {
                // isolate the bad personalization(s): the halves that SendGrid accepts are sent
                int mid = chunk.size() / 2;
                send(chunk.subList(0, mid), ctx, outcomes);
                send(chunk.subList(mid, chunk.size()), ctx, outcomes);
                return;
            }
            o = failure(e, ctx, "SendGrid refused the email: ");
        }
        for (EmailRequest r : chunk) {
            outcomes[r.input()] = o;
        }
    }
}
