package io.gridsync.emulator.contacts;

import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v3/recipients/erasejob} over HTTP, requests and answers checked against tsg_recipients_data_erasure_v3.json. */
class RecipientErasureJobTest extends ContactsTestSupport {

    private static final String PATH = "/v3/recipients/erasejob";

    @Test
    void anAcceptedErasureAnswers202WithAJobIdAndTheRecipientsContactIsGone() {
        start();
        upsertAndWait(upsertBody(null, contact("gone@example.com"), contact("kept@example.com")));

        SendGridHttp.Response r = sg.post(PATH, Map.of("email_addresses", List.of("Gone@Example.com", "gone@example.com")));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().get("job_id").asText()).matches("[0-9a-f-]{36}");

        SendGridHttp.Response search = sg.post("/v3/marketing/contacts/search/emails", "{\"emails\":[\"gone@example.com\"]}");
        assertThat(search.status()).isEqualTo(404); // SendGrid's answer when none of the emails is a contact
        assertThat(contactByEmail("kept@example.com").get("email").asText()).isEqualTo("kept@example.com");
        sg.assertConforms();
    }

    @Test
    void anInvalidAddressFailsTheWholeRequestNamingIt() {
        start();
        upsertAndWait(upsertBody(null, contact("stays@example.com")));
        SendGridHttp.Response r = sg.post(PATH, Map.of("email_addresses", List.of("stays@example.com", "user1@gml")));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("email_addresses");
        assertThat(r.json().at("/errors/0/message").asText()).isEqualTo("Email_address user1@gml is not valid");
        assertThat(contactByEmail("stays@example.com").get("email").asText()).isEqualTo("stays@example.com");
        sg.assertConforms();
    }

    @Test
    void theListIsRequiredNonEmptyAndAtMost5000() {
        start();
        assertThat(sg.post(PATH, Map.of()).status()).isEqualTo(400);
        assertThat(sg.post(PATH, Map.of("email_addresses", List.of())).status()).isEqualTo(400);
        assertThat(sg.post(PATH, Map.of("email_addresses", "a@example.com")).status()).isEqualTo(400);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5001; i++) {
            many.add("u" + i + "@example.com");
        }
        SendGridHttp.Response tooMany = sg.post(PATH, Map.of("email_addresses", many));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/errors/0/message").asText()).contains("5000");
        assertThat(sg.withKey("nope").post(PATH, Map.of("email_addresses", List.of("a@example.com"))).status()).isEqualTo(401);
        sg.assertConforms(); // invalid requests on purpose: their answers are held to the spec
    }

    @Test
    void theEndpointAllows100RequestsAMinute() {
        start();
        for (int i = 0; i < 100; i++) {
            SendGridHttp.Response r = sg.post(PATH, Map.of("email_addresses", List.of("r" + i + "@example.com")));
            assertThat(r.status()).as(r.text()).isEqualTo(202);
        }
        SendGridHttp.Response limited = sg.post(PATH, Map.of("email_addresses", List.of("one-more@example.com")));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("X-RateLimit-Limit")).isEqualTo("100");
        sg.assertConforms();
    }
}
