package io.gridsync.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Decides, per /v3 request, whether to answer with an injected fault instead of the real answer:
 * a 500, 503 or 429, a response delayed past the client's timeout, or a connection cut mid-response.
 * Shares are fractions in [0,1]; they are settable by flag and at runtime through /_emulator/faults.
 */
public final class FaultInjector {

    public enum Fault {
        ERROR_500("error_500"), ERROR_503("error_503"), RATE_LIMIT_429("rate_limit_429"),
        TIMEOUT("timeout"), CONNECTION_RESET("connection_reset");

        public final String key;

        Fault(String key) {
            this.key = key;
        }

        public static Fault byKey(String key) {
            for (Fault f : values()) {
                if (f.key.equals(key)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown fault '" + key + "'; known: error_500, error_503, "
                    + "rate_limit_429, timeout, connection_reset");
        }
    }

    private final Map<Fault, Double> shares = new LinkedHashMap<>();
    private volatile long timeoutDelayMillis;
    private final Random random;

    public FaultInjector(long seed, long timeoutDelayMillis) {
        this.random = new Random(seed);
        this.timeoutDelayMillis = timeoutDelayMillis;
    }

    /** Parses {@code error_500=0.1} as given to {@code --fault}. */
    public synchronized void set(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("a fault is given as NAME=SHARE, e.g. error_503=0.05");
        }
        set(Fault.byKey(spec.substring(0, eq).trim()), Double.parseDouble(spec.substring(eq + 1).trim()));
    }

    public synchronized void set(Fault fault, double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("a fault share is a fraction between 0 and 1, got " + share);
        }
        if (share == 0) {
            shares.remove(fault);
        } else {
            shares.put(fault, share);
        }
        double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total > 1.0000001) {
            shares.remove(fault);
            throw new IllegalArgumentException("fault shares add up to more than 1");
        }
    }

    public synchronized void clear() {
        shares.clear();
    }

    public long timeoutDelayMillis() {
        return timeoutDelayMillis;
    }

    /** The fault for the next request, or null to answer normally. */
    public synchronized Fault next() {
        if (shares.isEmpty()) {
            return null;
        }
        double r = random.nextDouble();
        double acc = 0;
        for (Map.Entry<Fault, Double> e : shares.entrySet()) {
            acc += e.getValue();
            if (r < acc) {
                return e.getKey();
            }
        }
        return null;
    }

    public synchronized ObjectNode toJson() {
        ObjectNode out = Json.object();
        ObjectNode s = out.putObject("shares");
        for (Fault f : Fault.values()) {
            s.put(f.key, shares.getOrDefault(f, 0.0));
        }
        out.put("timeout_delay_ms", timeoutDelayMillis);
        return out;
    }

    /** Applies {@code {"shares":{...},"timeout_delay_ms":...}}; shares not named are left as they are. */
    public synchronized void apply(JsonNode body) {
        JsonNode s = body.has("shares") ? body.get("shares") : body;
        s.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("timeout_delay_ms")) {
                if (!e.getValue().isNumber()) {
                    throw ApiError.badRequest(e.getKey(), "a fault share must be a number between 0 and 1");
                }
                try {
                    set(Fault.byKey(e.getKey()), e.getValue().asDouble());
                } catch (IllegalArgumentException ex) {
                    throw ApiError.badRequest(e.getKey(), ex.getMessage());
                }
            }
        });
        JsonNode delay = body.get("timeout_delay_ms");
        if (delay != null) {
            if (!delay.canConvertToLong() || delay.asLong() < 0) {
                throw ApiError.badRequest("timeout_delay_ms", "timeout_delay_ms must be a non-negative integer");
            }
            timeoutDelayMillis = delay.asLong();
        }
    }
}
