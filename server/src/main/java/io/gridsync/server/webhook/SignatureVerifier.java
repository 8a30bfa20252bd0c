package io.gridsync.server.webhook;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256 signature (base64 DER) over the UTF-8
 * timestamp followed by the raw body bytes, in {@code X-Twilio-Email-Event-Webhook-Signature} and
 * {@code -Timestamp}. The body is checked as received, byte for byte, before it is parsed.
 * <p>
 * Keys are read and checked with the JDK; the signature itself is verified with Bouncy Castle's
 * P-256 arithmetic, which takes about 0.2 ms where the JDK 17 provider takes about 1.7 ms: on a
 * webhook post of 1,000 events that is a tenth of the hub's CPU (docs/benchmarks.md). The SHA-256 of
 * the body is the JDK's (CPU instructions where the processor has them).
 */
public final class SignatureVerifier {

    public static final String SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp";

    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

    private final Duration tolerance;
    /** The keys in use as Bouncy Castle points (a source's key changes rarely; a few entries at most). */
    private final Map<PublicKey, ECPublicKeyParameters> points = new ConcurrentHashMap<>();

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
            if (!(key instanceof ECPublicKey ec) || !ec.getParams().getOrder().equals(P256.getN())
                    || !P256.getCurve().getField().getCharacteristic().equals(((java.security.spec.ECFieldFp) ec.getParams().getCurve()
                    .getField()).getP())) {
                throw new IllegalArgumentException("public_key is not a P-256 (prime256v1) key, which SendGrid signs with");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("public_key is not an EC public key (base64 X.509 SubjectPublicKeyInfo, "
                    + "starting MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE)");
        }
    }

    /** 401 unless both signature headers are there: checked before the body is read, since without them it is refused anyway. */
    static void requireHeaders(String signature, String timestamp) {
        if (signature == null || signature.isBlank() || timestamp == null || timestamp.isBlank()) {
            throw new WebhookRefusal(401, "this source verifies signatures: the post needs the headers " + SIGNATURE_HEADER
                    + " and " + TIMESTAMP_HEADER + " (turn on Signed Event Webhook in SendGrid)", "unsigned");
        }
    }

    /** Throws {@link WebhookRefusal} unless the post is signed by {@code key} within the tolerance of {@code now}. */
    public void check(PublicKey key, String signature, String timestamp, byte[] body, Instant now) {
        requireHeaders(signature, timestamp);
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
        // no subtraction: now - seconds overflows for a timestamp near Long.MIN_VALUE and Math.abs keeps it negative
        long nowSeconds = now.getEpochSecond();
        long limit = tolerance.toSeconds();
        boolean stale = seconds < nowSeconds ? seconds < nowSeconds - limit : seconds > nowSeconds + limit;
        if (stale) {
            throw new WebhookRefusal(403, "the signed timestamp is more than " + limit + " s away from now; posts older than "
                    + tolerance.toSeconds() + " s (GRIDSYNC_WEBHOOK_TOLERANCE) are refused as possible replays", "stale_timestamp");
        }
    }

    private boolean verifies(PublicKey key, String timestamp, byte[] body, byte[] der) {
        BigInteger[] rs = signature(der);
        if (rs == null) {
            return false; // a malformed DER signature is a bad signature
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        sha.update(timestamp.getBytes(StandardCharsets.UTF_8));
        sha.update(body);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, points.computeIfAbsent(key, SignatureVerifier::point));
        return verifier.verifySignature(sha.digest(), rs[0], rs[1]);
    }

    /** {r, s} of a DER ECDSA signature, or null unless it is exactly a DER SEQUENCE of two INTEGERs and nothing more. */
    private static BigInteger[] signature(byte[] der) {
        try {
            if (!(ASN1Primitive.fromByteArray(der) instanceof ASN1Sequence seq) || seq.size() != 2
                    || !(seq.getObjectAt(0) instanceof ASN1Integer r) || !(seq.getObjectAt(1) instanceof ASN1Integer s)
                    || !Arrays.equals(seq.getEncoded(ASN1Encoding.DER), der)) {
                return null;
            }
            return new BigInteger[]{r.getValue(), s.getValue()}; // ranges (1..n-1) are checked by the verifier
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static ECPublicKeyParameters point(PublicKey key) {
        ECPublicKey ec = (ECPublicKey) key; // parseKey admits P-256 EC keys only
        ECPoint q = P256.getCurve().validatePoint(ec.getW().getAffineX(), ec.getW().getAffineY());
        return new ECPublicKeyParameters(q, DOMAIN);
    }
}
