package io.gridsync.emulator.paging;

import io.gridsync.emulator.http.ApiError;
import io.javalin.http.Context;

/**
 * The {@code page_size} and {@code page_token} query parameters of a paged GET, checked.
 *
 * @param size     items per page
 * @param fromSeq  the sequence number the page starts at (0 for the first page)
 * @param token    the token as given, or null on the first page
 */
public record PageRequest(int size, long fromSeq, String token) {

    /**
     * Reads the parameters; a missing (when required), non-integer or out-of-range {@code page_size}
     * and a foreign {@code page_token} are 400s that say what is accepted.
     */
    public static PageRequest parse(Context ctx, int defaultSize, int maxSize, boolean sizeRequired) {
        String rawSize = ctx.queryParam("page_size");
        int size;
        if (rawSize == null || rawSize.isEmpty()) {
            if (sizeRequired) {
                throw ApiError.badRequest("page_size", "page_size is required: an integer from 1 to " + maxSize);
            }
            size = defaultSize;
        } else {
            size = parseSize(rawSize, maxSize);
        }
        String token = ctx.queryParam("page_token");
        if (token == null || token.isEmpty()) {
            return new PageRequest(size, 0, null);
        }
        return new PageRequest(size, PageToken.decode(token), token);
    }

    private static int parseSize(String raw, int maxSize) {
        long n;
        try {
            // SendGrid's specs type page_size as a number; 10 and 10.0 are the same page size
            double d = Double.parseDouble(raw);
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            n = (long) d;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("page_size", "page_size must be an integer from 1 to " + maxSize + ", got '" + raw + "'");
        }
        if (n < 1 || n > maxSize) {
            throw ApiError.badRequest("page_size", "page_size must be from 1 to " + maxSize + ", got " + n);
        }
        return (int) n;
    }
}
