package io.gridsync.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.core.deliver.Attempt;
import io.gridsync.core.deliver.Delivery;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.message.Message;
import io.gridsync.core.testing.EmulatorFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.gridsync.core.testing.EmulatorFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Send Email with Dynamic Template, against the emulator's mail send. */
class SendEmailTest {

    private static final ObjectMapper M = new ObjectMapper();
    private final EmulatorFixture sg = new EmulatorFixture();
    private String template;

    @BeforeEach
    void template() {
        template = sg.post("/v3/templates", "{\"name\":\"welcome\",\"generation\":\"dynamic\"}").path("id").asText();
    }

    @AfterEach
    void stop() {
        sg.close();
    }

    private List<Attempt> send(List<Message> messages, String extraMapping) throws Exception {
        String integration = """
                {"name":"mail","subscriptions":[{"name":"welcome","trigger":"type = \\"track\\" and event = \\"Signed Up\\"",
                 "action":"send_email","mapping":{"template_id":"%s","from":{"email":"hello@shop.example","name":"Shop"},
                 "dynamic_template_data":{"first_name":{"@path":"$.properties.first_name"}},
                 "custom_args":{"user":{"@path":"$.userId"}}%s}}]}
                """.formatted(template, extraMapping);
        return new Delivery(Integration.fromJson(M.readTree(integration), null), sg.context(null, false))
                .deliver(messages, 1, Duration.ofSeconds(10));
    }

    private static Message signedUp(int i, String email) {
        return message("{'type':'track','event':'Signed Up','messageId':'s" + i + "','userId':'u" + i + "',"
                + "'properties':{'email':'" + email + "','name':'User " + i + "','first_name':'F" + i + "'}}");
    }

    private JsonNode sentMail() {
        return sg.call("GET", "/_emulator/mail?limit=1000", null);
    }

    @Test
    void sendsSharingATemplateGoOutAsRequestsOfUpTo1000Personalizations() throws Exception {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            messages.add(signedUp(i, "user" + i + "@example.com"));
        }
        List<Attempt> attempts = send(messages, "");

        assertThat(attempts).hasSize(2500).allMatch(a -> a.outcome().isDone());
        assertThat(attempts.get(0).outcome().status()).isEqualTo(202);
        assertThat(sg.requests("POST", "/v3/mail/send")).isEqualTo(3);
        JsonNode first = sentMail().findValue("personalizations");
        assertThat(first).isNotNull();
        JsonNode mail = sg.call("GET", "/_emulator/mail?limit=3", null);
        assertThat(mail.toString()).contains("\"reply_to\"").contains("hello@shop.example");
    }

    @Test
    void aPersonalizationSendGridRefusesIsIsolatedAndTheOthersAreSent() throws Exception {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messages.add(signedUp(i, "ok" + i + "@example.com"));
        }
        // a header key with a space: gridsync does not check it, SendGrid refuses the whole request for it
        messages.set(6, message("{'type':'track','event':'Signed Up','messageId':'bad','userId':'u6',"
                + "'properties':{'email':'six@example.com','headers':{'X Bad Key':'1'}}}"));
        List<Attempt> attempts = send(messages, ",\"headers\":{\"@path\":\"$.properties.headers\"}");

        assertThat(attempts.stream().filter(a -> a.outcome().isDone()).count()).isEqualTo(9);
        Attempt bad = attempts.get(6);
        assertThat(bad.outcome()).isInstanceOf(Outcome.Dead.class);
        assertThat(bad.outcome().status()).isEqualTo(400);
        assertThat(sg.requests("POST", "/v3/mail/send")).isGreaterThan(2).isLessThan(10);
    }

    @Test
    void invalidSendsFailAloneWithTheRuleTheyBreak() throws Exception {
        String far = Instant.now().plus(Duration.ofHours(80)).toString();
        List<Attempt> attempts = send(List.of(
                        signedUp(1, "fine@example.com"),
                        signedUp(2, "not an email"),
                        message("{'type':'track','event':'Signed Up','messageId':'x','userId':'u','properties':{'email':'a@b.io','at':'" + far + "'}}")),
                ",\"send_at\":{\"@path\":\"$.properties.at\"},\"headers\":{\"X-Campaign\":\"spring\"},"
                        + "\"categories\":[\"welcome\",\"onboarding\"],\"ip_pool_name\":\"transactional\",\"group_id\":\"42\"");

        assertThat(attempts.get(0).outcome().isDone()).isTrue();
        assertThat(attempts.get(1).outcome().detail()).contains("to.email 'not an email' is not a valid email address");
        assertThat(attempts.get(2).outcome().detail()).contains("send_at should be less than 72 hours");
        JsonNode mail = sentMail();
        assertThat(mail.toString()).contains("\"group_id\":42").contains("transactional").contains("onboarding");
    }

    @Test
    void reservedHeadersAndNonDynamicTemplatesAreRefusedBeforeSending() throws Exception {
        List<Attempt> attempts = send(List.of(signedUp(1, "a@example.com")), ",\"headers\":{\"Reply-To\":\"x@y.io\"}");
        assertThat(attempts.get(0).outcome().detail()).contains("reserved headers").contains("Reply-To");
        assertThat(sg.requests("POST", "/v3/mail/send")).isZero();
    }
}
