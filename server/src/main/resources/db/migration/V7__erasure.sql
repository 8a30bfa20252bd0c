-- erasure (io.gridsync.server.erasure): requests to erase a person everywhere, and the suppression
-- list of their identifiers. Portable between SQLite and PostgreSQL; times are epoch milliseconds.
-- No identifier is stored in clear: identifier_hashes and erased_identifiers hold HMAC-SHA-256
-- hashes (key derived from the master key); identifiers_sealed holds the identifiers sealed with
-- the master key while the work runs, and is set to NULL when it ends.

-- status: pending, running, done, failed; counts and errors are JSON text
CREATE TABLE erasures (
    id                  TEXT PRIMARY KEY,
    status              TEXT NOT NULL,
    identifier_hashes   TEXT NOT NULL,
    identifiers_sealed  TEXT,
    sendgrid_erase_job  INTEGER NOT NULL,
    counts              TEXT NOT NULL,
    errors              TEXT NOT NULL,
    attempts            INTEGER NOT NULL,
    next_at             BIGINT NOT NULL,
    lease_owner         TEXT,
    lease_until         BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    finished_at         BIGINT
);
CREATE INDEX erasures_due ON erasures (status, next_at);

-- one row per erased identifier (type and value, hashed): later messages carrying it are dropped
CREATE TABLE erased_identifiers (
    hash        TEXT PRIMARY KEY,
    erasure_id  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
