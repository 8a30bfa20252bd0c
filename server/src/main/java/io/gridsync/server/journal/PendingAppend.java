package io.gridsync.server.journal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One {@link Journal#append} call waiting in the writer's queue. */
record PendingAppend(String writeKey, List<PendingMessage> messages, CompletableFuture<Appended> done) {

    /** Queued after close(): the writer stops when it reaches it (everything before it is written). */
    static final PendingAppend STOP = new PendingAppend("", List.of(), new CompletableFuture<>());
}
