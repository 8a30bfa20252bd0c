package io.gridsync.emulator.lists;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.ApiKeys;
import io.gridsync.emulator.http.ApiRouter;
import io.gridsync.emulator.http.Errors;
import io.gridsync.emulator.http.FaultInjector;
import io.gridsync.emulator.http.Json;
import io.gridsync.emulator.http.RateLimiter;
import io.gridsync.emulator.http.RequestStats;
import io.gridsync.emulator.segments.SegmentStore;
import io.gridsync.emulator.segments.SegmentsApi;
import io.gridsync.emulator.testing.SendGridHttp;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contact counts, the contact sample and list deletion go through {@link ListMembers}, which the
 * contact store implements. Until it lands on this branch, a small in-test source of memberships
 * stands in for it, behind the same gateway and endpoints the emulator serves.
 */
class ListMembersTest {

    /** Memberships set by the test, and the deletions the lists reported. */
    private static final class Memberships implements ListMembers {
        final Map<String, Long> counts = new ConcurrentHashMap<>();
        final List<String> deletions = new ArrayList<>();

        @Override
        public long countInList(String listId) {
            return counts.getOrDefault(listId, 0L);
        }

        @Override
        public synchronized void listDeleted(String listId, boolean deleteContacts) {
            deletions.add(listId + (deleteContacts ? " with contacts" : ""));
            counts.remove(listId);
        }

        @Override
        public Optional<ObjectNode> contactSample(String listId) {
            if (countInList(listId) == 0) {
                return Optional.empty();
            }
            ObjectNode c = Json.object();
            c.put("id", "c3445f88-5c69-4237-86e6-9ec9de958050");
            c.put("email", "ada@example.com");
            c.putArray("list_ids").add(listId);
            c.put("created_at", "2024-06-16T17:03:54.867Z");
            c.put("updated_at", "2024-06-16T17:03:54.867Z");
            return Optional.of(c);
        }
    }

    private final Memberships members = new Memberships();
    private Javalin app;
    private SendGridHttp sg;

    @BeforeEach
    void start() {
        app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        Errors.install(app);
        ApiRouter router = new ApiRouter(app, new ApiKeys(), new RateLimiter(new RateLimiter.Limit(1000, 1)),
                new FaultInjector(1, 0), new RequestStats());
        ListStore lists = new ListStore();
        new ListsApi(lists, members).register(router);
        new SegmentsApi(new SegmentStore(), lists, members).register(router);
        app.start("127.0.0.1", 0);
        sg = new SendGridHttp("http://127.0.0.1:" + app.port(), "SG.test");
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private String list(String name) {
        return sg.post("/v3/marketing/lists", Map.of("name", name)).json().get("id").asText();
    }

    @Test
    void everyContactCountComesFromTheMemberships() {
        String big = list("big");
        String small = list("small");
        members.counts.put(big, 1234L);
        members.counts.put(small, 2L);

        assertThat(sg.get("/v3/marketing/lists/" + big).json().get("contact_count").asLong()).isEqualTo(1234);
        assertThat(sg.get("/v3/marketing/lists/" + small + "/contacts/count").json().get("contact_count").asLong()).isEqualTo(2);
        assertThat(sg.get("/v3/marketing/lists").json().get("result"))
                .extracting(l -> l.get("contact_count").asLong()).containsExactly(1234L, 2L);

        String segment = sg.post("/v3/marketing/segments/2.0", Map.of("name", "big ones",
                "query_dsl", "SELECT contact_id, updated_at FROM contact_data", "parent_list_ids", List.of(big)))
                .json().get("id").asText();
        String byQuery = sg.post("/v3/marketing/segments/2.0", Map.of("name", "small by query",
                "query_dsl", "SELECT contact_id, updated_at FROM contact_data WHERE CONTAINS(list_ids, '" + small + "')"))
                .json().get("id").asText();
        String unrestricted = sg.post("/v3/marketing/segments/2.0", Map.of("name", "everyone",
                "query_dsl", "SELECT contact_id, updated_at FROM contact_data WHERE city = 'Paris'")).json().get("id").asText();
        assertThat(sg.get("/v3/marketing/segments/2.0/" + segment).json().get("contacts_count").asLong()).isEqualTo(1234);
        assertThat(sg.get("/v3/marketing/segments/2.0/" + byQuery).json().get("contacts_count").asLong()).isEqualTo(2);
        assertThat(sg.get("/v3/marketing/segments/2.0/" + unrestricted).json().get("contacts_count").asLong()).isZero();

        members.counts.put(big, 1235L);
        assertThat(sg.get("/v3/marketing/segments/2.0").json().at("/results/0/contacts_count").asLong()).isEqualTo(1235);
        sg.assertConforms();
    }

    @Test
    void theSampleIsAskedForOnlyWhenWanted() {
        String id = list("sampled");
        members.counts.put(id, 1L);
        assertThat(sg.get("/v3/marketing/lists/" + id).json().has("contact_sample")).isFalse();
        SendGridHttp.Response sampled = sg.get("/v3/marketing/lists/" + id + "?contact_sample=true");
        assertThat(sampled.json().at("/contact_sample/email").asText()).isEqualTo("ada@example.com");
        sg.assertConforms();
    }

    @Test
    void deletingAListTellsTheMembershipsWhetherContactsGoToo() {
        String kept = list("kept contacts");
        String dropped = list("dropped contacts");
        assertThat(sg.delete("/v3/marketing/lists/" + kept).status()).isEqualTo(204);
        assertThat(sg.delete("/v3/marketing/lists/" + dropped + "?delete_contacts=true").status()).isEqualTo(200);
        assertThat(members.deletions).containsExactly(kept, dropped + " with contacts");
        assertThat(sg.delete("/v3/marketing/lists/" + kept).status()).isEqualTo(404);
        assertThat(members.deletions).hasSize(2);
        sg.assertConforms();
    }
}
