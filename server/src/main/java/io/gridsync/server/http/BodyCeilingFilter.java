package io.gridsync.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One ceiling on every route's body, chunked included: a declared Content-Length over it is
 * answered 413 before any handler runs, and reading past it (however the handler reads) throws
 * {@link BodyRefused}. Routes with smaller limits check their own on top (tracking API, webhook).
 */
final class BodyCeilingFilter implements Filter {

    private final long ceiling;

    BodyCeilingFilter(long ceiling) {
        this.ceiling = ceiling;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        if (req.getContentLengthLong() > ceiling) {
            HttpServletResponse res = (HttpServletResponse) response;
            res.setStatus(413);
            ConnectionCut.afterAnswer(req, res); // the body is not read
            res.setContentType("application/json");
            String message = BodyRefused.tooLarge(ceiling).getMessage();
            res.getOutputStream().write(("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(new Limited(req, ceiling), response);
    }

    /** The request with its body stream counted. */
    private static final class Limited extends HttpServletRequestWrapper {
        private final long ceiling;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long ceiling) {
            super(request);
            this.ceiling = ceiling;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), ceiling);
            }
            return stream;
        }
    }

    /** Delegates, and throws once more than the ceiling has been read. */
    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long ceiling;
        private long read;

        CountingStream(ServletInputStream in, long ceiling) {
            this.in = in;
            this.ceiling = ceiling;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyRefused {
            read += n;
            if (read > ceiling) {
                throw BodyRefused.tooLarge(ceiling);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
