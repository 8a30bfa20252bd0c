-- browser collection (io.gridsync.server.cors): the web origins a write key may be used from, as a
-- JSON array of origins ("https://shop.example", "https://*.shop.example", "*"); NULL: any origin,
-- as Segment does. Requests without an Origin header (server-side libraries) are not affected.
ALTER TABLE write_keys ADD COLUMN allowed_origins TEXT;
