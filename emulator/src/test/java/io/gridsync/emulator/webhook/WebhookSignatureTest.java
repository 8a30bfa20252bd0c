package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.Await;
import io.gridsync.emulator.testing.OpenApiSpecs;
import io.gridsync.emulator.testing.MailBodies;
import io.gridsync.emulator.testing.SendGridHttp;
import io.gridsync.emulator.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Signed Event Webhook, checked with nothing but the JDK: SendGrid's published test vectors verify
 * (and their tampered variants do not), and batches the emulator posts verify with the public key its
 * settings endpoint returns.
 */
class WebhookSignatureTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a receiver does: ECDSA P-256 / SHA-256 over the timestamp followed by the raw body. */
    static boolean verify(String publicKeyBase64, String signatureBase64, String timestamp, byte[] payload)
            throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyBase64)));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(key);
        s.update(timestamp.getBytes(StandardCharsets.UTF_8));
        s.update(payload);
        try {
            return s.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (SignatureException e) {
            return false; // a malformed signature is simply not valid
        }
    }

    @Test
    void everySendGridTestVectorVerifiesExactlyWhenItIsValid() throws Exception {
        JsonNode vectors = MAPPER.readTree(OpenApiSpecs.specDir().resolve("event-webhook-vectors.json").toFile());
        int valid = 0;
        int invalid = 0;
        for (JsonNode c : vectors.get("cases")) {
            if (c.get("valid").asBoolean()) {
                valid++;
            } else {
                invalid++;
            }
        }
        assertThat(valid).as("valid vectors").isGreaterThanOrEqualTo(2);
        assertThat(invalid).as("invalid vectors").isGreaterThanOrEqualTo(4);
        for (JsonNode c : vectors.get("cases")) {
            byte[] payload = Base64.getDecoder().decode(c.get("payload_base64").asText());
            boolean verified = verify(c.get("public_key").asText(), c.get("signature").asText(), c.get("timestamp").asText(), payload);
            assertThat(verified).as(c.get("name").asText()).isEqualTo(c.get("valid").asBoolean());
        }
    }

    @Test
    void theEmulatorsSignedBatchesVerifyWithThePublishedKeyAndTamperingBreaksThem() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
            EmulatorConfig config = new EmulatorConfig().port(0);
            config.webhookFlushMillis = 0;
            try (Emulator emulator = Emulator.start(config)) {
                SendGridHttp sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
                String id = sg.post("/v3/user/webhooks/event/settings", "{\"enabled\": true, \"url\": \"" + receiver.url()
                        + "\", \"processed\": true, \"delivered\": true}").json().get("id").asText();
                String publicKey = sg.patch("/v3/user/webhooks/event/settings/signed/" + id, "{\"enabled\": true}")
                        .json().get("public_key").asText();
                assertThat(sg.get("/v3/user/webhooks/event/settings/signed/" + id).json().get("public_key").asText()).isEqualTo(publicKey);

                assertThat(sg.post("/v3/mail/send", MailBodies.valid()).status()).isEqualTo(202);
                Await.until("the signed batch arrives", () -> !receiver.posts().isEmpty());

                WebhookReceiver.Post post = receiver.posts().get(0);
                String signature = post.header(SigningKey.SIGNATURE_HEADER);
                String timestamp = post.header(SigningKey.TIMESTAMP_HEADER);
                assertThat(signature).isNotEmpty();
                assertThat(Long.parseLong(timestamp)).isPositive();
                assertThat(post.header("Content-Type")).isEqualTo("application/json");
                assertThat(new String(post.body(), StandardCharsets.UTF_8)).endsWith("]\r\n");
                assertThat(verify(publicKey, signature, timestamp, post.body())).isTrue();

                byte[] tampered = Arrays.copyOf(post.body(), post.body().length);
                tampered[tampered.length - 3] = ' ';
                assertThat(verify(publicKey, signature, timestamp, tampered)).isFalse();
                assertThat(verify(publicKey, signature, Long.toString(Long.parseLong(timestamp) + 1), post.body())).isFalse();
                sg.assertConforms();
            }
        }
    }

    @Test
    void unsignedWebhooksGetNoSignatureHeaders() {
        try (WebhookReceiver receiver = WebhookReceiver.accepting()) {
            EmulatorConfig config = new EmulatorConfig().port(0);
            config.webhookFlushMillis = 0;
            try (Emulator emulator = Emulator.start(config)) {
                SendGridHttp sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
                sg.post("/v3/user/webhooks/event/settings", "{\"enabled\": true, \"url\": \"" + receiver.url() + "\", \"delivered\": true}");
                sg.post("/v3/mail/send", MailBodies.valid());
                Await.until("the batch arrives", () -> !receiver.posts().isEmpty());
                assertThat(receiver.posts().get(0).header(SigningKey.SIGNATURE_HEADER)).isNull();
                assertThat(receiver.posts().get(0).header(SigningKey.TIMESTAMP_HEADER)).isNull();
                sg.assertConforms();
            }
        }
    }
}
