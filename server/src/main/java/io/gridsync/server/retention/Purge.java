package io.gridsync.server.retention;

/**
 * One kind of state that retention removes, a chunk at a time: each chunk is one short transaction,
 * so the journal's writer waits at most for one chunk, never for a whole pass.
 */
interface Purge {

    /** A pass begins (a purge that walks its table keeps its place between the chunks of one pass). */
    default void startPass() {}

    /** Removes up to about {@code limit} rows that are past their retention at {@code now} (epoch ms). */
    Removed removeChunk(long now, int limit);
}
