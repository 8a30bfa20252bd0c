package io.gridsync.core.action;

import io.gridsync.core.action.syncaudience.SyncAudience;
import io.gridsync.core.contact.InMemoryIdentityLedger;
import io.gridsync.core.contact.InMemoryValueLedger;
import io.gridsync.core.deliver.Attempt;
import io.gridsync.core.deliver.Delivery;
import io.gridsync.core.fields.FieldCatalog;
import io.gridsync.core.integration.Integration;
import io.gridsync.core.lists.ListDirectory;
import io.gridsync.core.message.Message;
import io.gridsync.core.testing.EmulatorFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gridsync.core.testing.EmulatorFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Sync Audience: Engage-shaped audience events keep a SendGrid list in step, against the emulator. */
class SyncAudienceTest {

    private final EmulatorFixture sg = new EmulatorFixture();

    @AfterEach
    void stop() {
        sg.close();
    }

    private static Message audience(String key, String email, boolean member, String listName) {
        return message("{'type':'identify','messageId':'" + key + email + member + "','userId':'" + email + "',"
                + "'traits':{'email':'" + email + "','" + key + "':" + member + "},"
                + "'context':{'personas':{'computation_class':'audience','computation_key':'" + key + "'"
                + (listName == null ? "" : ",'audience_settings':{'listName':'" + listName + "'}") + "}}}");
    }

    private List<Attempt> sync(List<Message> messages, ActionContext ctx) {
        return new Delivery(Integration.presets(null), ctx).deliver(messages, 2, Duration.ofSeconds(30));
    }

    private List<Attempt> audienceOnly(List<Attempt> attempts) {
        return attempts.stream().filter(a -> a.action().equals(SyncAudience.KEY)).toList();
    }

    @Test
    void enteringCreatesTheListByNameAndAddsTheMembers() {
        List<Attempt> attempts = sync(List.of(audience("vip_users", "a@x.io", true, "VIP"), audience("vip_users", "b@x.io", true, "VIP")),
                sg.context(null, false));

        assertThat(audienceOnly(attempts)).hasSize(2).allMatch(a -> a.outcome().isDone());
        String listId = sg.get("/v3/marketing/lists?page_size=10").path("result").get(0).path("id").asText();
        assertThat(sg.get("/v3/marketing/lists/" + listId).path("name").asText()).isEqualTo("VIP");
        assertThat(sg.listCount(listId)).isEqualTo(2);

        // the list is remembered: a second batch neither creates nor looks it up again
        long creates = sg.requests("POST", "/v3/marketing/lists");
        ActionContext same = sg.context(null, false);
        sync(List.of(audience("vip_users", "c@x.io", true, "VIP")), same);
        sync(List.of(audience("vip_users", "d@x.io", true, "VIP")), same);
        assertThat(sg.requests("POST", "/v3/marketing/lists")).isEqualTo(creates);
        assertThat(sg.listCount(listId)).isEqualTo(4);
    }

    @Test
    void aListIsFoundByExactNameOnPage3() {
        for (int i = 0; i < 250; i++) {
            sg.post("/v3/marketing/lists", "{\"name\":\"filler " + i + "\"}");
        }
        String target = sg.post("/v3/marketing/lists", "{\"name\":\"churn_risk\"}").path("id").asText();
        ActionContext ctx = new ActionContext(sg.api, new FieldCatalog(sg.api), new ListDirectory(sg.api, 100),
                new InMemoryIdentityLedger(), new InMemoryValueLedger(), null, false, Duration.ofMinutes(1), Clock.systemUTC());

        List<Attempt> attempts = sync(List.of(audience("churn_risk", "z@x.io", true, null)), ctx);

        assertThat(audienceOnly(attempts).get(0).outcome().isDone()).isTrue();
        assertThat(sg.listCount(target)).isEqualTo(1);
        assertThat(sg.requests("GET", "/v3/marketing/lists")).isEqualTo(3);
        assertThat(sg.requests("POST", "/v3/marketing/lists")).isEqualTo(251); // only the test's own creates
    }

    @Test
    void twoHundredFiftyMembersLeaveAndTheirContactsStay() {
        ActionContext ctx = sg.context(null, false);
        List<Message> enter = new ArrayList<>();
        List<Message> leave = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            enter.add(audience("trial", "m" + i + "@x.io", true, null));
            leave.add(audience("trial", "M" + i + "@X.io", false, null));
        }
        sync(enter, ctx);
        String listId = sg.get("/v3/marketing/lists").path("result").get(0).path("id").asText();
        assertThat(sg.listCount(listId)).isEqualTo(250);

        List<Attempt> attempts = audienceOnly(sync(leave, ctx));

        assertThat(attempts).hasSize(250).allMatch(a -> a.outcome().isDone());
        assertThat(sg.listCount(listId)).isZero();
        assertThat(sg.contactCount()).isEqualTo(250);
        assertThat(sg.requests("POST", "/v3/marketing/contacts/search/emails")).isEqualTo(3);
        // 250 ids of 36 characters do not fit one 8 KB URL
        assertThat(sg.requests("DELETE", "/v3/marketing/lists/{id}/contacts")).isEqualTo(2);
    }

    @Test
    void leavingWhenNotInSendGridIsANoOpAndTheLastChangeInABatchWins() {
        ActionContext ctx = sg.context(null, false);
        // Engage also sends audience changes as track events, which create no contact of their own
        Message ghostLeaves = message("{'type':'track','event':'Audience Exited','messageId':'g','userId':'ghost',"
                + "'properties':{'beta':false},'context':{'traits':{'email':'ghost@x.io'},"
                + "'personas':{'computation_class':'audience','computation_key':'beta'}}}");
        List<Attempt> attempts = audienceOnly(sync(List.of(
                ghostLeaves,
                audience("beta", "flip@x.io", true, null),
                audience("beta", "flip@x.io", false, null)), ctx));

        assertThat(attempts).allMatch(a -> a.outcome().isDone());
        assertThat(attempts.get(0).outcome().detail()).contains("not in SendGrid");
        String listId = sg.get("/v3/marketing/lists").path("result").get(0).path("id").asText();
        assertThat(sg.listCount(listId)).isZero();
    }

    @Test
    void aMembershipThatIsNotTrueOrFalseFailsWithTheReason() {
        Message odd = message("{'type':'track','event':'Audience Entered','messageId':'x','userId':'u',"
                + "'properties':{'email':'q@x.io','gold':'yes'},'context':{'traits':{'email':'q@x.io'},"
                + "'personas':{'computation_class':'audience','computation_key':'gold'}}}");
        List<Attempt> attempts = audienceOnly(sync(List.of(odd), sg.context(null, false)));
        assertThat(attempts.get(0).outcome()).isInstanceOf(Outcome.Dead.class);
        assertThat(attempts.get(0).outcome().detail()).contains("must be true (entered) or false (left)").contains("\"yes\"");
    }
}
