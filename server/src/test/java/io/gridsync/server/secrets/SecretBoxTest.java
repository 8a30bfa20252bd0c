package io.gridsync.server.secrets;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gridsync.server.HubConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sealing, the master key file and its permissions, and the errors a user can cause. */
class SecretBoxTest {

    private static final String SECRET = "SG.secret-api-key-for-the-box-test-1234";

    @TempDir
    Path data;

    @Test
    void sealsWithAFreshNonceAndOpensWhatItSealed() {
        SecretBox box = SecretBox.open(HubConfig.defaults(data, 0));
        String a = box.seal(SECRET);
        String b = box.seal(SECRET);
        assertThat(a).startsWith("v1:").doesNotContain(SECRET).isNotEqualTo(b);
        // 12-byte nonce + ciphertext + 16-byte tag
        assertThat(Base64.getDecoder().decode(a.substring(3))).hasSize(12 + SECRET.length() + 16);
        assertThat(box.unseal(a)).isEqualTo(SECRET);
        assertThat(box.unseal(b)).isEqualTo(SECRET);
        assertThat(box.toString()).isEqualTo("SecretBox[AES-256-GCM]").doesNotContain(readKey());
    }

    @Test
    void createsTheMasterKeyFileWithOwnerOnlyPermissionsAndKeepsItAcrossStarts() throws Exception {
        SecretBox first = SecretBox.open(HubConfig.defaults(data, 0));
        Path file = data.resolve("master.key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(readKey())).hasSize(32);
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("master.key"); // no temporary file left
        }

        String sealed = first.seal(SECRET);
        SecretBox second = SecretBox.open(HubConfig.defaults(data, 0));
        assertThat(second.unseal(sealed)).isEqualTo(SECRET);
    }

    @Test
    void warnsLoudlyWhenTheKeyFileIsReadableByOthers() throws Exception {
        SecretBox.open(HubConfig.defaults(data, 0));
        Path file = data.resolve("master.key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Logger logger = (Logger) LoggerFactory.getLogger(SecretBox.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            SecretBox.open(HubConfig.defaults(data, 0));
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage()).contains("rw-r--r--").contains("chmod 600").doesNotContain(readKey());
        });
    }

    @Test
    void aMalformedMasterKeyInTheEnvironmentIsAClearErrorThatDoesNotRepeatIt() {
        HubConfig notBase64 = HubConfig.defaults(data, 0).withEnvironment(Map.of("GRIDSYNC_MASTER_KEY", "not base64 at all!"));
        assertThatThrownBy(() -> SecretBox.open(notBase64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GRIDSYNC_MASTER_KEY is not valid base64")
                .hasMessageContaining("openssl rand -base64 32")
                .hasMessageNotContaining("not base64 at all");

        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        HubConfig tooShort = HubConfig.defaults(data, 0).withEnvironment(Map.of("GRIDSYNC_MASTER_KEY", shortKey));
        assertThatThrownBy(() -> SecretBox.open(tooShort))
                .hasMessageContaining("GRIDSYNC_MASTER_KEY decodes to 16 bytes; it must be the base64 of 32 random bytes")
                .hasMessageNotContaining(shortKey);
        assertThat(data.resolve("master.key")).doesNotExist();
    }

    @Test
    void aKeyFromTheEnvironmentIsUsedInsteadOfTheFile() {
        byte[] key = new byte[32];
        key[0] = 7;
        String b64 = Base64.getEncoder().encodeToString(key);
        SecretBox fromEnv = SecretBox.open(HubConfig.defaults(data, 0).withEnvironment(Map.of("GRIDSYNC_MASTER_KEY", b64)));
        assertThat(data.resolve("master.key")).doesNotExist();
        assertThat(SecretBox.ofKey(key).unseal(fromEnv.seal(SECRET))).isEqualTo(SECRET);
    }

    @Test
    void aDamagedKeyFileIsAClearError() throws Exception {
        Files.writeString(data.resolve("master.key"), "abc\n");
        assertThatThrownBy(() -> SecretBox.open(HubConfig.defaults(data, 0)))
                .hasMessageContaining("master key file").hasMessageContaining("decodes to 2 bytes");
    }

    @Test
    void aValueSealedUnderAnotherKeyOrAlteredIsRefusedWithoutRevealingAnything() {
        SecretBox box = SecretBox.ofKey(new byte[32]);
        byte[] other = new byte[32];
        other[31] = 1;
        String sealed = box.seal(SECRET);
        assertThatThrownBy(() -> SecretBox.ofKey(other).unseal(sealed))
                .isInstanceOf(SealedSecretException.class)
                .hasMessageContaining("another key or altered").hasMessageContaining("GRIDSYNC_MASTER_KEY");

        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String altered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> box.unseal(altered)).isInstanceOf(SealedSecretException.class);
        assertThatThrownBy(() -> box.unseal(SECRET)).isInstanceOf(SealedSecretException.class)
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> box.unseal("v1:!!")).isInstanceOf(SealedSecretException.class);
    }

    private String readKey() {
        try {
            return Files.readString(data.resolve("master.key"), StandardCharsets.US_ASCII).trim();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
