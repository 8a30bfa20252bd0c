package io.gridsync.server.collect;

import io.gridsync.server.cors.AllowedOrigins;
import io.gridsync.server.cors.Cors;
import io.gridsync.server.ratelimit.RateLimit;

import java.time.Clock;

/**
 * What a sender must pass besides a valid write key, since a browser's key is public: the page's
 * origin allowed for the key, and the token-bucket rate limits per client address and per key
 * (429 with Retry-After past either).
 */
final class SenderChecks {

    private final WriteKeys writeKeys;
    private final RateLimit perClient;
    private final RateLimit perWriteKey;

    SenderChecks(WriteKeys writeKeys, CollectSettings settings, Clock clock) {
        this.writeKeys = writeKeys;
        this.perClient = new RateLimit(settings.perClient(), clock);
        this.perWriteKey = new RateLimit(settings.perWriteKey(), clock);
    }

    /** Before anything else of the request is looked at. */
    void client(String address) {
        long wait = perClient.take(address);
        if (wait > 0) {
            throw Rejection.rateLimited(RejectReason.RATE_LIMITED_CLIENT, "this address sent more than " + rate(perClient)
                    + " requests a second; wait for Retry-After, then send again", wait);
        }
    }

    /** Once the (valid) key is known; {@code origin} null for a server-side client. */
    void key(String key, String origin) {
        if (origin != null) {
            AllowedOrigins allowed = writeKeys.allowedOrigins(key);
            if (allowed != null && !allowed.allows(origin)) {
                throw Rejection.forbidden(RejectReason.ORIGIN_NOT_ALLOWED, Cors.refusal(origin));
            }
        }
        long wait = perWriteKey.take(key);
        if (wait > 0) {
            throw Rejection.rateLimited(RejectReason.RATE_LIMITED_WRITE_KEY, "this write key was sent with more than " + rate(perWriteKey)
                    + " requests a second; wait for Retry-After, then send again", wait);
        }
    }

    private static String rate(RateLimit limit) {
        double r = limit.perSecond();
        return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
    }
}
