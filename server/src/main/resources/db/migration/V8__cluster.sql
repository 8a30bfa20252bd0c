-- cluster (io.gridsync.server.cluster): several hubs sharing one PostgreSQL (docs/cluster.md).
-- Portable between SQLite and PostgreSQL; times are epoch milliseconds.

-- every hub that started on this database, with its heartbeat (GET /v1/admin/nodes) and the
-- once-per-cluster work it ran at its last beat (comma-separated: routing, retention, ...)
CREATE TABLE nodes (
    id          TEXT PRIMARY KEY,
    host        TEXT NOT NULL,
    pid         BIGINT NOT NULL,
    version     TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL,
    stopped_at  BIGINT,
    runs        TEXT NOT NULL DEFAULT ''
);

-- grows by one with every admin change; each node reloads what it caches when it moves
CREATE TABLE config_version (
    id       INTEGER PRIMARY KEY,
    version  BIGINT NOT NULL
);
INSERT INTO config_version (id, version) VALUES (1, 0);

-- the node that made each delivery attempt (a job delivered by two nodes shows in the attempt log)
ALTER TABLE attempts ADD COLUMN node TEXT;

-- one SendGrid budget for the cluster: each account's rate-limit window per endpoint family, as the
-- last answer said, decremented by every node's calls (account: a hash of the endpoint and API key)
CREATE TABLE rate_limits (
    account    TEXT NOT NULL,
    family     TEXT NOT NULL,
    lim        INTEGER NOT NULL,
    remaining  INTEGER NOT NULL,
    reset_at   BIGINT NOT NULL,
    PRIMARY KEY (account, family)
);
