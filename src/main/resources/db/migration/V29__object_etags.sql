-- The MD5 ETag of a streamed SSE-S3 write (see dev.sseproxy.catalog.ObjectEtags and the crypto package
-- documentation, "The MD5 ETag of a streamed SSE-S3 PUT"): the object in MinIO carries a random write id
-- (x-amz-meta-sse-proxy-etag-ref) and no etag field; this row, inserted before the write's final frame
-- goes to MinIO, holds the ETag. Immutable once written; touched_at orders a row against the writes
-- whose sweeps remove a key's rows when its object is deleted or overwritten (as sse_part_table's).
CREATE TABLE sse_object_etag (
    bucket      text        NOT NULL REFERENCES bucket(name) ON DELETE CASCADE,
    object_key  text        NOT NULL,
    write_id    text        NOT NULL,
    etag        text        NOT NULL,
    touched_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (bucket, object_key, write_id)
);
