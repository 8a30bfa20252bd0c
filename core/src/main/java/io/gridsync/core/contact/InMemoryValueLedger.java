package io.gridsync.core.contact;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** A {@link ValueLedger} in memory: for tests and one-shot runs. */
public final class InMemoryValueLedger implements ValueLedger {

    private final Map<String, BigDecimal> totals = new HashMap<>();
    private final Set<String> applied = new HashSet<>();

    @Override
    public synchronized BigDecimal addOnce(String contactKey, String key, String messageId, BigDecimal amount) {
        String total = contactKey + "|" + key;
        if (applied.add(total + "|" + messageId)) {
            totals.merge(total, amount, BigDecimal::add);
        }
        return totals.getOrDefault(total, BigDecimal.ZERO);
    }
}
