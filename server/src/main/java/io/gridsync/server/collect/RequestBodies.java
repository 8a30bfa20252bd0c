package io.gridsync.server.collect;

import io.gridsync.server.http.BodyReader;
import io.gridsync.server.http.BodyRefused;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body with {@link BodyReader} (no thread held while it arrives, stopped at the
 * limit), gunzipping it when {@code Content-Encoding: gzip}; the limit holds after gunzip too.
 */
final class RequestBodies {

    /** gzip adds a few bytes per 64 KB even to incompressible data; allow for that in the raw body. */
    private static final int GZIP_SLACK = 1024;

    private RequestBodies() {}

    /**
     * Fails with a {@link Rejection}: 413 with {@code tooLarge} and its message over the limit, 408
     * when the body is too slow, 503 when the hub holds too many bodies, 400 when it is not readable.
     *
     * @param limit most bytes the (decompressed) body may have
     */
    static CompletableFuture<byte[]> read(Context ctx, int limit, RejectReason tooLarge, String tooLargeMessage) {
        boolean gzip;
        try {
            gzip = gzipped(ctx.header("Content-Encoding"));
        } catch (Rejection r) {
            return CompletableFuture.failedFuture(r);
        }
        return BodyReader.read(ctx, limit + (gzip ? GZIP_SLACK : 0)).handle((raw, error) -> {
            if (error != null) {
                throw refusal(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error,
                        tooLarge, tooLargeMessage);
            }
            if (!gzip) {
                return raw;
            }
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 8192)) {
                return readAtMost(in, limit, tooLarge, tooLargeMessage);
            } catch (ZipException | java.io.EOFException e) {
                throw Rejection.badRequest(RejectReason.INVALID_GZIP,
                        "the body is not valid gzip (Content-Encoding: gzip): " + e.getMessage());
            } catch (IOException e) {
                throw Rejection.badRequest(RejectReason.INVALID_GZIP, "the gzip body could not be read: " + e.getMessage());
            }
        });
    }

    /** Checked before the body is read: an encoding we cannot read is refused at once. */
    private static boolean gzipped(String encoding) {
        if (encoding == null || encoding.isBlank()) {
            return false;
        }
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        if (e.equals("gzip") || e.equals("x-gzip")) {
            return true;
        }
        if (e.equals("identity")) {
            return false;
        }
        throw Rejection.badRequest(RejectReason.UNSUPPORTED_ENCODING,
                "Content-Encoding '" + encoding + "' is not supported; send the body plain or gzip-compressed");
    }

    private static Rejection refusal(Throwable error, RejectReason tooLarge, String tooLargeMessage) {
        if (error instanceof Rejection r) {
            return r;
        }
        if (error instanceof BodyRefused b) {
            return switch (b.status) {
                case 413 -> Rejection.tooLarge(tooLarge, tooLargeMessage);
                case 408 -> Rejection.of(408, RejectReason.BODY_TIMEOUT, b.getMessage());
                default -> Rejection.of(b.status, RejectReason.BUSY, b.getMessage());
            };
        }
        return Rejection.badRequest(RejectReason.INVALID_JSON, "the body could not be read: " + error.getMessage());
    }

    private static byte[] readAtMost(InputStream in, int limit, RejectReason tooLarge, String message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 16 * 1024));
        byte[] buf = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > limit) {
                throw Rejection.tooLarge(tooLarge, message); // a gzip bomb stops here, at the limit
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
