-- audiences: a SendGrid list kept in step with an audience (Engage events, the audience API,
-- cohort syncs). Keyed by integration (or 'cli' for the command line's own account) and audience key.
CREATE TABLE audiences (
    integration_id  TEXT NOT NULL,
    audience_key    TEXT NOT NULL,
    list_name       TEXT NOT NULL,
    list_id         TEXT,
    origin          TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    last_sync_at    BIGINT,
    last_outcome    TEXT,
    last_summary    TEXT,
    locked_by       TEXT,
    locked_until    BIGINT,
    PRIMARY KEY (integration_id, audience_key)
);

-- one row per audience and person (email, lower-case): whether they should be in the list
-- (desired) and whether they are, as far as gridsync knows (in_list). A change is a transition
-- between the two. fields_hash: hash of the fields last sent by a cohort sync, to see updates.
-- pending: the audience API asked for a change the worker has not applied yet (pending_fields
-- holds the fields to send); revision grows with every such request.
CREATE TABLE audience_members (
    integration_id  TEXT NOT NULL,
    audience_key    TEXT NOT NULL,
    email           TEXT NOT NULL,
    desired         INTEGER NOT NULL,
    in_list         INTEGER NOT NULL,
    fields_hash     BIGINT,
    pending         INTEGER NOT NULL,
    pending_fields  TEXT,
    revision        BIGINT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_at         BIGINT NOT NULL,
    last_error      TEXT,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (integration_id, audience_key, email)
);
CREATE INDEX audience_members_pending ON audience_members (pending, next_at);

-- every cohort sync that ran (dry runs are not recorded): counts and the JSON report
CREATE TABLE audience_runs (
    id              ${id},
    integration_id  TEXT NOT NULL,
    audience_key    TEXT NOT NULL,
    sync_id         TEXT,
    run_trigger     TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    finished_at     BIGINT NOT NULL,
    outcome         TEXT NOT NULL,
    adds            BIGINT NOT NULL,
    removes         BIGINT NOT NULL,
    updates         BIGINT NOT NULL,
    unchanged       BIGINT NOT NULL,
    skipped         BIGINT NOT NULL,
    failed          BIGINT NOT NULL,
    report          TEXT NOT NULL
);
CREATE INDEX audience_runs_audience ON audience_runs (integration_id, audience_key, id);

-- scheduled cohort syncs (once, hourly, daily); the JDBC URL and password are sealed
CREATE TABLE audience_syncs (
    id                    TEXT PRIMARY KEY,
    integration_id        TEXT NOT NULL,
    audience_key          TEXT NOT NULL,
    csv_path              TEXT,
    jdbc_url_sealed       TEXT,
    jdbc_user             TEXT,
    jdbc_password_sealed  TEXT,
    jdbc_query            TEXT,
    list_name             TEXT,
    field_map             TEXT NOT NULL,
    reconcile             INTEGER NOT NULL,
    schedule              TEXT NOT NULL,
    enabled               INTEGER NOT NULL,
    next_run_at           BIGINT,
    last_run_at           BIGINT,
    last_outcome          TEXT,
    created_at            BIGINT NOT NULL
);
CREATE INDEX audience_syncs_due ON audience_syncs (enabled, next_run_at);
