-- console sessions (io.gridsync.server.admin.AdminSessions): the session cookie is stateless and
-- signed, so a session signed out before it expires is remembered here until then, on every node.
CREATE TABLE console_sessions_ended (
    session_id  TEXT PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX console_sessions_ended_expiry ON console_sessions_ended (expires_at);
