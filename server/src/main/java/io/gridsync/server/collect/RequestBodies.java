package io.gridsync.server.collect;

import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads a request body, gunzipping it when {@code Content-Encoding: gzip}, and refuses bodies over a limit. */
final class RequestBodies {

    /** gzip adds a few bytes per 64 KB even to incompressible data; allow for that in the raw body. */
    private static final int GZIP_SLACK = 1024;

    private RequestBodies() {}

    /**
     * @param limit       most bytes the (decompressed) body may have
     * @param tooLarge    the reason and what to say when it has more
     */
    static byte[] read(Context ctx, int limit, RejectReason tooLarge, String tooLargeMessage) throws IOException {
        String encoding = ctx.header("Content-Encoding");
        boolean gzip = false;
        if (encoding != null && !encoding.isBlank()) {
            String e = encoding.trim().toLowerCase(Locale.ROOT);
            if (e.equals("gzip") || e.equals("x-gzip")) {
                gzip = true;
            } else if (!e.equals("identity")) {
                throw Rejection.badRequest(RejectReason.UNSUPPORTED_ENCODING,
                        "Content-Encoding '" + encoding + "' is not supported; send the body plain or gzip-compressed");
            }
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > (long) limit + (gzip ? GZIP_SLACK : 0)) {
            throw Rejection.badRequest(tooLarge, tooLargeMessage);
        }
        byte[] raw = readAtMost(ctx.req().getInputStream(), limit + (gzip ? GZIP_SLACK : 0), tooLarge, tooLargeMessage);
        if (!gzip) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 8192)) {
            return readAtMost(in, limit, tooLarge, tooLargeMessage);
        } catch (ZipException | java.io.EOFException e) {
            throw Rejection.badRequest(RejectReason.INVALID_GZIP,
                    "the body is not valid gzip (Content-Encoding: gzip): " + e.getMessage());
        }
    }

    private static byte[] readAtMost(InputStream in, int limit, RejectReason tooLarge, String message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 16 * 1024));
        byte[] buf = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > limit) {
                throw Rejection.badRequest(tooLarge, message);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
