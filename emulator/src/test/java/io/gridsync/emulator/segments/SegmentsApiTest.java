package io.gridsync.emulator.segments;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.OpenApiSpecs;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v3/marketing/segments/2.0} over HTTP, checked against SendGrid's OpenAPI file. */
class SegmentsApiTest {

    private static final String PATH = "/v3/marketing/segments/2.0";
    private static final String QUERY = "SELECT contact_id, updated_at FROM contact_data WHERE first_name = 'Ada'";

    private Emulator emulator;
    private SendGridHttp sg;

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private String list(String name) {
        return sg.post("/v3/marketing/lists", Map.of("name", name)).json().get("id").asText();
    }

    private SendGridHttp.Response create(String name, String query, List<String> parents) {
        return sg.post(PATH, parents == null ? Map.of("name", name, "query_dsl", query)
                : Map.of("name", name, "query_dsl", query, "parent_list_ids", parents));
    }

    private static String message(SendGridHttp.Response r) {
        return r.json().at("/errors/0/message").asText();
    }

    @Test
    void createGetUpdateAndDeleteASegment() {
        String listId = list("Customers");
        SendGridHttp.Response created = create("Adas", QUERY, List.of(listId));
        assertThat(created.status()).isEqualTo(201);
        JsonNode s = created.json();
        String id = s.get("id").asText();
        assertThat(id).hasSize(36);
        assertThat(s.get("query_dsl").asText()).isEqualTo(QUERY);
        assertThat(s.get("parent_list_ids")).extracting(JsonNode::asText).containsExactly(listId);
        assertThat(s.get("contacts_count").asLong()).isZero();
        assertThat(s.get("contacts_sample")).isEmpty();
        assertThat(s.get("query_version").asText()).isEqualTo("2");
        assertThat(s.at("/status/query_validation").asText()).isEqualTo("VALID");

        SendGridHttp.Response got = sg.get(PATH + "/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("name").asText()).isEqualTo("Adas");

        String newQuery = "SELECT contact_id, updated_at FROM contact_data WHERE last_name = 'Lovelace'";
        SendGridHttp.Response updated = sg.patch(PATH + "/" + id, Map.of("name", "Lovelaces", "query_dsl", newQuery));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asText()).isEqualTo("Lovelaces");
        assertThat(updated.json().get("query_dsl").asText()).isEqualTo(newQuery);
        assertThat(updated.json().get("parent_list_ids")).extracting(JsonNode::asText).containsExactly(listId);

        assertThat(sg.delete(PATH + "/" + id).status()).isEqualTo(202);
        assertThat(sg.get(PATH + "/" + id).status()).isEqualTo(404);
        sg.assertConforms();
    }

    @Test
    void listingAnswersResultsFilteredByIdsAndParentLists() {
        String a = list("A");
        String b = list("B");
        String onA = create("on a", QUERY, List.of(a)).json().get("id").asText();
        String onB = create("on b", QUERY, List.of(b)).json().get("id").asText();
        String noParent = create("everyone", QUERY, null).json().get("id").asText();

        assertThat(ids(sg.get(PATH))).containsExactly(onA, onB, noParent);
        assertThat(ids(sg.get(PATH + "?parent_list_ids=" + a))).containsExactly(onA);
        assertThat(ids(sg.get(PATH + "?parent_list_ids=" + a + "," + b))).containsExactly(onA, onB);
        assertThat(ids(sg.get(PATH + "?parent_list_ids=" + b + "&no_parent_list_id=true"))).containsExactly(onB, noParent);
        assertThat(ids(sg.get(PATH + "?no_parent_list_id=true"))).containsExactly(noParent);
        assertThat(ids(sg.get(PATH + "?ids=" + onB + "&parent_list_ids=" + a))).as("ids win").containsExactly(onB);
        assertThat(ids(sg.get(PATH + "?parent_list_ids=00000000-0000-0000-0000-000000000000"))).isEmpty();
        sg.assertConforms();
    }

