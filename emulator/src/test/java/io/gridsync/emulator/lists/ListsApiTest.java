package io.gridsync.emulator.lists;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.http.RateLimiter;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v3/marketing/lists} over HTTP, every exchange checked against SendGrid's OpenAPI file. */
class ListsApiTest {

    private Emulator emulator;
    private SendGridHttp sg;

    @BeforeEach
    void start() {
        // the cap test creates 1001 lists at once; keep the lists rate limit out of its way
        emulator = Emulator.start(new EmulatorConfig().port(0).rateLimit("lists", new RateLimiter.Limit(100_000, 1)));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private String create(String name) {
        SendGridHttp.Response r = sg.post("/v3/marketing/lists", Map.of("name", name));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static String message(SendGridHttp.Response r) {
        return r.json().at("/errors/0/message").asText();
    }

    @Test
    void createGetRenameCountAndDeleteAList() {
        SendGridHttp.Response created = sg.post("/v3/marketing/lists", Map.of("name", "Newsletter"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(id).hasSize(36);
        assertThat(created.json().get("name").asText()).isEqualTo("Newsletter");
        assertThat(created.json().get("contact_count").asLong()).isZero();
        assertThat(created.json().at("/_metadata/self").asText()).isEqualTo(emulator.baseUrl() + "/v3/marketing/lists/" + id);

        SendGridHttp.Response got = sg.get("/v3/marketing/lists/" + id + "?contact_sample=true");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("name").asText()).isEqualTo("Newsletter");
        assertThat(got.json().has("contact_sample")).as("no contacts, no sample").isFalse();

        SendGridHttp.Response renamed = sg.patch("/v3/marketing/lists/" + id, Map.of("name", "Weekly newsletter"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("Weekly newsletter");
        assertThat(sg.get("/v3/marketing/lists/" + id).json().get("name").asText()).isEqualTo("Weekly newsletter");

        SendGridHttp.Response count = sg.get("/v3/marketing/lists/" + id + "/contacts/count");
        assertThat(count.status()).isEqualTo(200);
        assertThat(count.json().get("contact_count").asLong()).isZero();
        assertThat(count.json().get("billable_count").asLong()).isZero();

        SendGridHttp.Response deleted = sg.delete("/v3/marketing/lists/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(sg.get("/v3/marketing/lists/" + id).status()).isEqualTo(404);
        sg.assertConforms();
    }

    @Test
    void deletingWithDeleteContactsAnswersAJobId() {
        String id = create("to go");
        SendGridHttp.Response r = sg.delete("/v3/marketing/lists/" + id + "?delete_contacts=true");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("job_id").asText()).hasSize(36);
        assertThat(sg.get("/v3/marketing/lists").json().get("result")).isEmpty();

        SendGridHttp.Response badFlag = sg.delete("/v3/marketing/lists/" + create("kept") + "?delete_contacts=yes");
        assertThat(badFlag.status()).isEqualTo(400);
        assertThat(message(badFlag)).contains("delete_contacts");
        assertThat(sg.get("/v3/marketing/lists").json().get("result")).hasSize(1);
        sg.assertConforms();
    }

    @Test
    void namesAreRequiredAtMost100CharactersAndUniqueRegardlessOfCase() {
        assertThat(create("x".repeat(100))).isNotEmpty();

        SendGridHttp.Response tooLong = sg.post("/v3/marketing/lists", Map.of("name", "y".repeat(101)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/errors/0/field").asText()).isEqualTo("name");
        assertThat(message(tooLong)).contains("101").contains("100");

        SendGridHttp.Response empty = sg.post("/v3/marketing/lists", Map.of("name", ""));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(message(empty)).contains("name is required");

        SendGridHttp.Response missing = sg.post("/v3/marketing/lists", Map.of("title", "no name"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(message(missing)).contains("name is required");

        SendGridHttp.Response notAString = sg.post("/v3/marketing/lists", "{\"name\": 42}");
        assertThat(notAString.status()).isEqualTo(400);
        assertThat(message(notAString)).contains("must be a string");

        String id = create("Customers");
        SendGridHttp.Response duplicate = sg.post("/v3/marketing/lists", Map.of("name", "CUSTOMERS"));
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(message(duplicate)).contains("already exists").contains(id);

        String other = create("Prospects");
        SendGridHttp.Response renameOntoTaken = sg.patch("/v3/marketing/lists/" + other, Map.of("name", "customers"));
        assertThat(renameOntoTaken.status()).isEqualTo(400);
        assertThat(message(renameOntoTaken)).contains("already exists");
        SendGridHttp.Response renameOwnCase = sg.patch("/v3/marketing/lists/" + id, Map.of("name", "customers"));
        assertThat(renameOwnCase.status()).as("a list may change the case of its own name").isEqualTo(200);
        assertThat(sg.get("/v3/marketing/lists").json().at("/_metadata/count").asInt()).isEqualTo(3);
        sg.assertConforms();
    }

    @Test
    void theThousandAndFirstListIsRefused() {
        for (int i = 0; i < ListStore.MAX_LISTS; i++) {
            create("list " + i);
        }
        SendGridHttp.Response refused = sg.post("/v3/marketing/lists", Map.of("name", "one too many"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(message(refused)).contains("1000 lists");

        sg.delete("/v3/marketing/lists/" + sg.get("/v3/marketing/lists?page_size=1").json().at("/result/0/id").asText());
        assertThat(create("fits again")).isNotEmpty();
        sg.assertConforms();
    }

    @Test
    void pagesFollowMetadataNextToTheEnd() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create("page list " + i));
        }
        Set<String> seen = new LinkedHashSet<>();
        String url = emulator.baseUrl() + "/v3/marketing/lists?page_size=2";
        int pages = 0;
        while (url != null) {
            assertThat(url).startsWith(emulator.baseUrl());
            SendGridHttp.Response page = sg.get(url.substring(emulator.baseUrl().length()));
            assertThat(page.status()).isEqualTo(200);
            JsonNode meta = page.json().get("_metadata");
            assertThat(meta.get("count").asInt()).isEqualTo(5);
            assertThat(meta.get("self").asText()).isEqualTo(url);
            page.json().get("result").forEach(l -> seen.add(l.get("id").asText()));
            assertThat(page.json().get("result").size()).isLessThanOrEqualTo(2);
            url = meta.has("next") ? meta.get("next").asText() : null;
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(List.copyOf(seen)).isEqualTo(ids);

        SendGridHttp.Response all = sg.get("/v3/marketing/lists");
        assertThat(all.json().get("result")).hasSize(5);
        assertThat(all.json().get("_metadata").has("next")).isFalse();
        assertThat(all.json().at("/_metadata/self").asText()).endsWith("/v3/marketing/lists?page_size=100");
        sg.assertConforms();
    }

    @Test
    void aPageTokenSurvivesDeletionOfListsBeforeIt() {
        for (int i = 0; i < 4; i++) {
            create("l" + i);
        }
        JsonNode first = sg.get("/v3/marketing/lists?page_size=2").json();
        String next = first.at("/_metadata/next").asText();
        sg.delete("/v3/marketing/lists/" + first.at("/result/0/id").asText());
        JsonNode second = sg.get(next.substring(emulator.baseUrl().length())).json();
        assertThat(second.get("result")).extracting(l -> l.get("name").asText()).containsExactly("l2", "l3");
        assertThat(second.at("/_metadata/prev").asText()).contains("page_size=2");
        sg.assertConforms();
    }

    @Test
    void badPagingParametersAre400s() {
        for (String q : List.of("page_size=0", "page_size=1001", "page_size=abc", "page_size=2.5")) {
            SendGridHttp.Response r = sg.get("/v3/marketing/lists?" + q);
            assertThat(r.status()).as(q).isEqualTo(400);
            assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("page_size");
        }
        assertThat(sg.get("/v3/marketing/lists?page_size=1000").status()).isEqualTo(200);
        SendGridHttp.Response badToken = sg.get("/v3/marketing/lists?page_token=not-ours");
        assertThat(badToken.status()).isEqualTo(400);
        assertThat(message(badToken)).contains("_metadata.next");
        sg.assertConforms();
    }

    @Test
    void unknownIdsAre404AndMalformedBodiesAre400() {
        String unknown = "00000000-0000-0000-0000-000000000000";
        assertThat(sg.get("/v3/marketing/lists/" + unknown).status()).isEqualTo(404);
        assertThat(sg.patch("/v3/marketing/lists/" + unknown, Map.of("name", "x")).status()).isEqualTo(404);
        SendGridHttp.Response deleteUnknown = sg.delete("/v3/marketing/lists/" + unknown);
        assertThat(deleteUnknown.status()).isEqualTo(404);
        assertThat(message(deleteUnknown)).contains(unknown);
        assertThat(sg.get("/v3/marketing/lists/" + unknown + "/contacts/count").status()).isEqualTo(404);

        SendGridHttp.Response malformed = sg.post("/v3/marketing/lists", "{\"name\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(message(malformed)).startsWith("invalid JSON");
        assertThat(malformed.json().at("/errors/0/field").asText()).isEmpty();
        SendGridHttp.Response array = sg.post("/v3/marketing/lists", "[]");
        assertThat(array.status()).isEqualTo(400);
        String id = create("fine");
        assertThat(sg.patch("/v3/marketing/lists/" + id, "not json").status()).isEqualTo(400);
        sg.assertConforms();
    }

    @Test
    void readingNeedsMarketingReadAndWritingMarketingWrite() {
        emulator.close();
        emulator = Emulator.start(new EmulatorConfig().port(0)
                .apiKey("SG.reader", Set.of("marketing.read"))
                .apiKey("SG.writer", Set.of("marketing.read", "marketing.write")));
        SendGridHttp reader = new SendGridHttp(emulator.baseUrl(), "SG.reader");
        SendGridHttp writer = new SendGridHttp(emulator.baseUrl(), "SG.writer");
        assertThat(reader.post("/v3/marketing/lists", Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(writer.post("/v3/marketing/lists", Map.of("name", "x")).status()).isEqualTo(201);
        assertThat(reader.get("/v3/marketing/lists").json().get("result")).hasSize(1);
    }
}
