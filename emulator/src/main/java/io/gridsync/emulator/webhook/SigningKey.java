package io.gridsync.emulator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridsync.emulator.http.Json;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A signed webhook's P-256 key pair. The public key is published as SendGrid does: base64 of the
 * X.509 SubjectPublicKeyInfo DER ({@code MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE...}). A signature is
 * base64 DER ECDSA (SHA256withECDSA) over the UTF-8 timestamp followed by the raw body bytes.
 */
public final class SigningKey {

    public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

    private final PublicKey publicKey;
    private final PrivateKey privateKey;

    private SigningKey(PublicKey publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    public static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new SigningKey(pair.getPublic(), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make P-256 keys", e);
        }
    }

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** Base64 DER signature over {@code timestamp + body}. */
    public String sign(String timestamp, byte[] body) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(privateKey);
            s.update(timestamp.getBytes(StandardCharsets.UTF_8));
            s.update(body);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign an event batch", e);
        }
    }

    /** For the state file; the private key is the emulator's own test key, never a user's secret. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("public_key", publicKeyBase64());
        o.put("private_key", Base64.getEncoder().encodeToString(privateKey.getEncoded()));
        return o;
    }

    public static SigningKey fromJson(JsonNode node) {
        try {
            KeyFactory f = KeyFactory.getInstance("EC");
            PublicKey pub = f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(node.path("public_key").asText())));
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(node.path("private_key").asText())));
            return new SigningKey(pub, priv);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the state file holds a webhook signing key that cannot be read: " + e.getMessage(), e);
        }
    }
}
