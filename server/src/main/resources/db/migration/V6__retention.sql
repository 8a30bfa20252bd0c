-- retention (io.gridsync.server.retention): the indexes its chunked deletes walk, so removing old
-- history reads only the rows it removes. Portable between SQLite and PostgreSQL.

-- jobs in a final state, oldest first (the journal's retention removes them and their attempts);
-- job states are now pending, done, dead, blocked and discarded (a dead letter given up on through the admin API)
CREATE INDEX jobs_finished ON jobs (state, updated_at);
-- a job's attempts, removed with the job
CREATE INDEX attempts_job ON attempts (job_id);
-- delivered forward-outbox rows past the 48 h in which SendGrid may still send a duplicate
CREATE INDEX forward_outbox_finished ON forward_outbox (state, updated_at);
