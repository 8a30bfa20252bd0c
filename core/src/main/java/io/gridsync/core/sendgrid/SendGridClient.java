package io.gridsync.core.sendgrid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way gridsync talks to SendGrid (or the emulator): JDK HttpClient, bearer auth, pacing
 * from the rate-limit headers, bounded retries of transient failures, errors classified as
 * retryable or permanent. Typed endpoint calls live in {@link SendGridApi}; this class moves bytes.
 */
public final class SendGridClient {

    private static final Logger log = LoggerFactory.getLogger(SendGridClient.class);
    public static final URI GLOBAL = URI.create("https://api.sendgrid.com");
    public static final URI EU = URI.create("https://api.eu.sendgrid.com");
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** How many times and how patiently a transient failure is retried inside one call. */
    public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRateLimitWait) {
        public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(65));
        public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    private final URI baseUrl;
    private final ApiKey apiKey;
    private final HttpClient http;
    private final Duration timeout;
    private final RetryPolicy retry;
    private volatile RateLimitPacer pacer = new RateLimitPacer();
    private volatile SendGridListener listener = SendGridListener.NONE;

    public SendGridClient(URI baseUrl, ApiKey apiKey) {
        this(baseUrl, apiKey, Duration.ofSeconds(30), RetryPolicy.DEFAULT);
    }

    public SendGridClient(URI baseUrl, ApiKey apiKey, Duration timeout, RetryPolicy retry) {
        String s = baseUrl.toString();
        this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.retry = retry;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** {@code global}, {@code eu}, or a URL such as the emulator's {@code http://127.0.0.1:3030}. */
    public static URI resolveBaseUrl(String setting) {
        if (setting == null || setting.isBlank() || setting.equalsIgnoreCase("global")) {
            return GLOBAL;
        }
        if (setting.equalsIgnoreCase("eu")) {
            return EU;
        }
        URI uri = URI.create(setting.trim());
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("SendGrid endpoint '" + setting + "' is not a URL; use global, eu or http(s)://host[:port]");
        }
        return uri;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public void setListener(SendGridListener listener) {
        this.listener = listener == null ? SendGridListener.NONE : listener;
    }

    /** Paces calls by rate-limit windows kept elsewhere: the hubs of a cluster share one account's budget. */
    public void pacedBy(RateLimitPacer.Windows windows) {
        this.pacer = new RateLimitPacer(windows);
    }

    /**
     * Sends one request and returns its 2xx answer, retrying transient failures per the policy.
     * {@code idempotent} says whether a request whose answer was lost (timeout, reset) may be sent
     * again: upserts and deletes may; creating a list or sending mail may not, so those failures
     * are reported to the caller, who knows how to check what happened.
     *
     * @param template {@code /v3/marketing/lists/{id}}, for counting and pacing
     * @param path     the concrete path and query, e.g. {@code /v3/marketing/lists/abc?page_size=10}
     */
    public SendGridResponse send(String method, String template, String path, byte[] body, boolean idempotent) {
        String endpoint = method + " " + template;
        String family = familyOf(template);
        int attempt = 0;
        long backoff = retry.initialBackoff().toMillis();
        long rateLimitWaited = 0;
        while (true) {
            attempt++;
            RateLimitPacer.Turn turn = pacer.reserve(family);
            while (!turn.taken()) {
                sleep(turn.waitMillis()); // the window is used up: this call is counted in the next one
                turn = pacer.reserve(family);
            }
            if (turn.waitMillis() > 0) {
                sleep(turn.waitMillis());
            }
            SendGridException failure;
            try {
                return exchange(method, endpoint, family, path, body);
            } catch (SendGridException e) {
                failure = e;
            }
            boolean answerLost = failure.status() == 0;
            if (!failure.retryable() || (answerLost && !idempotent)) {
                throw failure;
            }
            if (failure.status() == 429) {
                // a 429 is not an error of ours: wait for the window, within a bound of its own
                long until = failure.retryAt() == null ? 1000 : Math.max(50, failure.retryAt().toEpochMilli() - System.currentTimeMillis() + 50);
                if (rateLimitWaited + until > retry.maxRateLimitWait().toMillis()) {
                    throw failure;
                }
                rateLimitWaited += until;
                log.debug("{} rate limited; waiting {} ms for the window to reset", endpoint, until);
                sleep(until);
                attempt--; // waiting out a 429 does not use up an attempt
                continue;
            }
            if (attempt >= retry.maxAttempts()) {
                throw failure;
            }
            long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            log.debug("{} failed ({}); retry {} of {} in {} ms", endpoint, failure.getMessage(), attempt, retry.maxAttempts() - 1, jittered);
            sleep(jittered);
            backoff = Math.min(backoff * 2, retry.maxBackoff().toMillis());
        }
    }

    /** Convenience for JSON bodies. */
    public SendGridResponse send(String method, String template, String path, JsonNode body, boolean idempotent) {
        return send(method, template, path, body == null ? null : toBytes(body), idempotent);
    }

    /**
     * Downloads a URL SendGrid handed out (export files, import error files). Those URLs are
     * pre-signed and carry no API key; they are fetched only over http(s).
     */
    public InputStream download(URI url) {
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("refusing to download from " + url.getScheme() + " URL");
        }
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            listener.onExchange("GET download", r.statusCode(), System.nanoTime() - start);
            if (r.statusCode() / 100 != 2) {
                r.body().close();
                throw new SendGridException("GET download", r.statusCode(), List.of(),
                        SendGridException.isRetryableStatus(r.statusCode()), null, "download of " + url.getHost() + url.getPath(), null);
            }
            return r.body();
        } catch (IOException e) {
            throw new SendGridException("GET download", 0, List.of(), true, null, e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendGridException("GET download", 0, List.of(), true, null, "interrupted", e);
        }
    }

    private SendGridResponse exchange(String method, String endpoint, String family, String path, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey.reveal())
                .header("Accept", "application/json")
                .header("User-Agent", "gridsync/0.1");
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        long start = System.nanoTime();
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            listener.onExchange(endpoint, 0, System.nanoTime() - start);
            throw new SendGridException(endpoint, 0, List.of(), true, null, "no answer within " + timeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            listener.onExchange(endpoint, 0, System.nanoTime() - start);
            throw new SendGridException(endpoint, 0, List.of(), true, null, "cannot connect to " + baseUrl.getHost() + ":" + port(), e);
        } catch (IOException e) {
            listener.onExchange(endpoint, 0, System.nanoTime() - start);
            throw new SendGridException(endpoint, 0, List.of(), true, null, "connection failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendGridException(endpoint, 0, List.of(), true, null, "interrupted", e);
        }
        int status = r.statusCode();
        listener.onExchange(endpoint, status, System.nanoTime() - start);
        pacer.observe(family, r.headers());
        JsonNode json = parse(r.body());
        if (status / 100 == 2) {
            return new SendGridResponse(status, json, r.headers());
        }
        Instant retryAt = null;
        if (status == 429) {
            retryAt = r.headers().firstValue("X-RateLimit-Reset").map(v -> {
                try {
                    return Instant.ofEpochSecond(Long.parseLong(v.trim()));
                } catch (NumberFormatException e) {
                    return null;
                }
            }).orElse(Instant.now().plusSeconds(1));
            pacer.exhausted(family, retryAt.toEpochMilli());
        }
        throw new SendGridException(endpoint, status, errorsOf(json), SendGridException.isRetryableStatus(status), retryAt,
                json.isMissingNode() && r.body().length > 0 ? snippet(r.body()) : null, null);
    }

    private int port() {
        return baseUrl.getPort() > 0 ? baseUrl.getPort() : ("https".equals(baseUrl.getScheme()) ? 443 : 80);
    }

    static List<SendGridError> errorsOf(JsonNode json) {
        List<SendGridError> out = new ArrayList<>();
        JsonNode errors = json.path("errors");
        if (errors.isArray()) {
            for (JsonNode e : errors) {
                JsonNode field = e.get("field");
                out.add(new SendGridError(field == null || field.isNull() ? null : field.asText(), e.path("message").asText("")));
            }
        } else if (errors.isObject()) {
            out.add(new SendGridError(errors.path("field").isNull() ? null : errors.path("field").asText(null), errors.path("message").asText("")));
        }
        return out;
    }

    /** The size only: a body that is not SendGrid's JSON error is the remote side's text, and errors are shown to admin readers. */
    private static String snippet(byte[] body) {
        return "an answer that is not SendGrid's JSON (" + body.length + " bytes)";
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode n = MAPPER.readTree(body);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    static byte[] toBytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The rate-limit family of a path template, the resource after /v3 (and /v3/marketing). */
    static String familyOf(String template) {
        String[] parts = template.split("/");
        int i = parts.length > 3 && parts[2].equals("marketing") ? 3 : 2;
        return parts.length > i ? parts[i] : "v3";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendGridException("sleep", 0, List.of(), true, null, "interrupted while waiting to retry", e);
        }
    }

    @Override
    public String toString() {
        return "SendGridClient[" + baseUrl + ", key " + apiKey.masked() + "]";
    }
}
