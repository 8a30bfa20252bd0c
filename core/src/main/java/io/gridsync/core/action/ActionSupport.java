package io.gridsync.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.sendgrid.ImportStatus;
import io.gridsync.core.sendgrid.SendGridException;

/** Small helpers every action uses to read payloads and report SendGrid failures. */
public final class ActionSupport {

    private ActionSupport() {}

    /** A trimmed non-empty scalar as text, else null (missing, null, blank, or an object/array). */
    public static String text(JsonNode parent, String field) {
        JsonNode v = parent == null ? null : parent.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    /** A failed SendGrid call as an outcome: retry when SendGrid's error is transient, dead otherwise. */
    public static Outcome failure(SendGridException e, ActionContext ctx, String what) {
        return e.retryable()
                ? Outcome.retry(e.status(), what + e.getMessage(), e.retryAt() != null ? e.retryAt() : ctx.clock().instant())
                : Outcome.dead(e.status(), what + e.getMessage());
    }

    /** A finished removal or deletion job as an outcome; one still pending is accepted, not failed. */
    public static Outcome jobOutcome(ImportStatus s, String what) {
        if ("failed".equals(s.status()) || "errored".equals(s.status())) {
            return Outcome.dead(202, what + ": SendGrid job " + s.id() + " " + s.status());
        }
        return Outcome.done(202, what + " (job " + s.id() + (s.finished() ? ")" : ", still pending)"));
    }
}
