package io.gridsync.server.security;

import io.gridsync.server.webhook.SignatureVerifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A signed post replayed with a timestamp chosen so that now - timestamp overflows. */
class SignatureToleranceTest {

    @Test
    void aTimestampThatOverflowsTheDifferenceIsStale() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        SignatureVerifier verifier = new SignatureVerifier(Duration.ofMinutes(5));
        for (long t : new long[] {now.getEpochSecond() + Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, now.getEpochSecond() - 301}) {
            String ts = Long.toString(t);
            assertThatThrownBy(() -> verifier.check(keys.getPublic(), sign(keys, ts, body), ts, body, now)).as(ts)
                    .isInstanceOf(RuntimeException.class).hasMessageContaining("refused as possible replays");
        }
        String fresh = Long.toString(now.getEpochSecond() - 299);
        assertThatCode(() -> verifier.check(keys.getPublic(), sign(keys, fresh, body), fresh, body, now)).doesNotThrowAnyException();
    }

    private static String sign(KeyPair keys, String ts, byte[] body) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.getPrivate());
        s.update(ts.getBytes(StandardCharsets.UTF_8));
        s.update(body);
        return Base64.getEncoder().encodeToString(s.sign());
    }
}
