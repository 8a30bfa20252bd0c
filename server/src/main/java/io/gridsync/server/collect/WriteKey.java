package io.gridsync.server.collect;

import io.gridsync.server.cors.AllowedOrigins;

/**
 * A write key: what a tracking library sends to say which source its messages come from.
 *
 * @param createdAt epoch milliseconds
 * @param revokedAt epoch milliseconds, null while the key is valid
 * @param allowedOrigins the web origins browsers may send with it from
 */
public record WriteKey(String key, String name, long createdAt, Long revokedAt, AllowedOrigins allowedOrigins) {

    public boolean active() {
        return revokedAt == null;
    }

    /** The key with all but its prefix and last four characters hidden, for listings and logs. */
    public String masked() {
        return mask(key);
    }

    static String mask(String key) {
        if (key == null || key.length() <= 10) {
            return "****";
        }
        String prefix = key.startsWith(WriteKeys.PREFIX) ? WriteKeys.PREFIX : "";
        return prefix + "****" + key.substring(key.length() - 4);
    }
}
