package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.mail.SentMessage;
import io.gridsync.emulator.state.Ids;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an accepted message into the events SendGrid would post for it: for every recipient (to, cc
 * and bcc of every personalization) the sequence {@link RecipientOutcome} picks from the address,
 * each event with SendGrid's fields, the message's categories and asm group, and its custom
 * arguments as top-level keys (never replacing one of SendGrid's own keys).
 */
public final class EventGenerator {

    /** Addresses from the documentation ranges, so nobody mistakes them for real infrastructure. */
    public static final String SENDING_IP = "198.51.100.10";
    static final String RECIPIENT_IP = "203.0.113.7";
    static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    static final String DEFAULT_CLICK_URL = "https://example.com/";

    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+");

    private final Clock clock;

    public EventGenerator() {
        this(Clock.systemUTC());
    }

    /** @param clock the time of the events */
    public EventGenerator(Clock clock) {
        this.clock = clock;
    }

    public List<ObjectNode> eventsFor(SentMessage m) {
        List<ObjectNode> out = new ArrayList<>();
        long now = clock.instant().getEpochSecond();
        Link link = firstLink(m);
        int recipientIndex = 0;
        for (int p = 0; p < m.personalizations().size(); p++) {
            Map<String, String> args = m.customArgs(p);
            Long sendAt = m.sendAt(p);
            for (String email : m.recipients(p)) {
                String sgMessageId = m.messageId() + ".filterdrecv-emulator-" + Long.toHexString(m.receivedAt().getEpochSecond())
                        .toUpperCase(Locale.ROOT) + "-" + recipientIndex + ".0";
                RecipientOutcome outcome = RecipientOutcome.of(email);
                for (EventType type : outcome.events) {
                    EventType actual = type;
                    if ((type == EventType.GROUP_UNSUBSCRIBE || type == EventType.GROUP_RESUBSCRIBE) && m.asmGroupId() == null) {
                        // group events need an unsubscribe group; without one the recipient unsubscribes globally
                        if (type == EventType.GROUP_RESUBSCRIBE) {
                            continue;
                        }
                        actual = EventType.UNSUBSCRIBE;
                    }
                    ObjectNode e = base(m, email, sgMessageId, actual, now);
                    details(e, actual, outcome, sendAt, link);
                    args.forEach((k, v) -> {
                        if (!e.has(k)) {
                            e.put(k, v);
                        }
                    });
                    out.add(e);
                }
                recipientIndex++;
            }
        }
        return out;
    }

    /** One event of every type for {@code example@test.com}, as the settings test endpoint posts. */
    public List<ObjectNode> samples() {
        List<ObjectNode> out = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        String messageId = Ids.token();
        for (EventType t : EventType.values()) {
            ObjectNode e = Json.object();
            e.put("email", "example@test.com");
            e.put("timestamp", now);
            e.put("smtp-id", "<" + messageId + "@ismtpd-emulator>");
            e.put("event", t.eventName);
            e.put("category", "cat facts");
            e.put("sg_event_id", Ids.token());
            e.put("sg_message_id", messageId + ".filterdrecv-emulator-test-0.0");
            if (t == EventType.GROUP_UNSUBSCRIBE || t == EventType.GROUP_RESUBSCRIBE) {
                e.put("asm_group_id", 10);
            }
            details(e, t, t == EventType.BOUNCE ? RecipientOutcome.BOUNCED : RecipientOutcome.DELIVERED_ONLY, null,
                    new Link(DEFAULT_CLICK_URL, "html"));
            out.add(e);
        }
        return out;
    }

    private static ObjectNode base(SentMessage m, String email, String sgMessageId, EventType type, long now) {
        ObjectNode e = Json.object();
        e.put("email", email);
        e.put("timestamp", now);
        e.put("smtp-id", "<" + m.messageId() + "@ismtpd-emulator>");
        e.put("event", type.eventName);
        List<String> categories = m.categories();
        if (categories.size() == 1) {
            e.put("category", categories.get(0));
        } else if (categories.size() > 1) {
            ArrayNode list = e.putArray("category");
            categories.forEach(list::add);
        }
        e.put("sg_event_id", Ids.token());
        e.put("sg_message_id", sgMessageId);
        if (m.asmGroupId() != null) {
            e.put("asm_group_id", m.asmGroupId());
        }
        String template = m.templateId();
        if (template != null && template.startsWith("d-")) {
            e.put("sg_template_id", template);
        }
        return e;
    }

    private static void details(ObjectNode e, EventType type, RecipientOutcome outcome, Long sendAt, Link link) {
        switch (type) {
            case PROCESSED -> e.put("send_at", sendAt == null ? 0 : sendAt);
            case DELIVERED -> {
                e.put("ip", SENDING_IP);
                e.put("response", "250 2.0.0 OK");
                e.put("tls", 1);
            }
            case DEFERRED -> {
                e.put("ip", SENDING_IP);
                e.put("response", "421 4.7.0 Temporary System Problem. Try again later.");
                e.put("attempt", "1");
                e.put("tls", 1);
            }
            case BOUNCE -> {
                e.put("ip", SENDING_IP);
                e.put("tls", 1);
                if (outcome == RecipientOutcome.BLOCKED) {
                    e.put("type", "blocked");
                    e.put("status", "5.7.1");
                    e.put("reason", "550 5.7.1 Message rejected due to local policy.");
                    e.put("bounce_classification", "Reputation");
                } else {
                    e.put("type", "bounce");
                    e.put("status", "5.1.1");
                    e.put("reason", "550 5.1.1 The email account that you tried to reach does not exist.");
                    e.put("bounce_classification", "Invalid Address");
                }
            }
            case DROPPED -> e.put("reason", outcome == RecipientOutcome.INVALID_ADDRESS ? "Invalid" : "Bounced Address");
            case OPEN -> {
                e.put("useragent", USER_AGENT);
                e.put("ip", RECIPIENT_IP);
                e.put("sg_machine_open", false);
            }
            case CLICK -> {
                e.put("useragent", USER_AGENT);
                e.put("ip", RECIPIENT_IP);
                e.put("url", link.url());
                ObjectNode offset = e.putObject("url_offset");
                offset.put("index", 0);
                offset.put("type", link.type());
            }
            case GROUP_UNSUBSCRIBE, GROUP_RESUBSCRIBE -> {
                e.put("useragent", USER_AGENT);
                e.put("ip", RECIPIENT_IP);
            }
            case SPAM_REPORT, UNSUBSCRIBE -> {
                // SendGrid sends these with the common fields only
            }
            default -> throw new IllegalStateException("unhandled event type " + type);
        }
    }

    /** The link a click event reports: the first in the HTML part, else in the text part. */
    record Link(String url, String type) {}

    private static Link firstLink(SentMessage m) {
        for (String type : List.of("html", "plain")) {
            String body = m.content("text/" + type);
            if (body != null) {
                Matcher matcher = LINK.matcher(body);
                if (matcher.find()) {
                    return new Link(matcher.group(), type.equals("html") ? "html" : "text");
                }
            }
        }
        return new Link(DEFAULT_CLICK_URL, "html");
    }
}
