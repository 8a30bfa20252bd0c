package io.gridsync.emulator.suppressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.MailBodies;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Suppressions, unsubscribe groups, global and Marketing Campaigns stats and senders over HTTP,
 * checked against SendGrid's OpenAPI files: mail to addresses the event generator bounces, blocks,
 * drops as invalid, reports as spam or unsubscribes puts each on its list, and the stats count
 * what was sent and what happened to it.
 */
class SuppressionsAndStatsTest {

    private Emulator emulator;
    private SendGridHttp sg;

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0).apiKey("SG.full", io.gridsync.emulator.http.ApiKeys.ALL_SCOPES)
                .apiKey("SG.marketing", Set.of("marketing.read")));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.full");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private void send(long group, String singleSend, String... to) {
        ObjectNode body = MailBodies.valid();
        ArrayNode recipients = ((ObjectNode) body.withArray("personalizations").get(0)).putArray("to");
        for (String email : to) {
            recipients.addObject().put("email", email);
        }
        body.putObject("asm").put("group_id", group);
        if (singleSend != null) {
            body.putObject("custom_args").put("singlesend_id", singleSend);
        }
        SendGridHttp.Response r = sg.post("/v3/mail/send", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
    }

    private static List<String> emails(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.isTextual() ? e.asText() : e.path("email").asText()));
        return out;
    }

    @Test
    void mailOutcomesLandOnTheListsAndInTheStats() {
        SendGridHttp.Response group = sg.post("/v3/asm/groups", Map.of("name", "Newsletter", "description", "Weekly news"));
        assertThat(group.status()).isEqualTo(201);
        long groupId = group.json().get("id").asLong();
        String singleSend = "2f1c8e5e-0b4e-4d7e-9d6b-6a0d9d1f0a11";
        send(groupId, singleSend, "bounce-1@example.com", "block-1@example.com", "spam-1@example.com", "unsub-1@example.com",
                "groupunsub-1@example.com", "invalid-1@example.com", "click-1@example.com", "open-1@example.com", "plain@example.com");

        assertThat(emails(sg.get("/v3/suppression/bounces").json())).containsExactly("bounce-1@example.com");
        JsonNode bounce = sg.get("/v3/suppression/bounces/bounce-1@example.com").json().get(0);
        assertThat(bounce.path("status").asText()).isEqualTo("5.1.1");
        assertThat(bounce.path("reason").asText()).contains("does not exist");
        assertThat(emails(sg.get("/v3/suppression/blocks").json())).containsExactly("block-1@example.com");
        assertThat(emails(sg.get("/v3/suppression/spam_reports").json())).containsExactly("spam-1@example.com");
        assertThat(emails(sg.get("/v3/suppression/invalid_emails").json())).containsExactly("invalid-1@example.com");
        assertThat(emails(sg.get("/v3/suppression/unsubscribes").json())).containsExactly("unsub-1@example.com");
        assertThat(sg.get("/v3/asm/suppressions/global/unsub-1@example.com").json().path("recipient_email").asText())
                .isEqualTo("unsub-1@example.com");
        assertThat(emails(sg.get("/v3/asm/groups/" + groupId + "/suppressions").json())).containsExactly("groupunsub-1@example.com");
        assertThat(sg.get("/v3/asm/groups").json().get(0).path("unsubscribes").asInt()).isEqualTo(1);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode days = sg.get("/v3/stats?start_date=" + LocalDate.now(ZoneOffset.UTC).minusDays(2) + "&aggregated_by=day").json();
        assertThat(days).hasSize(3);
        assertThat(days.get(0).at("/stats/0/metrics/processed").asInt()).isZero();
        JsonNode m = days.get(2).at("/stats/0/metrics");
        assertThat(days.get(2).path("date").asText()).isEqualTo(today);
        assertThat(m.path("requests").asInt()).isEqualTo(9);
        assertThat(m.path("processed").asInt()).isEqualTo(8); // the invalid address is dropped
        assertThat(m.path("invalid_emails").asInt()).isEqualTo(1);
        assertThat(m.path("bounces").asInt()).isEqualTo(1);
        assertThat(m.path("blocks").asInt()).isEqualTo(1);
        assertThat(m.path("delivered").asInt()).isEqualTo(6);
        assertThat(m.path("unique_opens").asInt()).isEqualTo(5);
        assertThat(m.path("unique_clicks").asInt()).isEqualTo(2);
        assertThat(m.path("spam_reports").asInt()).isEqualTo(1);
        assertThat(m.path("unsubscribes").asInt()).isEqualTo(2); // global and group

        JsonNode ss = sg.get("/v3/marketing/stats/singlesends?page_size=50").json();
        assertThat(ss.path("results")).hasSize(1);
        assertThat(ss.at("/results/0/id").asText()).isEqualTo(singleSend);
        assertThat(ss.at("/results/0/stats/delivered").asInt()).isEqualTo(6);
        assertThat(ss.at("/results/0/stats/requests").asInt()).isEqualTo(9);
        assertThat(sg.get("/v3/marketing/stats/automations").json().path("results")).isEmpty();
        sg.assertConforms();
    }

    @Test
    void listsFilterByCreatedTimeAndPageWithLimitAndOffset() {
        long before = Instant.now().getEpochSecond() - 1;
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            addresses.add("bounce-" + i + "@example.com");
        }
        send(0, null, addresses.toArray(String[]::new));
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 10; offset += 3) {
            paged.addAll(emails(sg.get("/v3/suppression/bounces?limit=3&offset=" + offset).json()));
        }
        assertThat(paged).containsExactlyInAnyOrderElementsOf(addresses);
        assertThat(sg.get("/v3/suppression/bounces?start_time=" + before).json()).hasSize(7);
        assertThat(sg.get("/v3/suppression/bounces?end_time=" + before).json()).isEmpty();
        assertThat(sg.get("/v3/suppression/bounces?start_time=" + (before + 3600)).json()).isEmpty();
        assertThat(sg.get("/v3/suppression/bounces?limit=501").status()).isEqualTo(400);

        assertThat(sg.delete("/v3/suppression/bounces/bounce-3@example.com").status()).isEqualTo(204);
        assertThat(sg.get("/v3/suppression/bounces").json()).hasSize(6);
        assertThat(sg.post("/v3/asm/suppressions/global", Map.of("recipient_emails", List.of("a@example.com"))).status())
                .isEqualTo(201);
        assertThat(emails(sg.get("/v3/suppression/unsubscribes").json())).containsExactly("a@example.com");
        assertThat(sg.delete("/v3/asm/suppressions/global/a@example.com").status()).isEqualTo(204);
        assertThat(sg.get("/v3/suppression/unsubscribes").json()).isEmpty();
        sg.assertConforms();
    }

    @Test
    void sendersAreCreatedListedAndDeleted() {
        SendGridHttp.Response made = sg.post("/v3/marketing/senders", Map.of("nickname", "Orders",
                "from", Map.of("email", "orders@example.com", "name", "Example Orders"),
                "reply_to", Map.of("email", "support@example.com"), "address", "1 Main St", "city", "Springfield",
                "country", "United States"));
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        long id = made.json().get("id").asLong();
        JsonNode listed = sg.get("/v3/marketing/senders").json().path("results");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).at("/from/email").asText()).isEqualTo("orders@example.com");
        assertThat(listed.get(0).path("verified").asBoolean()).isTrue();
        assertThat(sg.post("/v3/marketing/senders", Map.of("nickname", "No from")).status()).isEqualTo(400);
        assertThat(sg.delete("/v3/marketing/senders/" + id).status()).isEqualTo(204);
        assertThat(sg.get("/v3/marketing/senders").json().path("results")).isEmpty();
        sg.assertConforms();
    }

    @Test
    void theListsGroupsStatsAndSendersOutliveARestartWithAStateFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        emulator.close();
        java.nio.file.Path file = dir.resolve("state.json");
        emulator = Emulator.start(new EmulatorConfig().port(0).stateFile(file));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.full");
        long group = sg.post("/v3/asm/groups", Map.of("name", "News", "description", "d")).json().get("id").asLong();
        send(group, null, "bounce-1@example.com", "groupunsub-1@example.com", "open-1@example.com");
        sg.post("/v3/marketing/senders", Map.of("nickname", "Orders", "from", Map.of("email", "o@example.com", "name", "O"),
                "address", "1 Main St", "city", "Springfield", "country", "US"));
        emulator.close();

        emulator = Emulator.start(new EmulatorConfig().port(0).stateFile(file));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.full");
        assertThat(emulator.baseUrl()).isNotEmpty();
        assertThat(emails(sg.get("/v3/suppression/bounces").json())).containsExactly("bounce-1@example.com");
        assertThat(emails(sg.get("/v3/asm/groups/" + group + "/suppressions").json())).containsExactly("groupunsub-1@example.com");
        assertThat(sg.get("/v3/marketing/senders").json().path("results")).hasSize(1);
        JsonNode today = sg.get("/v3/stats?start_date=" + LocalDate.now(ZoneOffset.UTC)).json().get(0).at("/stats/0/metrics");
        assertThat(today.path("processed").asInt()).isEqualTo(3);
        assertThat(sg.post("/v3/asm/groups", Map.of("name", "Other", "description", "d")).json().get("id").asLong()).isEqualTo(group + 1);
        sg.assertConforms();
    }

    @Test
    void aKeyWithoutTheScopeIsRefused() {
        SendGridHttp marketingOnly = sg.withKey("SG.marketing");
        assertThat(marketingOnly.get("/v3/suppression/bounces").status()).isEqualTo(403);
        assertThat(marketingOnly.get("/v3/asm/groups").status()).isEqualTo(403);
        assertThat(marketingOnly.get("/v3/stats?start_date=2024-01-01").status()).isEqualTo(403);
        assertThat(marketingOnly.get("/v3/marketing/senders").status()).isEqualTo(200);
        assertThat(sg.get("/v3/stats").status()).as("start_date is required").isEqualTo(400);
    }
}
