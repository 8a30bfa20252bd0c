package io.gridsync.server.source;

/**
 * What one collection's sync did.
 *
 * @param rows     rows upserted (every object SendGrid has)
 * @param deleted  rows newly marked deleted: in the table, no longer in SendGrid
 * @param dataRows of {@code rows}, those that are the account's own data (not the reserved field definitions every account has)
 */
record CollectionResult(long rows, long deleted, long dataRows) {}
