package io.gridsync.core.action;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.core.deliver.Attempt;
import io.gridsync.core.deliver.Delivery;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.message.Message;
import io.gridsync.core.testing.EmulatorFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gridsync.core.testing.EmulatorFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Upsert Contact through the presets, against the emulator. */
class UpsertContactTest {

    private final EmulatorFixture sg = new EmulatorFixture();

    @AfterEach
    void stop() {
        sg.close();
    }

    private List<Attempt> deliver(List<Message> messages, ActionContext ctx) {
        return new Delivery(Integration.presets(ctx.defaultListId()), ctx).deliver(messages, 2, Duration.ofSeconds(30));
    }

    private static Message identify(int i, String email, String traits) {
        return message("{'type':'identify','messageId':'m" + i + "','userId':'u" + i + "','traits':{'email':'" + email + "'"
                + (traits.isEmpty() ? "" : "," + traits) + "}}");
    }

    @Test
    void hundredThousandDistinctIdentifiesTakeExactlyFourUpserts() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            messages.add(identify(i, "user" + i + "@example.com", "'first_name':'User','last_name':'N" + i + "'"));
        }
        List<Attempt> attempts = deliver(messages, sg.context(null, false));

        assertThat(attempts).hasSize(100_000).allMatch(a -> a.outcome().isDone());
        assertThat(sg.requests("PUT", "/v3/marketing/contacts")).isEqualTo(4);
        assertThat(sg.contactCount()).isEqualTo(100_000);
        assertThat(sg.contactByEmail("user99999@example.com").path("last_name").asText()).isEqualTo("N99999");
    }

    @Test
    void aThousandMessagesForOnePersonInMixedCaseBecomeOneContact() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String email = i % 3 == 0 ? "Grace.Hopper@Navy.MIL" : i % 3 == 1 ? "grace.hopper@navy.mil" : "GRACE.HOPPER@NAVY.MIL";
            messages.add(identify(i, email, "'last_name':'Hopper " + i + "'"));
        }
        List<Attempt> attempts = deliver(messages, sg.context(null, false));

        assertThat(attempts).allMatch(a -> a.outcome().isDone());
        assertThat(sg.requests("PUT", "/v3/marketing/contacts")).isEqualTo(1);
        assertThat(sg.contactCount()).isEqualTo(1);
        JsonNode c = sg.contactByEmail("grace.hopper@navy.mil");
        assertThat(c.path("email").asText()).isEqualTo("grace.hopper@navy.mil");
        assertThat(c.path("last_name").asText()).isEqualTo("Hopper 999");
    }

    @Test
    void aBadRecordFailsAloneWithAReasonAndTheRestAreDelivered() {
        sg.post("/v3/marketing/field_definitions", "{\"name\":\"plan\",\"field_type\":\"Text\"}");
        List<Message> messages = List.of(
                identify(0, "good@example.com", ""),
                identify(1, "not-an-email", ""),
                message("{'type':'identify','messageId':'m2','userId':'u2','traits':{'first_name':'Nobody'}}"),
                message("{'type':'identify','messageId':'m3','userId':'u3','traits':{'email':'p@example.com','phone':'12'}}"),
                identify(4, "also.good@example.com", "'phone':'+44 20 7183 8750'"));
        List<Attempt> attempts = deliver(messages, sg.context(null, false));

        assertThat(attempts.get(0).outcome().isDone()).isTrue();
        assertThat(attempts.get(1).outcome()).isInstanceOf(Outcome.Dead.class);
        assertThat(attempts.get(1).outcome().detail()).contains("'not-an-email' is not a valid email");
        assertThat(attempts.get(2).outcome().detail()).contains("at least one identifying field");
        assertThat(attempts.get(3).outcome().detail()).contains("phone_number_id '12' is not a valid phone number in E.164");
        assertThat(attempts.get(4).outcome().isDone()).isTrue();
        assertThat(sg.contactByEmail("also.good@example.com").path("phone_number_id").asText()).isEqualTo("+442071838750");
        assertThat(sg.contactCount()).isEqualTo(2);
    }

    @Test
    void customFieldsByNameOrIdAreCoercedAndAnUnknownOneFailsOnlyItsRecord() throws Exception {
        String planId = sg.post("/v3/marketing/field_definitions", "{\"name\":\"Plan\",\"field_type\":\"Text\"}").path("id").asText();
        String seatsId = sg.post("/v3/marketing/field_definitions", "{\"name\":\"seats\",\"field_type\":\"Number\"}").path("id").asText();
        String renewId = sg.post("/v3/marketing/field_definitions", "{\"name\":\"renews_on\",\"field_type\":\"Date\"}").path("id").asText();
        String integration = """
                {"name":"t","subscriptions":[{"name":"identify","trigger":"type = \\"identify\\"","action":"upsert_contact",
                 "mapping":{"primary_email":{"@path":"$.traits.email"},
                            "customFields":{"plan":{"@path":"$.traits.plan"},"SEATS":{"@path":"$.traits.seats"},
                                            "%s":{"@path":"$.traits.renews"},"nickname":{"@path":"$.traits.nick"}}}}]}
                """.formatted(renewId);
        ActionContext ctx = sg.context(null, false);
        Integration i = Integration.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(integration), null);
        List<Attempt> attempts = new Delivery(i, ctx).deliver(List.of(
                message("{'type':'identify','messageId':'a','traits':{'email':'a@x.io','plan':'pro','seats':'12','renews':'2025-03-01T10:00:00Z'}}"),
                message("{'type':'identify','messageId':'b','traits':{'email':'b@x.io','plan':'free','nick':'bee'}}")),
                1, Duration.ofSeconds(10));

        assertThat(attempts.get(0).outcome().isDone()).isTrue();
        assertThat(attempts.get(1).outcome().detail()).contains("unknown custom field 'nickname'");
        JsonNode custom = sg.contactByEmail("a@x.io").path("custom_fields");
        assertThat(custom.path("Plan").asText()).isEqualTo("pro");
        assertThat(custom.path("seats").asInt()).isEqualTo(12);
        assertThat(custom.path("renews_on").asText()).startsWith("2025-03-01");
        assertThat(sg.contactByEmail("b@x.io")).isNull();
        assertThat(planId).isNotEqualTo(seatsId);
    }

    @Test
    void anUpdateCarriesEveryIdentifierTheContactAlreadyHas() {
        ActionContext ctx = sg.context(null, false);
        deliver(List.of(message("{'type':'identify','messageId':'1','userId':'u','traits':{'email':'ada@x.io','external_id':'crm-1'}}")), ctx);
        // later messages name only the email; SendGrid refuses such an update unless external_id is carried
        List<Attempt> later = deliver(List.of(identify(2, "ADA@x.io", "'first_name':'Ada'")), ctx);

        assertThat(later.get(0).outcome().isDone()).as(later.get(0).outcome().detail()).isTrue();
        JsonNode c = sg.contactByEmail("ada@x.io");
        assertThat(c.path("first_name").asText()).isEqualTo("Ada");
        assertThat(c.path("external_id").asText()).isEqualTo("crm-1");
        assertThat(sg.contactCount()).isEqualTo(1);
    }

    @Test
    void withoutTheLedgerSendGridRefusesTheUpdateAndTheErroredRowIsReported() {
        deliver(List.of(message("{'type':'identify','messageId':'1','traits':{'email':'lin@x.io','external_id':'crm-9'}}")),
                sg.context(null, false));
        // a fresh context knows nothing of crm-9: the import job errors that row, and we say why
        List<Attempt> later = deliver(List.of(identify(2, "lin@x.io", "'first_name':'Lin'")), sg.context(null, false));

        assertThat(later.get(0).outcome()).isInstanceOf(Outcome.Dead.class);
        assertThat(later.get(0).outcome().detail()).contains("rejected the contact").contains("external_id");
    }

    @Test
    void theDefaultListAndMappedListsAreApplied() {
        String listId = sg.post("/v3/marketing/lists", "{\"name\":\"everyone\"}").path("id").asText();
        List<Attempt> attempts = deliver(List.of(identify(1, "x@x.io", ""), identify(2, "y@x.io", "")), sg.context(listId, false));
        assertThat(attempts).allMatch(a -> a.outcome().isDone());
        assertThat(sg.listCount(listId)).isEqualTo(2);
        assertThat(sg.contactByEmail("x@x.io").path("list_ids").toString()).contains(listId);
    }

    @Test
    void aRowSendGridRefusesWithA400FailsAloneAndTheRestAreResent() {
        String longName = "N".repeat(60); // SendGrid caps first_name at 50 characters; gridsync leaves that check to SendGrid
        List<Attempt> attempts = deliver(List.of(
                identify(1, "one@x.io", ""),
                identify(2, "two@x.io", "'first_name':'" + longName + "'"),
                identify(3, "three@x.io", "")), sg.context(null, false));

        assertThat(attempts.get(0).outcome().isDone()).isTrue();
        assertThat(attempts.get(2).outcome().isDone()).isTrue();
        assertThat(attempts.get(1).outcome()).isInstanceOf(Outcome.Dead.class);
        assertThat(attempts.get(1).outcome().status()).isEqualTo(400);
        assertThat(attempts.get(1).outcome().detail()).contains("first_name");
        assertThat(sg.requests("PUT", "/v3/marketing/contacts")).isEqualTo(2);
        assertThat(sg.contactCount()).isEqualTo(2);
    }
}
