package io.gridsync.emulator.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import io.gridsync.emulator.lists.ContactList;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The contacts endpoints through SendGrid's official Java client, as a user of that library would call them. */
class ContactsSendGridClientTest extends ContactsTestSupport {

    private SendGrid client() {
        SendGrid client = new SendGrid("SG.client-test", true); // true: plain http, for a local server
        client.setHost("127.0.0.1:" + emulator.port());
        return client;
    }

    private static Response call(SendGrid client, Method method, String endpoint, String body) throws IOException {
        Request request = new Request();
        request.setMethod(method);
        request.setEndpoint(endpoint);
        if (body != null) {
            request.setBody(body);
        }
        return client.api(request);
    }

    @Test
    void upsertPollAndSearchThroughTheOfficialClient() throws IOException {
        start();
        ContactList list = emulator.lists().create("from-java");
        SendGrid client = client();

        Response put = call(client, Method.PUT, "marketing/contacts",
                "{\"list_ids\":[\"" + list.id() + "\"],\"contacts\":[{\"email\":\"Client.User@Example.com\",\"first_name\":\"Cli\"}]}");
        assertThat(put.getStatusCode()).as(put.getBody()).isEqualTo(202);
        assertThat(put.getHeaders()).containsKey("X-RateLimit-Remaining");
        String jobId = MAPPER.readTree(put.getBody()).get("job_id").asText();

        JsonNode job = null;
        for (int i = 0; i < 1000; i++) {
            Response status = call(client, Method.GET, "marketing/contacts/imports/" + jobId, null);
            assertThat(status.getStatusCode()).isEqualTo(200);
            job = MAPPER.readTree(status.getBody());
            if (!job.get("status").asText().equals("pending")) {
                break;
            }
            sleep(10);
        }
        assertThat(job.get("status").asText()).isEqualTo("completed");

        Response search = call(client, Method.POST, "marketing/contacts/search/emails", "{\"emails\":[\"client.user@example.com\"]}");
        assertThat(search.getStatusCode()).isEqualTo(200);
        JsonNode contact = MAPPER.readTree(search.getBody()).at("/result/client.user@example.com/contact");
        assertThat(contact.get("email").asText()).isEqualTo("client.user@example.com");
        assertThat(contact.get("first_name").asText()).isEqualTo("Cli");
        assertThat(contact.get("list_ids").get(0).asText()).isEqualTo(list.id());

        Request delete = new Request();
        delete.setMethod(Method.DELETE);
        delete.setEndpoint("marketing/contacts");
        delete.addQueryParam("ids", contact.get("id").asText());
        Response deleted = client.api(delete);
        assertThat(deleted.getStatusCode()).isEqualTo(202);
        assertThat(MAPPER.readTree(deleted.getBody()).get("job_id").isTextual()).isTrue();

        Response bad = call(client, Method.PUT, "marketing/contacts", "{\"contacts\":[{\"first_name\":\"no id\"}]}");
        assertThat(bad.getStatusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(bad.getBody()).at("/errors/0/field").asText()).isEqualTo("contacts[0]");
    }
}
