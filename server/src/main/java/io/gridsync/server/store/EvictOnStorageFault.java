package io.gridsync.server.store;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;

/**
 * The pool's rule for connections that saw an error: one that saw a storage fault is closed
 * instead of going back to the pool (see {@link StorageFault} for why); the pool's own rules
 * decide for everything else. HikariCP applies it to every statement of every connection, so no
 * code path can hand a poisoned connection to the next caller.
 */
public final class EvictOnStorageFault implements SQLExceptionOverride {

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return StorageFault.isStorage(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }
}
