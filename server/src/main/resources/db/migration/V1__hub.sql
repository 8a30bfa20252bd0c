-- gridsync hub state. Portable between SQLite and PostgreSQL; ${id} is the dialect's
-- auto-increment key (see io.gridsync.server.store.Dialect). Times are epoch milliseconds.

-- collect: write keys and the journal of accepted messages
CREATE TABLE write_keys (
    write_key   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE messages (
    seq          ${id},
    message_id   TEXT NOT NULL,
    write_key    TEXT NOT NULL,
    type         TEXT NOT NULL,
    person_key   TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX messages_received ON messages (received_at);

-- messageId de-duplication over a window (rows older than the window are purged)
CREATE TABLE message_ids (
    message_id   TEXT PRIMARY KEY,
    received_at  BIGINT NOT NULL
);
CREATE INDEX message_ids_received ON message_ids (received_at);

-- deliver: integrations, their subscriptions, and the router's position in the journal
CREATE TABLE integrations (
    id                     TEXT PRIMARY KEY,
    name                   TEXT NOT NULL UNIQUE,
    variant                TEXT NOT NULL,
    delivery_mode          TEXT NOT NULL,
    endpoint               TEXT NOT NULL,
    api_key_sealed         TEXT NOT NULL,
    default_list_id        TEXT,
    consent_category       TEXT NOT NULL,
    create_missing_fields  INTEGER NOT NULL,
    email_preset           TEXT,
    enabled                INTEGER NOT NULL,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);

CREATE TABLE subscriptions (
    integration_id  TEXT NOT NULL,
    name            TEXT NOT NULL,
    trigger_expr    TEXT NOT NULL,
    action          TEXT NOT NULL,
    mapping         TEXT,
    enabled         INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    PRIMARY KEY (integration_id, name)
);

CREATE TABLE cursors (
    name  TEXT PRIMARY KEY,
    seq   BIGINT NOT NULL
);

-- one job per message and subscription; state: pending, done, dead, blocked
CREATE TABLE jobs (
    id              ${id},
    integration_id  TEXT NOT NULL,
    subscription    TEXT NOT NULL,
    action          TEXT NOT NULL,
    person_key      TEXT NOT NULL,
    message_seq     BIGINT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_at         BIGINT NOT NULL,
    lease_owner     TEXT,
    lease_until     BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (integration_id, subscription, message_seq)
);
CREATE INDEX jobs_due ON jobs (integration_id, state, next_at);
CREATE INDEX jobs_person ON jobs (integration_id, person_key, state, message_seq);
CREATE INDEX jobs_message ON jobs (message_seq);

-- every delivery attempt, for the live events view
CREATE TABLE attempts (
    id              ${id},
    job_id          BIGINT NOT NULL,
    message_seq     BIGINT NOT NULL,
    integration_id  TEXT NOT NULL,
    action          TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    status          INTEGER,
    detail          TEXT,
    duration_ms     BIGINT NOT NULL,
    at              BIGINT NOT NULL
);
CREATE INDEX attempts_message ON attempts (message_seq);
CREATE INDEX attempts_at ON attempts (at);

-- the identity ledger: each identifier row holds the full identifier set of its contact
CREATE TABLE contact_identifiers (
    integration_id  TEXT NOT NULL,
    type            TEXT NOT NULL,
    value           TEXT NOT NULL,
    identifiers     TEXT NOT NULL,
    PRIMARY KEY (integration_id, type, value)
);

CREATE TABLE person_contacts (
    integration_id  TEXT NOT NULL,
    person_key      TEXT NOT NULL,
    identifiers     TEXT NOT NULL,
    PRIMARY KEY (integration_id, person_key)
);

-- running totals (lifetime value), each message counted once
CREATE TABLE value_totals (
    integration_id  TEXT NOT NULL,
    contact_key     TEXT NOT NULL,
    total_key       TEXT NOT NULL,
    total           TEXT NOT NULL,
    PRIMARY KEY (integration_id, contact_key, total_key)
);

CREATE TABLE value_applied (
    integration_id  TEXT NOT NULL,
    contact_key     TEXT NOT NULL,
    total_key       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    PRIMARY KEY (integration_id, contact_key, total_key, message_id)
);

-- list names resolved to SendGrid list ids, so an audience keeps its list
CREATE TABLE list_names (
    integration_id  TEXT NOT NULL,
    name            TEXT NOT NULL,
    list_id         TEXT NOT NULL,
    PRIMARY KEY (integration_id, name)
);

CREATE TABLE settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