    private static List<String> ids(SendGridHttp.Response r) {
        assertThat(r.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode s : r.json().get("results")) {
            // the file's schema for this response is one segment; check each item against it instead
            assertThat(OpenApiSpecs.get().validateComponent("tsg_mc_segments_2.0_v3.json", "AllSegments200", s)).isEmpty();
            ids.add(s.get("id").asText());
        }
        return ids;
    }

    @Test
    void namesAreRequiredUniqueRegardlessOfCaseAndAtMost100Characters() {
        assertThat(create("Buyers", QUERY, null).status()).isEqualTo(201);
        SendGridHttp.Response duplicate = create("BUYERS", QUERY, null);
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(message(duplicate)).contains("already exists");
        assertThat(create("", QUERY, null).status()).isEqualTo(400);
        assertThat(create("n".repeat(101), QUERY, null).status()).isEqualTo(400);
        assertThat(create("n".repeat(100), QUERY, null).status()).isEqualTo(201);
        SendGridHttp.Response noName = sg.post(PATH, Map.of("query_dsl", QUERY));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().at("/errors/0/field").asText()).isEqualTo("name");

        String other = create("Sellers", QUERY, null).json().get("id").asText();
        assertThat(sg.patch(PATH + "/" + other, Map.of("name", "buyers")).status()).isEqualTo(400);
        sg.assertConforms();
    }

    @Test
    void queryAndParentListAreChecked() {
        SendGridHttp.Response noQuery = sg.post(PATH, Map.of("name", "x"));
        assertThat(noQuery.status()).isEqualTo(400);
        assertThat(noQuery.json().at("/errors/0/field").asText()).isEqualTo("query_dsl");
        assertThat(message(create("x", "DELETE FROM contact_data", null))).contains("SELECT");
        assertThat(create("x", "SELECT contact_id FROM users", null).status()).isEqualTo(400);

        String a = list("A");
        String b = list("B");
        SendGridHttp.Response two = create("x", QUERY, List.of(a, b));
        assertThat(two.status()).isEqualTo(400);
        assertThat(message(two)).contains("at most 1 parent list");
        SendGridHttp.Response unknown = create("x", QUERY, List.of("00000000-0000-0000-0000-000000000000"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(message(unknown)).contains("does not exist");

        String id = create("y", QUERY, List.of(a)).json().get("id").asText();
        SendGridHttp.Response move = sg.patch(PATH + "/" + id, Map.of("parent_list_ids", List.of(b)));
        assertThat(move.status()).isEqualTo(400);
        assertThat(message(move)).contains("cannot be changed");
        assertThat(sg.patch(PATH + "/" + id, Map.of("query_dsl", "nonsense")).status()).isEqualTo(400);

        // megabytes of whitespace are answered, not backtracked over
        assertThat(create("blank", "SELECT" + " ".repeat(1_000_000) + "x", null).status()).isEqualTo(400);
        SendGridHttp.Response spaced = create("spaced",
                "SELECT contact_id, updated_at FROM contact_data WHERE" + " ".repeat(1_000_000) + "x", null);
        assertThat(spaced.status()).isEqualTo(201);
        assertThat(spaced.json().get("contacts_count").asLong()).isZero();
        sg.assertConforms();
    }

    @Test
    void unknownIdsAre404AndMalformedBodiesAre400() {
        String unknown = "00000000-0000-0000-0000-000000000000";
        SendGridHttp.Response get = sg.get(PATH + "/" + unknown);
        assertThat(get.status()).isEqualTo(404);
        assertThat(message(get)).contains(unknown);
        assertThat(sg.patch(PATH + "/" + unknown, Map.of("name", "x")).status()).isEqualTo(404);
        assertThat(sg.delete(PATH + "/" + unknown).status()).isEqualTo(404);

        SendGridHttp.Response malformed = sg.post(PATH, "{oops}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(message(malformed)).startsWith("invalid JSON");
        assertThat(sg.get(PATH + "?no_parent_list_id=maybe").status()).isEqualTo(400);
        sg.assertConforms();
    }
}
