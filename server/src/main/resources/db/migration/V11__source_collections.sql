-- mirror: which collections a source syncs. NULL: every collection; else a JSON object of
-- collection name to true (on) or false (off), e.g. {"stats": false}; names not in it are on.
ALTER TABLE source_settings ADD COLUMN collections TEXT;
