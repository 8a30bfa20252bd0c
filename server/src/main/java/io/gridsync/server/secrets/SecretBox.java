package io.gridsync.server.secrets;

import io.gridsync.server.HubConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Seals secrets (SendGrid API keys, the admin token) for the state database with AES-256-GCM:
 * a fresh 12-byte nonce per seal, stored as {@code v1:} + base64(nonce + ciphertext + tag), so a
 * copy of the database alone reveals nothing. The master key comes from {@code GRIDSYNC_MASTER_KEY}
 * or from {@code <data>/master.key}, created with 0600 permissions on first start.
 * Neither the key nor a plaintext is ever logged or put into an exception message.
 */
public final class SecretBox {

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    static final String VERSION = "v1:";
    static final String KEY_FILE = "master.key";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box of the hub: {@code config.masterKey()} when set, else the key file in the data directory. */
    public static SecretBox open(HubConfig config) {
        String configured = config.masterKey();
        if (configured != null && !configured.isBlank()) {
            return new SecretBox(decodeKey(configured, "GRIDSYNC_MASTER_KEY"));
        }
        return new SecretBox(keyFromFile(config.dataDir().resolve(KEY_FILE)));
    }

    /** A box over a raw 32-byte key (tests, tools). */
    public static SecretBox ofKey(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a master key is " + KEY_BYTES + " bytes");
        }
        return new SecretBox(key.clone());
    }

    /** Seals {@code plaintext}; two seals of one text differ (fresh nonce). */
    public String seal(String plaintext) {
        if (plaintext == null) {
            throw new IllegalArgumentException("nothing to seal");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Opens what {@link #seal} produced. A value sealed under another master key, or altered,
     * is refused with a message that says which setting to check (never the value itself).
     */
    public String unseal(String sealed) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new SealedSecretException("not a sealed secret (expected the " + VERSION + " format)");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            throw new SealedSecretException("sealed secret is not valid base64");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealedSecretException("sealed secret is truncated");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            return new String(c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SealedSecretException("sealed secret cannot be opened with this master key: it was sealed with "
                    + "another key or altered (did GRIDSYNC_MASTER_KEY or " + KEY_FILE + " change?)");
        } catch (GeneralSecurityException e) {
            throw new SealedSecretException("sealed secret cannot be opened: " + e.getClass().getSimpleName());
        }
    }

    /**
     * A key for {@code purpose} derived from the master key (HMAC-SHA-256 of the purpose), so every
     * node of a cluster, sharing the master key, derives the same one and the master key itself is
     * never used twice for different things.
     */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("gridsync:" + purpose).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available: " + e.getMessage(), e);
        }
    }

    private static byte[] decodeKey(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not valid base64; it must be the base64 of 32 random bytes, "
                    + "e.g. the output of: openssl rand -base64 32");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(source + " decodes to " + key.length + " bytes; it must be the base64 of "
                    + KEY_BYTES + " random bytes, e.g. the output of: openssl rand -base64 32");
        }
        return key;
    }

    private static byte[] keyFromFile(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                create(file);
            }
            warnIfReadableByOthers(file);
            return decodeKey(Files.readString(file, StandardCharsets.US_ASCII), "master key file " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key file " + file.toAbsolutePath() + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    /**
     * Writes a new key to a private temporary file, then links it into place: the key file
     * appears whole or not at all, and a second hub starting at the same moment keeps the first key.
     */
    private static void create(Path file) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        Path tmp = posix
                ? Files.createTempFile(dir, ".master.key-", ".tmp", privateFile())
                : Files.createTempFile(dir, ".master.key-", ".tmp");
        try {
            Files.write(tmp, text);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                return; // another process created it first; use theirs
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (Files.exists(file)) {
                    return;
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            log.info("created a new master key in {} (mode 0600); back it up: without it the API keys stored in the "
                    + "database cannot be read", file.toAbsolutePath());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> privateFile() {
        return PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return; // not POSIX: permissions are the platform's ACLs, not ours to judge
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        Set<PosixFilePermission> wider = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : perms) {
            if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE) {
                wider.add(p);
            }
        }
        if (!wider.isEmpty()) {
            log.warn("!!! the master key file {} has permissions {}: other users may read it and decrypt every API key "
                            + "gridsync stores. Fix with: chmod 600 {}", file.toAbsolutePath(),
                    PosixFilePermissions.toString(perms), file.toAbsolutePath());
        }
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM]";
    }
}
