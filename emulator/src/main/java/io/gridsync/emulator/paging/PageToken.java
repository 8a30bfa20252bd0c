package io.gridsync.emulator.paging;

import io.gridsync.emulator.http.ApiError;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code page_token} of paged GETs. It names the sequence number of the first item of
 * the page, so a page stays where it was when items before it are deleted or new ones are added.
 */
public final class PageToken {

    private static final String PREFIX = "p1:";

    private PageToken() {}

    public static String encode(long firstSeq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + firstSeq).getBytes(StandardCharsets.US_ASCII));
    }

    /** The first sequence number a token names; a token this server did not issue is a 400. */
    public static long decode(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            if (s.startsWith(PREFIX)) {
                long seq = Long.parseLong(s.substring(PREFIX.length()));
                if (seq >= 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the 400 below (NumberFormatException is an IllegalArgumentException)
        }
        throw ApiError.badRequest("page_token", "page_token '" + token + "' is not a token this API issued; "
                + "follow the _metadata.next URL of the previous page as it is");
    }
}
