-- Part tables too long for the backend's user metadata (see dev.sseproxy.catalog.PartTables and the
-- crypto package documentation, "Part table"): the envelope in MinIO holds the table's SHA-256, this
-- row the table itself, keyed by the object's bucket and key and that digest. touched_at orders a
-- row against the writes that sweep a key's rows when its object is deleted or overwritten.
CREATE TABLE sse_part_table (
    bucket      text        NOT NULL,
    object_key  text        NOT NULL,
    digest      bytea       NOT NULL,
    part_table  text        NOT NULL,
    touched_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (bucket, object_key, digest)
);

-- The table-MAC tag of each part attempt (crypto package documentation, "Envelope integrity"),
-- computed while the part's key is at hand; null for attempts of uploads begun by older code.
ALTER TABLE sse_upload_part ADD COLUMN table_tag bytea;
