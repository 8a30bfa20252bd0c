package io.gridsync.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature (base64 DER) over the UTF-8
 * timestamp followed by the raw body bytes, in {@code X-Twilio-Email-Event-Webhook-Signature} and
 * {@code -Timestamp}. The body is checked as received, byte for byte, before it is parsed.
 */
public final class SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

    private final Duration tolerance;

    /** @param tolerance how far the signed timestamp may be from now, either way */
    public SignatureVerifier(Duration tolerance) {
        this.tolerance = tolerance;
    }

    /**
     * Reads a public key as SendGrid shows it: base64 of the X.509 SubjectPublicKeyInfo, with or
     * without PEM armour. Refuses anything that is not a P-256 key.
     */
    public static PublicKey parseKey(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("public_key is empty; paste the verification key from SendGrid's "
                    + "Mail Settings > Event Webhook > Signature verification");
        }
        String b64 = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public_key is not base64; paste the verification key exactly as SendGrid shows it");
        }
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("public_key is not a P-256 (prime256v1) key, which SendGrid signs with");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("public_key is not an EC public key (base64 X.509 SubjectPublicKeyInfo, "
                    + "starting MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE)");
        }
    }

    /** Throws {@link WebhookRefusal} unless the post is signed by {@code key} within the tolerance of {@code now}. */
    public void check(PublicKey key, String signature, String timestamp, byte[] body, Instant now) {
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            throw new WebhookRefusal(401, "this source verifies signatures: the post needs the headers " + SIGNATURE_HEADER
                    + " and " + TIMESTAMP_HEADER + " (turn on Signed Event Webhook in SendGrid)", "unsigned");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookRefusal(403, TIMESTAMP_HEADER + " is not epoch seconds", "bad_timestamp");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            throw new WebhookRefusal(403, "the signature is not base64", "bad_signature");
        }
        if (!verifies(key, timestamp, body, der)) {
            throw new WebhookRefusal(403, "the signature does not match the body, timestamp and this source's verification key",
                    "bad_signature");
        }
        // checked after the signature, so the error never tells an unsigned sender what the clock says
        long skew = Math.abs(now.getEpochSecond() - seconds);
        if (skew > tolerance.toSeconds()) {
            throw new WebhookRefusal(403, "the signed timestamp is " + skew + " s away from now; posts older than "
                    + tolerance.toSeconds() + " s (GRIDSYNC_WEBHOOK_TOLERANCE) are refused as possible replays", "stale_timestamp");
        }
    }

    private static boolean verifies(PublicKey key, String timestamp, byte[] body, byte[] der) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(key);
            s.update(timestamp.getBytes(StandardCharsets.UTF_8));
            s.update(body);
            return s.verify(der);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed DER signature is a bad signature
        }
    }
}
