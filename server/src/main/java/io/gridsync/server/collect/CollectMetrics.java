package io.gridsync.server.collect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Map;

/**
 * The tracking API's meters: {@code gridsync.collect.events.accepted}, {@code .events.duplicates},
 * {@code .requests.rejected{reason}} and {@code gridsync.collect.append.latency} (from the append
 * to its commit).
 */
final class CollectMetrics {

    private final Counter accepted;
    private final Counter duplicates;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Timer appendLatency;

    CollectMetrics(MeterRegistry registry) {
        accepted = Counter.builder("gridsync.collect.events.accepted").description("messages stored in the journal")
                .register(registry);
        duplicates = Counter.builder("gridsync.collect.events.duplicates")
                .description("messages acknowledged but not stored: their messageId was seen within the window").register(registry);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(r, Counter.builder("gridsync.collect.requests.rejected").description("requests refused")
                    .tag("reason", r.tag()).register(registry));
        }
        appendLatency = Timer.builder("gridsync.collect.append.latency").description("from append to the commit holding it")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void stored(int acceptedCount, int duplicateCount, long appendNanos) {
        accepted.increment(acceptedCount);
        duplicates.increment(duplicateCount);
        appendLatency.record(appendNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }
}
