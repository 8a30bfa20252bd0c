package io.gridsync.server.audiences;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * 64-bit keys for cohort planning, so a member costs a few longs of heap instead of its strings:
 * one for the email (the member's identity) and one for its mapped fields (to see an update).
 * Both are the first 8 bytes of SHA-256: for a 1,000,000-member cohort the chance that two
 * different emails share a key is about 3 in 100,000,000. Not thread-safe; one per planner.
 */
final class MemberHash {

    private final MessageDigest sha;

    MemberHash() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key of a normalized (trimmed, lower-case) email; never 0, which the member table keeps for empty slots. */
    long email(String email) {
        sha.reset();
        long h = first8(sha.digest(email.getBytes(StandardCharsets.UTF_8)));
        return h == 0 ? 1 : h;
    }

    /** The hash of mapped field values in mapping order; null values (not sent) count as absent. */
    long fields(String[] names, String[] values) {
        sha.reset();
        for (int i = 0; i < names.length; i++) {
            if (values[i] == null) {
                continue;
            }
            sha.update(names[i].getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(values[i].getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 1);
        }
        return first8(sha.digest());
    }

    private static long first8(byte[] d) {
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xff);
        }
        return h;
    }
}
