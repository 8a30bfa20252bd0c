package io.gridsync.core.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gridsync.core.contact.ContactDraft;
import io.gridsync.core.contact.InMemoryIdentityLedger;
import io.gridsync.core.sendgrid.SendGridApi;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPlannerTest {

    private static final ObjectMapper M = new ObjectMapper();

    private static ContactDraft email(String email, int input) {
        return new ContactDraft().identifier("email", email).input(input);
    }

    @Test
    void distinctContactsFillRequestsOf30000() throws Exception {
        List<ContactDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            drafts.add(email("user" + i + "@example.com", i).field("first_name", TextNode.valueOf("User " + i)));
        }
        List<UpsertRequest> plan = new BatchPlanner().plan(drafts, new InMemoryIdentityLedger());
        assertThat(plan).extracting(r -> r.contacts().size()).containsExactly(30_000, 30_000, 30_000, 10_000);
        JsonNode first = M.readTree(plan.get(0).body());
        assertThat(first.get("contacts").size()).isEqualTo(30_000);
        assertThat(first.get("contacts").get(0).toString()).isEqualTo("{\"email\":\"user0@example.com\",\"first_name\":\"User 0\"}");
        assertThat(first.has("list_ids")).isFalse();
        assertThat(plan).allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(SendGridApi.MAX_UPSERT_BYTES));
    }

    @Test
    void manyMessagesForOnePersonInMixedCaseBecomeOneContactWithTheLatestFields() throws Exception {
        List<ContactDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String email = i % 2 == 0 ? "Ada.Lovelace@Example.COM" : "ada.lovelace@example.com";
            drafts.add(email(email, i).field("last_name", TextNode.valueOf("v" + i)));
        }
        List<UpsertRequest> plan = new BatchPlanner().plan(drafts, new InMemoryIdentityLedger());
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).contacts()).hasSize(1);
        assertThat(plan.get(0).contacts().get(0).inputs()).hasSize(1000);
        assertThat(M.readTree(plan.get(0).body()).get("contacts").toString())
                .isEqualTo("[{\"email\":\"ada.lovelace@example.com\",\"last_name\":\"v999\"}]");
    }

    @Test
    void draftsSharingAnyIdentifierMergeAndListsAddUp() {
        List<ContactDraft> drafts = List.of(
                email("a@x.io", 0).list("L1"),
                new ContactDraft().identifier("external_id", "ext-1").input(1),
                new ContactDraft().identifier("external_id", "ext-1").identifier("email", "A@X.io").list("L2").input(2),
                email("b@x.io", 3).list("L1"));
        List<UpsertRequest> plan = new BatchPlanner().plan(drafts, new InMemoryIdentityLedger());
        // a@x.io, ext-1 are one contact in L1+L2; b@x.io is alone in L1
        assertThat(plan).hasSize(2);
        assertThat(plan.get(0).listIds()).containsExactly("L1", "L2");
        assertThat(plan.get(0).contacts().get(0).identifiers()).containsEntry("email", "a@x.io").containsEntry("external_id", "ext-1");
        assertThat(plan.get(0).contacts().get(0).inputs()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(plan.get(1).listIds()).containsExactly("L1");
    }

    @Test
    void knownIdentifiersAreCarriedSoSendGridAcceptsTheUpdate() throws Exception {
        InMemoryIdentityLedger ledger = new InMemoryIdentityLedger();
        ledger.record(Map.of("email", "a@x.io", "external_id", "ext-1"));
        List<UpsertRequest> plan = new BatchPlanner().plan(List.of(email("A@x.io", 0)), ledger);
        assertThat(M.readTree(plan.get(0).body()).at("/contacts/0").toString())
                .isEqualTo("{\"email\":\"a@x.io\",\"external_id\":\"ext-1\"}");
    }

    @Test
    void requestsSplitAtTheByteLimitBeforeTheCountLimit() throws Exception {
        List<ContactDraft> drafts = new ArrayList<>();
        String padding = "x".repeat(1000);
        for (int i = 0; i < 100; i++) {
            drafts.add(email("u" + i + "@example.com", i).field("address_line_1", TextNode.valueOf(padding)));
        }
        List<UpsertRequest> plan = new BatchPlanner(30_000, 10_000).plan(drafts, new InMemoryIdentityLedger());
        assertThat(plan.size()).isGreaterThan(10);
        int total = 0;
        for (UpsertRequest r : plan) {
            assertThat(r.body().length).isLessThanOrEqualTo(10_000);
            assertThat(M.readTree(r.body()).get("contacts").size()).isEqualTo(r.contacts().size());
            total += r.contacts().size();
        }
        assertThat(total).isEqualTo(100);
    }
}
