package io.gridsync.core.contact;

import java.math.BigDecimal;

/**
 * Running totals per contact (lifetime value), each message added at most once, so a retried
 * delivery never counts an order twice. The server persists it.
 */
public interface ValueLedger {

    /**
     * Adds {@code amount} to the contact's total for {@code key} unless {@code messageId} was already
     * added, and returns the total after.
     */
    BigDecimal addOnce(String contactKey, String key, String messageId, BigDecimal amount);
}
