package io.gridsync.core.contact;

import io.gridsync.core.action.ActionContext;
import io.gridsync.core.action.Outcome;
import io.gridsync.core.planner.BatchPlanner;
import io.gridsync.core.planner.UpsertRequest;
import io.gridsync.core.sendgrid.ImportStatus;
import io.gridsync.core.sendgrid.SendGridError;
import io.gridsync.core.sendgrid.SendGridException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends contact drafts to SendGrid through the batch planner and answers one outcome per input:
 * a 400 that names bad rows fails those rows only and resends the rest; after a 202 the import
 * job is followed and its errored rows are mapped back to their inputs; transient failures come
 * back as retries. Shared by every action that writes contacts.
 */
public final class ContactUpserter {

    private static final Logger log = LoggerFactory.getLogger(ContactUpserter.class);
    /** {@code contacts[12].email} in a 400's field. */
    private static final Pattern ROW_FIELD = Pattern.compile("^contacts\\[(\\d+)]");
    /** SendGrid's message for a rejected email, as Segment's destination also reads it. */
    private static final Pattern BAD_EMAIL = Pattern.compile("email '(.+?)' is not valid");
    /** A request is resent at most this many times after 400s that named bad rows. */
    private static final int MAX_RESENDS = 5;

    private final BatchPlanner planner;

    public ContactUpserter() {
        this(new BatchPlanner());
    }

    public ContactUpserter(BatchPlanner planner) {
        this.planner = planner;
    }

    /** Upserts; the result has an outcome for every input index named by the drafts. */
    public Map<Integer, Outcome> upsert(List<ContactDraft> drafts, ActionContext ctx) {
        Map<Integer, Outcome> outcomes = new HashMap<>();
        if (drafts.isEmpty()) {
            return outcomes;
        }
        for (UpsertRequest request : planner.plan(drafts, ctx.identities())) {
            send(request, ctx, outcomes, 0);
        }
        return outcomes;
    }

    private void send(UpsertRequest request, ActionContext ctx, Map<Integer, Outcome> outcomes, int resends) {
        String jobId;
        try {
            jobId = ctx.api().upsertContacts(request.body());
        } catch (SendGridException e) {
            if (e.status() == 400 && resends < MAX_RESENDS) {
                Set<Integer> bad = badRows(request, e.errors());
                if (!bad.isEmpty() && bad.size() < request.contacts().size()) {
                    List<ContactDraft> rest = new ArrayList<>();
                    for (int i = 0; i < request.contacts().size(); i++) {
                        ContactDraft d = request.contacts().get(i);
                        if (bad.contains(i)) {
                            fail(d, outcomes, Outcome.dead(400, "SendGrid rejected the contact: " + messagesFor(i, d, e.errors())));
                        } else {
                            rest.add(d);
                        }
                    }
                    // the rest were never applied: plan and send them again without the bad rows
                    for (UpsertRequest again : planner.plan(rest, ctx.identities())) {
                        send(again, ctx, outcomes, resends + 1);
                    }
                    return;
                }
            }
            Outcome o = e.retryable()
                    ? Outcome.retry(e.status(), e.getMessage(), e.retryAt() != null ? e.retryAt() : ctx.clock().instant())
                    : Outcome.dead(e.status(), e.getMessage());
            request.contacts().forEach(d -> fail(d, outcomes, o));
            return;
        }
        ImportStatus status;
        try {
            status = ctx.api().awaitJob(jobId, ctx.importTimeout());
        } catch (SendGridException e) {
            // the contacts were accepted (202); only following the job failed
            log.warn("contacts accepted as job {} but its status could not be read: {}", jobId, e.getMessage());
            request.contacts().forEach(d -> done(d, outcomes, "contact accepted (job " + jobId + ", status unknown)"));
            ctx.identities().recordAll(request.contacts().stream().map(ContactDraft::identifiers).toList());
            return;
        }
        Map<Integer, String> rowErrors = status.errored() > 0 && status.errorsUrl() != null
                ? ImportErrors.read(ctx.api(), status.errorsUrl()) : Map.of();
        List<Map<String, String>> accepted = new ArrayList<>(request.contacts().size());
        for (int i = 0; i < request.contacts().size(); i++) {
            ContactDraft d = request.contacts().get(i);
            String error = rowErrors.get(i);
            if (error != null) {
                fail(d, outcomes, Outcome.dead(202, "SendGrid import " + jobId + " rejected the contact: " + error));
            } else if ("failed".equals(status.status())) {
                fail(d, outcomes, Outcome.dead(202, "SendGrid import " + jobId + " failed"));
            } else if (status.errored() > 0 && rowErrors.isEmpty()) {
                // errored rows we cannot attribute: say so rather than guess
                fail(d, outcomes, Outcome.dead(202, "SendGrid import " + jobId + " reported " + status.errored()
                        + " errored rows without an errors file"));
            } else {
                String what = "pending".equals(status.status()) ? "contact accepted (job " + jobId + " still pending)"
                        : "contact upserted (job " + jobId + ")";
                done(d, outcomes, what);
                accepted.add(d.identifiers());
            }
        }
        // what SendGrid now holds for these contacts, written once for the whole request
        ctx.identities().recordAll(accepted);
    }

    private static void done(ContactDraft d, Map<Integer, Outcome> outcomes, String detail) {
        Outcome o = Outcome.done(202, detail);
        d.inputs().forEach(i -> outcomes.put(i, o));
    }

    private static void fail(ContactDraft d, Map<Integer, Outcome> outcomes, Outcome o) {
        d.inputs().forEach(i -> outcomes.put(i, o));
    }

    /** Rows a 400 names, by {@code contacts[i]} field or by the email in the message. */
    static Set<Integer> badRows(UpsertRequest request, List<SendGridError> errors) {
        Set<Integer> bad = new HashSet<>();
        Map<String, Integer> rowByEmail = new HashMap<>();
        for (int i = 0; i < request.contacts().size(); i++) {
            String email = request.contacts().get(i).identifiers().get("email");
            if (email != null) {
                rowByEmail.put(email, i);
            }
        }
        for (SendGridError e : errors) {
            if (e.field() != null) {
                Matcher m = ROW_FIELD.matcher(e.field());
                if (m.find()) {
                    int row = Integer.parseInt(m.group(1));
                    if (row < request.contacts().size()) {
                        bad.add(row);
                    }
                    continue;
                }
            }
            Matcher m = BAD_EMAIL.matcher(e.message() == null ? "" : e.message());
            while (m.find()) {
                Integer row = rowByEmail.get(m.group(1).toLowerCase(Locale.ROOT));
                if (row != null) {
                    bad.add(row);
                }
            }
        }
        return bad;
    }

    private static String messagesFor(int row, ContactDraft d, List<SendGridError> errors) {
        List<String> out = new ArrayList<>();
        String email = d.identifiers().get("email");
        for (SendGridError e : errors) {
            boolean byField = e.field() != null && e.field().startsWith("contacts[" + row + "]");
            boolean byEmail = email != null && e.message() != null && e.message().toLowerCase(Locale.ROOT).contains("'" + email + "'");
            if (byField || byEmail) {
                out.add(e.toString());
            }
        }
        return out.isEmpty() ? "invalid contact" : String.join("; ", out);
    }
}
