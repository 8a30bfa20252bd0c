package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.Await;
import io.gridsync.emulator.testing.MailBodies;
import io.gridsync.emulator.testing.SendGridHttp;
import io.gridsync.emulator.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events for accepted mail reach a receiving server as SendGrid posts them: the outcome chosen by the
 * recipient address, SendGrid's fields, only enabled types, batched, and retried with the same events
 * when the receiver fails.
 */
class EventEmissionTest {

    private Emulator emulator;
    private SendGridHttp sg;
    private SendGridHttp admin;
    private WebhookReceiver receiver;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** An emulator whose configured webhook (all events, signed) posts to the receiver. */
    private void start(WebhookReceiver r, Consumer<EmulatorConfig> tune) {
        receiver = r;
        EmulatorConfig config = new EmulatorConfig().port(0).webhookUrl(r.url());
        config.webhookFlushMillis = 20;
        config.webhookRetryInitialMillis = 10;
        config.webhookRetryMaxMillis = 40;
        tune.accept(config);
        emulator = Emulator.start(config);
        sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
        admin = new SendGridHttp(emulator.baseUrl(), null);
    }

    private static Map<String, List<JsonNode>> byEmail(List<JsonNode> events) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        events.forEach(e -> out.computeIfAbsent(e.get("email").asText(), k -> new ArrayList<>()).add(e));
        return out;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("event").asText()).toList();
    }

    @Test
    void eachAddressGetsItsDocumentedOutcomeWithSendGridsFields() {
        start(WebhookReceiver.accepting(), c -> { });
        ObjectNode body = MailBodies.valid();
        ArrayNode ps = body.putArray("personalizations");
        ObjectNode first = ps.addObject();
        ArrayNode to = first.putArray("to");
        for (String local : List.of("alex", "bounce-1", "blocked", "drop.me", "deferred", "spam", "unsub", "groupunsub",
                "groupresub", "click", "open")) {
            to.addObject().put("email", local + "@example.com");
        }
        first.putArray("cc").addObject().put("email", "Open.CC@example.com");
        first.putObject("custom_args").put("order_id", "42").put("tenant", "personal");
        ObjectNode second = ps.addObject();
        second.putArray("bcc").addObject().put("email", "audit@example.com");
        second.putArray("to").addObject().put("email", "bola@example.com");
        body.putArray("categories").add("orders").add("transactional");
        body.putObject("custom_args").put("tenant", "acme").put("event", "must not replace SendGrid's field");
        body.putObject("asm").put("group_id", 777);
        body.putArray("content").addObject().put("type", "text/html")
                .put("value", "<p>See <a href=\"https://shop.example.com/orders/42\">your order</a></p>");

        SendGridHttp.Response sent = sg.post("/v3/mail/send", body);
        assertThat(sent.status()).isEqualTo(202);
        String messageId = sent.header("X-Message-Id");

        int expected = 2 + 2 + 2 + 1 + 3 + 4 + 5 + 4 + 5 + 4 + 3 + 3 + 2 + 2;
        Await.until(expected + " events arrive", () -> receiver.acceptedEvents().size() >= expected);
        List<JsonNode> events = receiver.acceptedEvents();
        assertThat(events).hasSize(expected);
        Map<String, List<JsonNode>> byEmail = byEmail(events);

        assertThat(types(byEmail.get("alex@example.com"))).containsExactly("processed", "delivered");
        assertThat(types(byEmail.get("bounce-1@example.com"))).containsExactly("processed", "bounce");
        assertThat(types(byEmail.get("blocked@example.com"))).containsExactly("processed", "bounce");
        assertThat(types(byEmail.get("drop.me@example.com"))).containsExactly("dropped");
        assertThat(types(byEmail.get("deferred@example.com"))).containsExactly("processed", "deferred", "delivered");
        assertThat(types(byEmail.get("spam@example.com"))).containsExactly("processed", "delivered", "open", "spamreport");
        assertThat(types(byEmail.get("unsub@example.com"))).containsExactly("processed", "delivered", "open", "click", "unsubscribe");
        assertThat(types(byEmail.get("groupunsub@example.com"))).containsExactly("processed", "delivered", "open", "group_unsubscribe");
        assertThat(types(byEmail.get("groupresub@example.com")))
                .containsExactly("processed", "delivered", "open", "group_unsubscribe", "group_resubscribe");
        assertThat(types(byEmail.get("click@example.com"))).containsExactly("processed", "delivered", "open", "click");
        assertThat(types(byEmail.get("open@example.com"))).containsExactly("processed", "delivered", "open");
        assertThat(types(byEmail.get("Open.CC@example.com"))).containsExactly("processed", "delivered", "open");
        assertThat(types(byEmail.get("audit@example.com"))).containsExactly("processed", "delivered");
        assertThat(types(byEmail.get("bola@example.com"))).containsExactly("processed", "delivered");

        Set<String> eventIds = new TreeSet<>();
        for (JsonNode e : events) {
            eventIds.add(e.get("sg_event_id").asText());
            assertThat(e.get("timestamp").isIntegralNumber()).isTrue();
            assertThat(e.get("sg_message_id").asText()).startsWith(messageId + ".");
            assertThat(e.get("smtp-id").asText()).startsWith("<" + messageId + "@").endsWith(">");
            assertThat(e.get("category").toString()).isEqualTo("[\"orders\",\"transactional\"]");
            assertThat(e.get("asm_group_id").asInt()).isEqualTo(777);
            assertThat(e.get("event").asText()).isNotEqualTo("must not replace SendGrid's field");
        }
        assertThat(eventIds).as("sg_event_id is unique").hasSize(expected);

        // custom args: message level merged with the personalization's own, which wins
        JsonNode alexDelivered = byEmail.get("alex@example.com").get(1);
        assertThat(alexDelivered.get("order_id").asText()).isEqualTo("42");
        assertThat(alexDelivered.get("tenant").asText()).isEqualTo("personal");
        JsonNode bolaDelivered = byEmail.get("bola@example.com").get(1);
        assertThat(bolaDelivered.get("tenant").asText()).isEqualTo("acme");
        assertThat(bolaDelivered.has("order_id")).isFalse();
        // one recipient keeps one sg_message_id across its events; recipients differ
        assertThat(byEmail.get("click@example.com").stream().map(e -> e.get("sg_message_id").asText()).distinct()).hasSize(1);
        assertThat(alexDelivered.get("sg_message_id").asText()).isNotEqualTo(bolaDelivered.get("sg_message_id").asText());

        JsonNode processed = byEmail.get("alex@example.com").get(0);
        assertThat(processed.get("send_at").asLong()).isZero();
        assertThat(alexDelivered.get("response").asText()).startsWith("250");
        assertThat(alexDelivered.get("ip").asText()).isNotEmpty();
        assertThat(alexDelivered.get("tls").asInt()).isEqualTo(1);

        JsonNode bounce = byEmail.get("bounce-1@example.com").get(1);
        assertThat(bounce.get("type").asText()).isEqualTo("bounce");
        assertThat(bounce.get("status").asText()).startsWith("5.");
        assertThat(bounce.get("reason").asText()).isNotEmpty();
        assertThat(bounce.get("bounce_classification").asText()).isEqualTo("Invalid Address");
        assertThat(byEmail.get("blocked@example.com").get(1).get("type").asText()).isEqualTo("blocked");

        assertThat(byEmail.get("drop.me@example.com").get(0).get("reason").asText()).isEqualTo("Bounced Address");

        JsonNode deferred = byEmail.get("deferred@example.com").get(1);
        assertThat(deferred.get("response").asText()).startsWith("4");
        assertThat(deferred.get("attempt").asText()).isEqualTo("1");

        JsonNode open = byEmail.get("open@example.com").get(2);
        assertThat(open.get("useragent").asText()).isNotEmpty();
        assertThat(open.get("ip").asText()).isNotEmpty();
        assertThat(open.get("sg_machine_open").asBoolean()).isFalse();

        JsonNode click = byEmail.get("click@example.com").get(3);
        assertThat(click.get("url").asText()).isEqualTo("https://shop.example.com/orders/42");
        assertThat(click.at("/url_offset/index").asInt()).isZero();
        assertThat(click.at("/url_offset/type").asText()).isEqualTo("html");
        assertThat(click.get("useragent").asText()).isNotEmpty();

        assertThat(byEmail.get("groupunsub@example.com").get(3).get("asm_group_id").asInt()).isEqualTo(777);
        sg.assertConforms();
    }

    @Test
    void aSingleCategoryIsSentAsAStringAndScheduledSendsCarrySendAt() {
        start(WebhookReceiver.accepting(), c -> { });
        ObjectNode body = MailBodies.valid();
        body.putArray("categories").add("welcome");
        long sendAt = System.currentTimeMillis() / 1000 + 3600;
        body.put("send_at", sendAt);
        String template = sg.post("/v3/templates", "{\"name\":\"t\",\"generation\":\"dynamic\"}").json().get("id").asText();
        body.put("template_id", template);
        assertThat(sg.post("/v3/mail/send", body).status()).isEqualTo(202);

        Await.until("both events arrive", () -> receiver.acceptedEvents().size() >= 2);
        for (JsonNode e : receiver.acceptedEvents()) {
            assertThat(e.get("category").isTextual()).isTrue();
            assertThat(e.get("category").asText()).isEqualTo("welcome");
            assertThat(e.get("sg_template_id").asText()).isEqualTo(template);
            assertThat(e.has("asm_group_id")).isFalse();
        }
        assertThat(receiver.acceptedEvents().get(0).get("send_at").asLong()).isEqualTo(sendAt);
        sg.assertConforms();
    }

    @Test
    void onlyEventTypesEnabledInTheSettingsArePosted() {
        start(WebhookReceiver.accepting(), c -> { });
        String id = sg.get("/v3/user/webhooks/event/settings/all").json().at("/webhooks/0/id").asText();
        StringBuilder settings = new StringBuilder("{");
        for (EventType t : EventType.values()) {
            settings.append('"').append(t.setting).append("\": ").append(t == EventType.DELIVERED || t == EventType.BOUNCE).append(", ");
        }
        settings.append("\"url\": \"").append(receiver.url()).append("\"}");
        assertThat(sg.patch("/v3/user/webhooks/event/settings/" + id, settings.toString()).status()).isEqualTo(200);

        ObjectNode body = MailBodies.valid();
        ArrayNode to = body.putArray("personalizations").addObject().putArray("to");
        to.addObject().put("email", "click@example.com");
        to.addObject().put("email", "bounce@example.com");
        assertThat(sg.post("/v3/mail/send", body).status()).isEqualTo(202);

        Await.until("the delivered and bounce events arrive", () -> receiver.acceptedEvents().size() >= 2);
        admin.post("/_emulator/webhook/flush", "");
        assertThat(receiver.acceptedEvents().stream().map(e -> e.get("email").asText() + " " + e.get("event").asText()))
                .containsExactlyInAnyOrder("click@example.com delivered", "bounce@example.com bounce");

        // a disabled webhook posts nothing
        sg.patch("/v3/user/webhooks/event/settings/" + id, "{\"url\": \"" + receiver.url() + "\", \"enabled\": false}");
        int before = receiver.posts().size();
        assertThat(sg.post("/v3/mail/send", body).status()).isEqualTo(202);
        assertThat(admin.post("/_emulator/webhook/flush", "").json().get("events").asInt()).isZero();
        assertThat(receiver.posts()).hasSize(before);
        sg.assertConforms();
    }

    @Test
    void batchesAreCutAtTheConfiguredSizeAndFlushPostsTheRest() {
        start(WebhookReceiver.accepting(), c -> {
            c.webhookFlushMillis = 3_600_000; // only size and an explicit flush post anything
            c.webhookBatchMaxEvents = 3;
        });
        ObjectNode body = MailBodies.valid();
        ArrayNode to = body.putArray("personalizations").addObject().putArray("to");
        for (int i = 0; i < 4; i++) {
            to.addObject().put("email", "user" + i + "@example.com"); // 8 events: processed + delivered each
        }
        assertThat(sg.post("/v3/mail/send", body).status()).isEqualTo(202);
        Await.until("two full batches arrive", () -> receiver.posts().size() >= 2);
        assertThat(receiver.posts()).allSatisfy(p -> assertThat(p.events()).hasSize(3));
        assertThat(admin.get("/_emulator/webhook/batches").json().get("pending_events").asInt()).isEqualTo(2);

        JsonNode flushed = admin.post("/_emulator/webhook/flush", "").json();
        assertThat(flushed.get("batches").asInt()).isEqualTo(1);
        assertThat(flushed.get("events").asInt()).isEqualTo(2);
        Await.until("the rest arrives", () -> receiver.acceptedEvents().size() >= 8);
        assertThat(receiver.posts()).hasSize(3);
        sg.assertConforms();
    }

    @Test
    void aFailingReceiverGetsTheSameEventsAgainUntilItAccepts() {
        start(new WebhookReceiver(n -> n <= 2 ? 500 : 200), c -> { });
        ObjectNode body = MailBodies.valid();
        ArrayNode to = body.putArray("personalizations").addObject().putArray("to");
        to.addObject().put("email", "alex@example.com");
        to.addObject().put("email", "open@example.com");
        assertThat(sg.post("/v3/mail/send", body).status()).isEqualTo(202);

        Await.until("a post is accepted", () -> receiver.posts().stream().anyMatch(p -> p.answeredWith() == 200));
        List<WebhookReceiver.Post> posts = receiver.posts();
        assertThat(posts).hasSize(3);
        Set<String> firstIds = ids(posts.get(0));
        assertThat(firstIds).hasSize(5);
        assertThat(ids(posts.get(1))).isEqualTo(firstIds);
        assertThat(ids(posts.get(2))).isEqualTo(firstIds);
        assertThat(posts.get(2).body()).isEqualTo(posts.get(0).body());
        assertThat(receiver.acceptedEvents()).hasSize(5);

        Await.until("the third attempt is recorded", () -> admin.get("/_emulator/webhook/batches").json().get("attempts").size() >= 3);
        JsonNode attempts = admin.get("/_emulator/webhook/batches").json().get("attempts");
        assertThat(attempts.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(attempts.get(0).get("status_code").asInt()).isEqualTo(500);
        assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("retry_scheduled");
        assertThat(attempts.get(0).get("event_count").asInt()).isEqualTo(5);
        assertThat(attempts.get(0).get("url").asText()).isEqualTo(receiver.url());
        assertThat(attempts.get(1).get("attempt").asInt()).isEqualTo(2);
        assertThat(attempts.get(1).get("next_attempt_in_ms").asLong())
                .isEqualTo(2 * attempts.get(0).get("next_attempt_in_ms").asLong()); // exponential backoff
        assertThat(attempts.get(2).get("attempt").asInt()).isEqualTo(3);
        assertThat(attempts.get(2).get("status_code").asInt()).isEqualTo(200);
        assertThat(attempts.get(2).get("outcome").asText()).isEqualTo("delivered");
        assertThat(attempts.get(2).get("batch_id").asLong()).isEqualTo(attempts.get(0).get("batch_id").asLong());
        sg.assertConforms();
    }

    @Test
    void aBatchStillFailingAfterTheGiveUpTimeIsDroppedAndRecorded() {
        start(new WebhookReceiver(n -> 503), c -> c.webhookRetryGiveUpMillis = 0);
        assertThat(sg.post("/v3/mail/send", MailBodies.valid()).status()).isEqualTo(202);
        Await.until("the attempt is recorded", () -> admin.get("/_emulator/webhook/batches").json().get("attempts").size() >= 1);
        JsonNode attempt = admin.get("/_emulator/webhook/batches").json().at("/attempts/0");
        assertThat(attempt.get("status_code").asInt()).isEqualTo(503);
        assertThat(attempt.get("outcome").asText()).isEqualTo("gave_up");
        assertThat(admin.get("/_emulator/webhook/batches").json().get("retrying_batches").asInt()).isZero();
        assertThat(receiver.posts()).hasSize(1);
    }

    @Test
    void anUnreachableReceiverIsRecordedAsAConnectionErrorAndRetried() {
        WebhookReceiver closed = WebhookReceiver.accepting();
        closed.close(); // its port now refuses connections
        start(closed, c -> {
            c.webhookRetryInitialMillis = 60_000; // keep the retry waiting, so it stays visible
            c.webhookRetryMaxMillis = 60_000;
        });
        assertThat(sg.post("/v3/mail/send", MailBodies.valid()).status()).isEqualTo(202);
        Await.until("the failed attempt is recorded", () -> admin.get("/_emulator/webhook/batches").json().get("attempts").size() >= 1);
        JsonNode batches = admin.get("/_emulator/webhook/batches").json();
        assertThat(batches.at("/attempts/0/status_code").isNull()).isTrue();
        assertThat(batches.at("/attempts/0/error").asText()).isNotEmpty();
        assertThat(batches.at("/attempts/0/outcome").asText()).isEqualTo("retry_scheduled");
        assertThat(batches.get("retrying_batches").asInt()).isEqualTo(1);
    }

    @Test
    void sandboxSendsProduceNoEvents() {
        start(WebhookReceiver.accepting(), c -> { });
        ObjectNode sandbox = MailBodies.valid();
        sandbox.putObject("mail_settings").putObject("sandbox_mode").put("enable", true);
        assertThat(sg.post("/v3/mail/send", sandbox).status()).isEqualTo(200);
        String id = sg.post("/v3/mail/send", MailBodies.valid()).header("X-Message-Id");
        Await.until("the real message's events arrive", () -> receiver.acceptedEvents().size() >= 2);
        admin.post("/_emulator/webhook/flush", "");
        assertThat(receiver.acceptedEvents()).hasSize(2)
                .allSatisfy(e -> assertThat(e.get("sg_message_id").asText()).startsWith(id + "."));
    }

    @Test
    void theTestEndpointPostsSampleEventsToTheGivenUrl() {
        start(WebhookReceiver.accepting(), c -> { });
        try (WebhookReceiver other = WebhookReceiver.accepting()) {
            String id = sg.get("/v3/user/webhooks/event/settings/all").json().at("/webhooks/0/id").asText();
            SendGridHttp.Response r = sg.post("/v3/user/webhooks/event/test", "{\"id\": \"" + id + "\", \"url\": \"" + other.url() + "\"}");
            assertThat(r.status()).isEqualTo(204);
            Await.until("the test batch arrives", () -> !other.posts().isEmpty());
            WebhookReceiver.Post post = other.posts().get(0);
            assertThat(post.events().stream().map(e -> e.get("event").asText()).collect(Collectors.toSet()))
                    .contains("processed", "delivered", "bounce", "open", "click", "spamreport", "group_unsubscribe");
            assertThat(post.header(SigningKey.SIGNATURE_HEADER)).isNotEmpty(); // signed with the webhook's key

            assertThat(sg.post("/v3/user/webhooks/event/test", "{\"url\": \"not a url\"}").status()).isEqualTo(400);
        }
        assertThat(receiver.posts()).isEmpty();
    }

    private static Set<String> ids(WebhookReceiver.Post post) {
        return post.events().stream().map(e -> e.get("sg_event_id").asText()).collect(Collectors.toCollection(TreeSet::new));
    }
}
