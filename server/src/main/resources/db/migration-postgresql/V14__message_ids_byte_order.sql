-- PostgreSQL only (db/migration-postgresql): a messageId is an opaque identifier, so its index
-- compares bytes instead of asking the database's collation (en_US.UTF-8 and the like call strcoll
-- for every comparison of every claim). Equality is unchanged: it was byte equality already.
ALTER TABLE message_ids ALTER COLUMN message_id TYPE TEXT COLLATE "C";
