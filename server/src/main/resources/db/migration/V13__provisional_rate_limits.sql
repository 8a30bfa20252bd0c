-- cluster: when a shared rate-limit window has reset, the first node to call opens the next one
-- provisionally (the last known limit, counted by every node's calls) until an answer names it;
-- 1 while no answer has (docs/cluster.md, One SendGrid budget)
ALTER TABLE rate_limits ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
