package io.gridsync.emulator.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sendgrid.Client;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import com.sendgrid.helpers.mail.Mail;
import com.sendgrid.helpers.mail.objects.ASM;
import com.sendgrid.helpers.mail.objects.Attachments;
import com.sendgrid.helpers.mail.objects.Content;
import com.sendgrid.helpers.mail.objects.Email;
import com.sendgrid.helpers.mail.objects.MailSettings;
import com.sendgrid.helpers.mail.objects.Personalization;
import com.sendgrid.helpers.mail.objects.Setting;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.MailBodies;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Mail Send through SendGrid's own Java client and its Mail helpers, and the log of what was accepted. */
class MailSendClientTest {

    private Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private SendGrid client() {
        SendGrid sg = new SendGrid("SG.client-test", new Client(true)); // true: plain http
        sg.setHost("127.0.0.1:" + emulator.port());
        return sg;
    }

    private static Mail orderConfirmation() {
        Mail mail = new Mail();
        mail.setFrom(new Email("orders@example.com", "Example Shop"));
        mail.setSubject("Your order");
        Personalization p = new Personalization();
        p.addTo(new Email("alex@example.com", "Alex"));
        p.addCc(new Email("bola@example.com"));
        p.addBcc(new Email("audit@example.com"));
        p.addCustomArg("order_id", "42");
        p.addDynamicTemplateData("first_name", "Alex");
        mail.addPersonalization(p);
        mail.addContent(new Content("text/plain", "Thanks for your order."));
        mail.addContent(new Content("text/html", "<p>Thanks for your order. <a href=\"https://shop.example.com/orders/42\">View it</a></p>"));
        mail.addCategory("orders");
        mail.addCategory("transactional");
        mail.addCustomArg("tenant", "acme");
        ASM asm = new ASM();
        asm.setGroupId(12345);
        mail.setASM(asm);
        Attachments receipt = new Attachments();
        receipt.setContent(Base64.getEncoder().encodeToString("receipt 42".getBytes(StandardCharsets.UTF_8)));
        receipt.setFilename("receipt.txt");
        receipt.setType("text/plain");
        mail.addAttachments(receipt);
        return mail;
    }

    private static Response send(SendGrid sg, Mail mail) throws IOException {
        Request request = new Request();
        request.setMethod(Method.POST);
        request.setEndpoint("mail/send");
        request.setBody(mail.build());
        return sg.api(request);
    }

    @Test
    void theJavaClientsMailHelpersSendAndTheMessageIsListed() throws IOException {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        Response response = send(client(), orderConfirmation());

        assertThat(response.getStatusCode()).isEqualTo(202);
        String messageId = response.getHeaders().get("X-Message-Id");
        assertThat(messageId).hasSize(22);

        SendGridHttp admin = new SendGridHttp(emulator.baseUrl(), null);
        JsonNode list = admin.get("/_emulator/mail").json();
        assertThat(list.get("total").asInt()).isEqualTo(1);
        JsonNode m = list.at("/messages/0");
        assertThat(m.get("message_id").asText()).isEqualTo(messageId);
        assertThat(m.at("/from/email").asText()).isEqualTo("orders@example.com");
        assertThat(m.at("/personalizations/0/to/0/email").asText()).isEqualTo("alex@example.com");
        assertThat(m.at("/personalizations/0/bcc/0/email").asText()).isEqualTo("audit@example.com");
        assertThat(m.at("/personalizations/0/custom_args/order_id").asText()).isEqualTo("42");
        assertThat(m.at("/personalizations/0/dynamic_template_data/first_name").asText()).isEqualTo("Alex");
        assertThat(m.get("categories").toString()).isEqualTo("[\"orders\",\"transactional\"]");
        assertThat(m.at("/custom_args/tenant").asText()).isEqualTo("acme");
        assertThat(m.at("/asm/group_id").asInt()).isEqualTo(12345);
        assertThat(m.get("received_at").asText()).isNotEmpty();
    }

    @Test
    void sandboxModeThroughTheJavaClientAnswers200AndIsNotKept() throws IOException {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        Mail mail = orderConfirmation();
        MailSettings settings = new MailSettings();
        Setting sandbox = new Setting();
        sandbox.setEnable(true);
        settings.setSandboxMode(sandbox);
        mail.setMailSettings(settings);

        Response response = send(client(), mail);
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).isEmpty();
        assertThat(new SendGridHttp(emulator.baseUrl(), null).get("/_emulator/mail").json().get("total").asInt()).isZero();
    }

    @Test
    void theLogListsMostRecentFirstPagesFiltersByRecipientAndClears() throws IOException {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        SendGridHttp sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            var body = MailBodies.valid();
            ((com.fasterxml.jackson.databind.node.ObjectNode) body.at("/personalizations/0/to/0")).put("email", "user" + i + "@example.com");
            ids[i] = sg.post("/v3/mail/send", body).header("X-Message-Id");
        }
        SendGridHttp admin = new SendGridHttp(emulator.baseUrl(), null);
        JsonNode page = admin.get("/_emulator/mail?limit=2").json();
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.at("/messages/0/message_id").asText()).isEqualTo(ids[2]);
        assertThat(page.at("/messages/1/message_id").asText()).isEqualTo(ids[1]);
        assertThat(admin.get("/_emulator/mail?limit=2&offset=2").json().at("/messages/0/message_id").asText()).isEqualTo(ids[0]);
        JsonNode filtered = admin.get("/_emulator/mail?to=USER1@example.com").json();
        assertThat(filtered.get("total").asInt()).isEqualTo(1);
        assertThat(filtered.at("/messages/0/message_id").asText()).isEqualTo(ids[1]);
        assertThat(admin.get("/_emulator/mail?limit=0").status()).isEqualTo(400);
        assertThat(admin.get("/_emulator/mail/no-such-id").status()).isEqualTo(404);

        assertThat(admin.delete("/_emulator/mail").status()).isEqualTo(204);
        assertThat(admin.get("/_emulator/mail").json().get("total").asInt()).isZero();
        sg.assertConforms();
    }

    @Test
    void aGzipCompressedBodyIsAccepted() throws Exception {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(MailBodies.valid().toString().getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/mail/send"))
                .header("Authorization", "Bearer SG.test").header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(emulator.sentMail().size()).isEqualTo(1);
    }

    @Test
    void acceptedMessagesSurviveARestartWithAStateFile() throws IOException {
        Path file = Files.createTempDirectory("emu-mail").resolve("state.json");
        emulator = Emulator.start(new EmulatorConfig().port(0).stateFile(file));
        String id = send(client(), orderConfirmation()).getHeaders().get("X-Message-Id");
        emulator.close();

        emulator = Emulator.start(new EmulatorConfig().port(0).stateFile(file));
        JsonNode m = new SendGridHttp(emulator.baseUrl(), null).get("/_emulator/mail/" + id).json();
        assertThat(m.at("/personalizations/0/to/0/email").asText()).isEqualTo("alex@example.com");
        assertThat(m.at("/attachments/0/filename").asText()).isEqualTo("receipt.txt");
    }

    @Test
    void theLogKeepsOnlyTheMostRecentMessagesBeyondItsCapacity() {
        SentMailLog log = new SentMailLog(2);
        for (int i = 0; i < 3; i++) {
            log.add(SentMessage.accept("id" + i, java.time.Instant.now(), MailBodies.valid()));
        }
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.byId("id0")).isEmpty();
        assertThat(log.page(m -> true, 0, 10).messages()).extracting(SentMessage::messageId).containsExactly("id2", "id1");
    }
}
