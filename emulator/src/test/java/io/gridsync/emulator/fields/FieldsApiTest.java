package io.gridsync.emulator.fields;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v3/marketing/field_definitions} over HTTP, checked against SendGrid's OpenAPI file. */
class FieldsApiTest {

    private static final String PATH = "/v3/marketing/field_definitions";

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

    private SendGridHttp.Response create(String name, String type) {
        return sg.post(PATH, Map.of("name", name, "field_type", type));
    }

    private static String message(SendGridHttp.Response r) {
        return r.json().at("/errors/0/message").asText();
    }

    @Test
    void createListRenameAndDeleteCustomFieldsWithOpaqueTypedIds() {
        SendGridHttp.Response text = create("favourite_colour", "Text");
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.json().get("id").asText()).matches("[a-z]\\d+_T");
        assertThat(text.json().get("field_type").asText()).isEqualTo("Text");
        String number = create("num_orders", "Number").json().get("id").asText();
        String date = create("_signup", "Date").json().get("id").asText();
        assertThat(number).endsWith("_N");
        assertThat(date).endsWith("_D");

        JsonNode all = sg.get(PATH).json();
        assertThat(all.get("custom_fields")).extracting(f -> f.get("name").asText())
                .containsExactly("favourite_colour", "num_orders", "_signup");
        assertThat(all.get("reserved_fields")).extracting(f -> f.get("name").asText())
                .contains("first_name", "last_name", "email", "phone_number_id", "external_id", "anonymous_id",
                        "alternate_emails", "address_line_1", "address_line_2", "city", "state_province_region",
                        "postal_code", "country", "phone_number", "whatsapp", "line", "facebook", "unique_name",
                        "created_at", "updated_at", "last_emailed", "last_clicked", "last_opened", "contact_id");
        JsonNode lastOpened = find(all.get("reserved_fields"), "last_opened");
        assertThat(lastOpened.get("field_type").asText()).isEqualTo("Date");
        assertThat(lastOpened.get("read_only").asBoolean()).isTrue();

        SendGridHttp.Response renamed = sg.patch(PATH + "/" + number, Map.of("name", "order_count"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("id").asText()).isEqualTo(number);
        assertThat(renamed.json().get("name").asText()).isEqualTo("order_count");
        assertThat(renamed.json().get("field_type").asText()).isEqualTo("Number");

        assertThat(sg.delete(PATH + "/" + number).status()).isEqualTo(204);
        assertThat(sg.get(PATH).json().get("custom_fields")).extracting(f -> f.get("id").asText())
                .doesNotContain(number);
        SendGridHttp.Response again = create("num_orders", "Number");
        assertThat(again.json().get("id").asText()).as("ids are never reused").isNotEqualTo(number);
        sg.assertConforms();
    }

    private static JsonNode find(JsonNode fields, String name) {
        for (JsonNode f : fields) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no field " + name + " in " + fields);
    }

    @Test
    void namesUseLettersDigitsAndUnderscoresAndDoNotStartWithADigit() {
        for (String bad : List.of("1st_order", "has space", "dash-ed", "émoji", "dot.ted", "")) {
            SendGridHttp.Response r = create(bad, "Text");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("name");
        }
        assertThat(message(create("1st_order", "Text"))).contains("begin with a letter or an underscore");
        assertThat(create("a".repeat(100), "Text").status()).isEqualTo(200);
        SendGridHttp.Response tooLong = create("b".repeat(101), "Text");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(message(tooLong)).contains("101").contains("100");
        sg.assertConforms();
    }

    @Test
    void reservedNamesAndCaseInsensitiveDuplicatesAreRefused() {
        for (String reserved : List.of("email", "First_Name", "PHONE_NUMBER_ID", "external_id", "created_at", "contact_id")) {
            SendGridHttp.Response r = create(reserved, "Text");
            assertThat(r.status()).as(reserved).isEqualTo(400);
            assertThat(message(r)).contains("reserved field");
        }
        String id = create("CamelCase", "Text").json().get("id").asText();
        SendGridHttp.Response duplicate = create("camelcase", "Number");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(message(duplicate)).contains("already exists").contains(id);

        String other = create("other", "Text").json().get("id").asText();
        assertThat(sg.patch(PATH + "/" + other, Map.of("name", "CAMELCASE")).status()).isEqualTo(400);
        assertThat(message(sg.patch(PATH + "/" + other, Map.of("name", "Email")))).contains("reserved field");
        assertThat(sg.patch(PATH + "/" + id, Map.of("name", "camelCase")).status())
                .as("a field may change the case of its own name").isEqualTo(200);
        sg.assertConforms();
    }

    @Test
    void fieldTypeMustBeTextNumberOrDateAndCannotBeChanged() {
        SendGridHttp.Response bad = create("x", "Boolean");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/errors/0/field").asText()).isEqualTo("field_type");
        assertThat(message(sg.post(PATH, Map.of("name", "y")))).contains("field_type is required");
        assertThat(create("z", "text").status()).as("the type names are case-sensitive").isEqualTo(400);

        String id = create("score", "Number").json().get("id").asText();
        SendGridHttp.Response change = sg.patch(PATH + "/" + id, Map.of("name", "score", "field_type", "Text"));
        assertThat(change.status()).isEqualTo(400);
        assertThat(message(change)).contains("only its name");

        SendGridHttp.Response reserved = sg.patch(PATH + "/_rf0_T", Map.of("name", "given_name"));
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(message(reserved)).contains("reserved");
        sg.assertConforms();
    }

    @Test
    void theFiveHundredAndFirstFieldIsRefused() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < FieldStore.MAX_CUSTOM_FIELDS; i++) {
            SendGridHttp.Response r = create("field_" + i, i % 2 == 0 ? "Text" : "Number");
            assertThat(r.status()).isEqualTo(200);
            ids.add(r.json().get("id").asText());
        }
        SendGridHttp.Response refused = create("field_500", "Text");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(message(refused)).contains("500 custom fields");
        assertThat(sg.get(PATH).json().get("custom_fields")).hasSize(500);

        assertThat(sg.delete(PATH + "/" + ids.get(0)).status()).isEqualTo(204);
        assertThat(create("field_500", "Text").status()).isEqualTo(200);
        sg.assertConforms();
    }

    @Test
    void unknownIdsAre404AndMalformedBodiesAre400() {
        SendGridHttp.Response patch = sg.patch(PATH + "/e999_T", Map.of("name", "x"));
        assertThat(patch.status()).isEqualTo(404);
        assertThat(message(patch)).contains("e999_T");
        assertThat(sg.delete(PATH + "/e999_T").status()).isEqualTo(404);
        SendGridHttp.Response reserved = sg.delete(PATH + "/_rf2_T");
        assertThat(reserved.status()).isEqualTo(404);
        assertThat(message(reserved)).contains("reserved fields cannot be deleted");

        SendGridHttp.Response malformed = sg.post(PATH, "{\"name\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(message(malformed)).startsWith("invalid JSON");
        assertThat(sg.post(PATH, "\"a string\"").status()).isEqualTo(400);
        sg.assertConforms();
    }
}
