package io.gridsync.core.sendgrid;

import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.http.RateLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The client against the emulator over HTTP: auth, error classification, retries, pacing. */
class SendGridClientTest {

    private static final String KEY = "SG.test-key-0123456789abcdef";
    private Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private SendGridApi api(EmulatorConfig config, Duration timeout) {
        emulator = Emulator.start(config.port(0));
        SendGridClient client = new SendGridClient(URI.create(emulator.baseUrl()), new ApiKey(KEY), timeout,
                new SendGridClient.RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(30)));
        return new SendGridApi(client);
    }

    @Test
    void scopesComeBackForAValidKey() {
        SendGridApi api = api(new EmulatorConfig(), Duration.ofSeconds(5));
        assertThat(api.scopes()).contains("mail.send", "marketing.write");
    }

    @Test
    void aBadKeyIsAPermanent401WhoseMessageNeverShowsTheKey() {
        SendGridApi api = api(new EmulatorConfig().apiKey("SG.other", Set.of("mail.send")), Duration.ofSeconds(5));
        SendGridException e = catchThrowableOfType(SendGridException.class, api::scopes);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.errors()).containsExactly(new SendGridError(null, "authorization required"));
        assertThat(e.getMessage()).contains("GET /v3/scopes answered 401: authorization required").doesNotContain(KEY);
        assertThat(api.client().toString()).doesNotContain(KEY);
        assertThat(emulator.stats().get("GET", "/v3/scopes")).isEqualTo(1); // a 401 is not retried
    }

    @Test
    void transient5xxAreRetriedUntilTheyPass() {
        SendGridApi api = api(new EmulatorConfig().fault("error_503=0.5").fault("error_500=0.2"), Duration.ofSeconds(5));
        AtomicInteger failures = new AtomicInteger();
        int succeeded = 0;
        api.client().setListener((endpoint, status, nanos) -> {
            if (status >= 500) {
                failures.incrementAndGet();
            }
        });
        for (int i = 0; i < 20; i++) {
            try {
                assertThat(api.scopes()).isNotEmpty();
                succeeded++;
            } catch (SendGridException e) {
                // four attempts in a row can all fail at these shares; such a failure must say it is retryable
                assertThat(e.retryable()).isTrue();
                assertThat(e.status()).isIn(500, 503);
            }
        }
        assertThat(failures.get()).isPositive();
        assertThat(succeeded).isGreaterThan(10);
        // every request the emulator saw was either a failure the client retried or a success
        assertThat(emulator.stats().get("GET", "/v3/scopes")).isEqualTo(succeeded + failures.get());
    }

    @Test
    void theClientPacesItselfFromRateLimitHeadersSo429sStayRare() {
        SendGridApi api = api(new EmulatorConfig().rateLimit("scopes", new RateLimiter.Limit(3, 1)), Duration.ofSeconds(5));
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        api.client().setListener((endpoint, status, nanos) -> statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet());
        for (int i = 0; i < 10; i++) {
            assertThat(api.scopes()).isNotEmpty();
        }
        assertThat(statuses.get(200).get()).isEqualTo(10);
        // the first window is learned from the first answer, so at most one call in it can be refused
        assertThat(statuses.getOrDefault(429, new AtomicInteger()).get()).isLessThanOrEqualTo(1);
    }

    @Test
    void a429StormIsWaitedOutAndEveryCallSucceeds() {
        SendGridApi api = api(new EmulatorConfig().fault("rate_limit_429=0.6"), Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            assertThat(api.scopes()).isNotEmpty();
        }
        assertThat(emulator.stats().get("GET", "/v3/scopes")).isGreaterThan(5);
    }

    @Test
    void aLostAnswerIsRetriedForIdempotentCallsAndReportedAsRetryable() {
        EmulatorConfig config = new EmulatorConfig().fault("timeout=1.0");
        config.faultTimeoutDelayMillis = 2_000;
        SendGridApi api = api(config, Duration.ofMillis(200));
        SendGridException e = catchThrowableOfType(SendGridException.class, api::scopes);
        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("no answer within");
        assertThat(emulator.stats().get("GET", "/v3/scopes")).isEqualTo(4);
    }

    @Test
    void anUnreachableHostIsARetryableFailureNamingTheHost() {
        SendGridClient client = new SendGridClient(URI.create("http://127.0.0.1:1"), new ApiKey(KEY), Duration.ofSeconds(2),
                SendGridClient.RetryPolicy.NONE);
        SendGridException e = catchThrowableOfType(SendGridException.class, () -> new SendGridApi(client).scopes());
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("127.0.0.1:1").doesNotContain(KEY);
    }

    @Test
    void endpointSettingsResolve() {
        assertThat(SendGridClient.resolveBaseUrl("global")).isEqualTo(SendGridClient.GLOBAL);
        assertThat(SendGridClient.resolveBaseUrl("EU")).isEqualTo(SendGridClient.EU);
        assertThat(SendGridClient.resolveBaseUrl("http://127.0.0.1:3030").getPort()).isEqualTo(3030);
        assertThatThrownBy(() -> SendGridClient.resolveBaseUrl("api.sendgrid")).hasMessageContaining("global, eu or http");
    }

    @Test
    void idBatchesStayUnderTheUrlLimit() {
        List<String> ids = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> java.util.UUID.randomUUID().toString()).toList();
        List<List<String>> batches = SendGridApi.idBatches(ids, 80);
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(1000);
        assertThat(batches).allSatisfy(b -> assertThat(80 + String.join(",", b).length()).isLessThanOrEqualTo(SendGridApi.MAX_URL_CHARS));
        assertThat(batches.size()).isEqualTo((int) Math.ceil(1000 * 37.0 / (SendGridApi.MAX_URL_CHARS - 80)));
    }

    @Test
    void apiKeysAreMasked() {
        ApiKey k = new ApiKey(KEY);
        assertThat(k.toString()).isEqualTo("SG.****cdef").doesNotContain("test-key");
        assertThatThrownBy(() -> new ApiKey(" ")).hasMessageContaining("must not be empty");
    }
}
