package io.gridsync.server.erasure;

import io.gridsync.server.secrets.SecretBox;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The only form in which an erased identifier is kept: HMAC-SHA-256 under a key derived from the
 * master key. A plain SHA-256 of an email could be reversed by hashing a list of known emails; with
 * the key, someone holding only the database (or a backup) cannot test guesses.
 */
public final class IdentifierHash {

    private final byte[] key;

    public IdentifierHash(SecretBox box) {
        this.key = box.derive("erasure-identifier-hash");
    }

    public String of(Identifier id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((id.type() + "\0" + id.value()).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available: " + e.getMessage(), e);
        }
    }
}
