package io.gridsync.server.retention;

import io.gridsync.server.health.DiskSpace;
import io.gridsync.server.store.Database;
import io.gridsync.server.store.Dialect;
import io.gridsync.server.warehouse.Warehouse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.function.ToDoubleFunction;

/**
 * Disk use in /metrics, read at each scrape: the state database (SQLite file + WAL, or PostgreSQL's
 * pg_database_size), the warehouse, and the free space of the data directory's file system. A value
 * that cannot be read is NaN, and the scrape goes on.
 */
public final class StorageGauges {

    private static final Logger log = LoggerFactory.getLogger(StorageGauges.class);

    private StorageGauges() {}

    /** @param disk the data directory's filesystem, as /healthz reads it */
    public static void register(MeterRegistry metrics, Database db, Warehouse warehouse, DiskSpace disk) {
        Path stateFile = db.dialect() == Dialect.SQLITE ? SqliteSpace.file(db) : null;
        gauge(metrics, "gridsync_state_database_bytes", "Bytes the state database takes on disk (SQLite: file + WAL; "
                + "PostgreSQL: pg_database_size)", db, d -> stateBytes(d, stateFile));
        if (warehouse != null) {
            gauge(metrics, "gridsync_warehouse_bytes", "Bytes the warehouse takes on disk (SQLite or DuckDB files; "
                    + "PostgreSQL: pg_database_size)", warehouse, w -> w.diskBytes());
        }
        gauge(metrics, "gridsync_data_dir_free_bytes", "Bytes free for the hub on the file system of its data directory",
                disk, d -> {
                    long free = d.freeBytes();
                    if (free < 0) {
                        throw new IOException("cannot read the free space of " + d.dir());
                    }
                    return free;
                });
    }

    /** What the state database takes: on SQLite its file and WAL, on PostgreSQL the database's size. */
    public static long stateBytes(Database db, Path sqliteFile) {
        if (db.dialect() == Dialect.SQLITE) {
            return sqliteFile == null ? 0 : SqliteSpace.sizeOf(sqliteFile) + SqliteSpace.sizeOf(Path.of(sqliteFile + "-wal"));
        }
        return db.query(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private interface Reading<T> {
        long read(T source) throws Exception;
    }

    private static <T> void gauge(MeterRegistry metrics, String name, String help, T source, Reading<T> reading) {
        ToDoubleFunction<T> f = s -> {
            try {
                return reading.read(s);
            } catch (Exception e) {
                log.debug("{} cannot be read: {}", name, e.toString());
                return Double.NaN;
            }
        };
        Gauge.builder(name, source, f).description(help).strongReference(true).register(metrics);
    }
}
