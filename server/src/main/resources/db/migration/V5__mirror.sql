-- mirror: runs of the object sync (SendGrid objects pulled into the warehouse) and per-source
-- settings. Portable between SQLite and PostgreSQL; ${id} is the dialect's auto-increment key.
-- Times are epoch milliseconds; rows_synced / rows_deleted / missing_scopes are JSON text.

-- status: queued, running, succeeded, zero_data_synced, invalid_credentials, failed, interrupted
-- trigger_kind: schedule, admin, cli; heartbeat_at moves while a run is alive, so a run whose
-- process died is recognised as abandoned
CREATE TABLE source_runs (
    id              ${id},
    source          TEXT NOT NULL,
    trigger_kind    TEXT NOT NULL,
    status          TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    heartbeat_at    BIGINT NOT NULL,
    rows_synced     TEXT,
    rows_deleted    TEXT,
    error           TEXT,
    missing_scopes  TEXT
);
CREATE INDEX source_runs_source ON source_runs (source, id);
CREATE INDEX source_runs_status ON source_runs (status);

-- what the admin API changed for one source (NULL: the default applies)
CREATE TABLE source_settings (
    source            TEXT PRIMARY KEY,
    schema_name       TEXT,
    interval_seconds  BIGINT,
    enabled           INTEGER,
    updated_at        BIGINT NOT NULL
);
