package io.gridsync.server.http;

import io.javalin.http.Context;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.eclipse.jetty.http.BadMessageException;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a request body without holding a thread while its bytes arrive (servlet non-blocking
 * reads), so a client trickling one byte every few seconds costs a connection and a small buffer,
 * not a request thread. Reading stops as soon as the body passes its limit, when it has not
 * arrived within {@link HttpLimits#BODY_READ_TIMEOUT}, or when the bodies being received by the
 * whole process would hold more than {@link HttpLimits#BODY_BUFFER_BUDGET}; the future then fails
 * with {@link BodyRefused}. Call it inside {@code ctx.future(...)}, where the request is async.
 */
public final class BodyReader {

    private static final int FIRST_BUFFER = 16 * 1024;
    private static final AtomicLong BUFFERED = new AtomicLong();
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private BodyReader() {}

    /** The whole body, at most {@code limit} bytes. */
    public static CompletableFuture<byte[]> read(Context ctx, int limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            return CompletableFuture.failedFuture(BodyRefused.tooLarge(limit));
        }
        if (declared == 0) {
            return CompletableFuture.completedFuture(new byte[0]);
        }
        try {
            ServletInputStream in = ctx.req().getInputStream();
            Reading reading = new Reading(in, limit, declared);
            in.setReadListener(reading);
            return reading.done;
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Bytes held by bodies being received right now (for tests and metrics). */
    public static long buffered() {
        return BUFFERED.get();
    }

    private static final class Reading implements ReadListener {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ServletInputStream in;
        private final int limit;
        private final ScheduledFuture<?> timeout;
        private byte[] buffer;
        private int size;
        private long reserved;
        private boolean released;

        Reading(ServletInputStream in, int limit, long declared) throws BodyRefused {
            this.in = in;
            this.limit = limit;
            // one byte past the limit is room enough to see that it was passed
            int first = (int) Math.min(limit + 1L, declared > 0 ? Math.min(declared + 1, FIRST_BUFFER) : FIRST_BUFFER);
            reserve(first);
            buffer = new byte[first];
            timeout = TIMER.schedule(() -> done.completeExceptionally(BodyRefused.tooSlow()),
                    HttpLimits.BODY_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            done.whenComplete((body, error) -> {
                timeout.cancel(false);
                release();
            });
        }

        @Override
        public void onDataAvailable() {
            try {
                while (!done.isDone() && in.isReady()) {
                    if (size == buffer.length) {
                        grow();
                    }
                    int n = in.read(buffer, size, buffer.length - size);
                    if (n < 0) {
                        return; // onAllDataRead follows
                    }
                    size += n;
                    if (size > limit) {
                        throw BodyRefused.tooLarge(limit);
                    }
                }
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(tooSlow(e) ? BodyRefused.tooSlow() : e);
            }
        }

        @Override
        public void onAllDataRead() {
            done.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(tooSlow(t) ? BodyRefused.tooSlow() : t);
        }

        /** Jetty's idle timeout, or its minimum data rate (a 408 BadMessageException, maybe wrapped). */
        private static boolean tooSlow(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof TimeoutException || (c instanceof BadMessageException b && b.getCode() == 408)) {
                    return true;
                }
            }
            return false;
        }

        private void grow() throws BodyRefused {
            int next = (int) Math.min(limit + 1L, buffer.length * 2L);
            reserve(next - buffer.length);
            buffer = Arrays.copyOf(buffer, next);
        }

        /** Synchronized with {@link #release}: a buffer grown on Jetty's thread as the timeout fires is still given back. */
        private synchronized void reserve(long bytes) throws BodyRefused {
            if (released) {
                throw BodyRefused.busy(); // the read is already over; nothing more is taken
            }
            if (BUFFERED.addAndGet(bytes) > HttpLimits.BODY_BUFFER_BUDGET) {
                BUFFERED.addAndGet(-bytes);
                throw BodyRefused.busy();
            }
            reserved += bytes;
        }

        private synchronized void release() {
            if (!released) {
                released = true;
                BUFFERED.addAndGet(-reserved);
            }
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "gridsync-body-timeout");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // most reads finish long before their timeout
        return t;
    }
}
