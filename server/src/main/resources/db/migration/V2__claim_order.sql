-- Claiming due jobs walks pending jobs in message order: index that order, so a claim over a
-- large backlog reads its rows in order instead of sorting the whole backlog each time.
CREATE INDEX jobs_claim_order ON jobs (integration_id, state, message_seq);
