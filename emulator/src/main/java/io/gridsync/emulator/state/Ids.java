package io.gridsync.emulator.state;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/** Identifiers in the shapes SendGrid uses. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    /** Contacts, lists, jobs, segments, single sends: lower-case UUIDs. */
    public static String uuid() {
        return UUID.randomUUID().toString();
    }

    /** A 22-character URL-safe token, like SendGrid's X-Message-Id and sg_event_id. */
    public static String token() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
