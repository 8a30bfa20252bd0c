package io.gridsync.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The verifier (Bouncy Castle's P-256 arithmetic) against the JDK's own SHA256withECDSA: both must
 * say the same of SendGrid's vectors, of fresh signatures, and of every kind of damaged one.
 */
class SignatureVerifierTest {

    private static final SignatureVerifier VERIFIER = new SignatureVerifier(Duration.ofMinutes(5));

    @Test
    void agreesWithTheJdkOnSendGridsVectors() throws Exception {
        Path file = Path.of(System.getProperty("sendgrid.api.dir", "../third_party/sendgrid-api"), "event-webhook-vectors.json");
        JsonNode cases = new ObjectMapper().readTree(Files.readString(file)).path("cases");
        assertThat(cases).hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode c : cases) {
            PublicKey key = SignatureVerifier.parseKey(c.path("public_key").asText());
            byte[] body = Base64.getDecoder().decode(c.path("payload_base64").asText());
            String ts = c.path("timestamp").asText();
            String sig = c.path("signature").asText();
            boolean ours = accepted(key, sig, ts, body);
            assertThat(ours).as(c.path("name").asText()).isEqualTo(c.path("valid").asBoolean()).isEqualTo(jdk(key, sig, ts, body));
        }
    }

    @Test
    void agreesWithTheJdkOnFreshAndDamagedSignatures() throws Exception {
        KeyPair keys = p256();
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            byte[] body = new byte[1 + random.nextInt(2000)];
            random.nextBytes(body);
            String ts = Long.toString(1_700_000_000L + i);
            byte[] der = sign(keys, ts, body);
            String good = b64(der);
            assertThat(accepted(keys.getPublic(), good, ts, body)).isTrue();
            // a flipped bit in the body, the timestamp or the signature
            byte[] flipped = body.clone();
            flipped[random.nextInt(flipped.length)] ^= 1;
            assertThat(accepted(keys.getPublic(), good, ts, flipped)).isFalse();
            assertThat(accepted(keys.getPublic(), good, Long.toString(1_700_000_001L + i), body)).isFalse();
            byte[] badDer = der.clone();
            badDer[badDer.length - 1 - random.nextInt(20)] ^= 4;
            assertThat(accepted(keys.getPublic(), b64(badDer), ts, body)).isEqualTo(jdk(keys.getPublic(), b64(badDer), ts, body)).isFalse();
            // trailing bytes after the DER sequence, and a truncated one
            byte[] longer = Arrays.copyOf(der, der.length + 1);
            assertThat(accepted(keys.getPublic(), b64(longer), ts, body)).isEqualTo(jdk(keys.getPublic(), b64(longer), ts, body)).isFalse();
            byte[] shorter = Arrays.copyOf(der, der.length - 1);
            assertThat(accepted(keys.getPublic(), b64(shorter), ts, body)).isFalse();
            // (r, n - s) is as valid as (r, s) for ECDSA; the JDK accepts it and so must we
            byte[] highS = negateS(der, ((ECPublicKey) keys.getPublic()).getParams().getOrder());
            assertThat(accepted(keys.getPublic(), b64(highS), ts, body)).isEqualTo(jdk(keys.getPublic(), b64(highS), ts, body)).isTrue();
            // another key
            assertThat(accepted(p256().getPublic(), good, ts, body)).isFalse();
        }
    }

    @Test
    void onlyP256KeysAreAccepted() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        String p384 = b64(g.generateKeyPair().getPublic().getEncoded());
        assertThatThrownBy(() -> SignatureVerifier.parseKey(p384)).hasMessageContaining("P-256");
        assertThatThrownBy(() -> SignatureVerifier.parseKey("not base64!")).hasMessageContaining("base64");
        assertThat(SignatureVerifier.parseKey("-----BEGIN PUBLIC KEY-----\n" + b64(p256().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----"))
                .isInstanceOf(ECPublicKey.class);
    }

    private static boolean accepted(PublicKey key, String signature, String ts, byte[] body) {
        try {
            VERIFIER.check(key, signature, ts, body, Instant.ofEpochSecond(Long.parseLong(ts)));
            return true;
        } catch (WebhookRefusal r) {
            assertThat(r.status).isEqualTo(403);
            return false;
        }
    }

    private static boolean jdk(PublicKey key, String signature, String ts, byte[] body) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(key);
            s.update(ts.getBytes(StandardCharsets.UTF_8));
            s.update(body);
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (Exception e) {
            return false;
        }
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static byte[] sign(KeyPair keys, String ts, byte[] body) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.getPrivate());
        s.update(ts.getBytes(StandardCharsets.UTF_8));
        s.update(body);
        return s.sign();
    }

    /** The DER signature with s replaced by n - s. */
    private static byte[] negateS(byte[] der, BigInteger n) throws Exception {
        var seq = (org.bouncycastle.asn1.ASN1Sequence) org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der);
        BigInteger r = ((org.bouncycastle.asn1.ASN1Integer) seq.getObjectAt(0)).getValue();
        BigInteger s = ((org.bouncycastle.asn1.ASN1Integer) seq.getObjectAt(1)).getValue();
        return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[]{
                new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(n.subtract(s))}).getEncoded();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
