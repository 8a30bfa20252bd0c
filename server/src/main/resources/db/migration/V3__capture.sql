-- capture: webhook sources (one per SendGrid account) and the outbox of events forwarded as
-- Segment "Email Events". Portable between SQLite and PostgreSQL; times are epoch milliseconds.

-- public_key: base64 X.509 P-256 key of the Signed Event Webhook (NULL: posts are not verified);
-- forward_key_sealed: the destination's write key / API key, sealed with the master key
CREATE TABLE webhook_sources (
    source              TEXT PRIMARY KEY,
    public_key          TEXT,
    forward_url         TEXT,
    forward_format      TEXT,
    forward_key_sealed  TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

-- one row per forwarded event; state: pending, delivered, dead. Delivered rows are kept for two
-- days, past SendGrid's 24 h of retries, so a late duplicate is not forwarded twice.
CREATE TABLE forward_outbox (
    id           ${id},
    source       TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    body         TEXT NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    next_at      BIGINT NOT NULL,
    last_status  INTEGER,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (source, event_id)
);
CREATE INDEX forward_outbox_due ON forward_outbox (state, next_at);
