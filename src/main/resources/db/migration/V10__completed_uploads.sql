-- A completed encrypted multipart upload keeps its sse_upload row for a while (see
-- dev.sseproxy.catalog.MultipartUploads), so a repeated CompleteMultipartUpload (an SDK retrying
-- after a lost response) answers as the first did: the digest of the part list that completed it,
-- the object's ETag and its composite checksum. Its part and claim rows go at completion.
ALTER TABLE sse_upload
    ADD COLUMN completed_at       timestamptz,
    ADD COLUMN completed_parts    text,
    ADD COLUMN completed_etag     text,
    ADD COLUMN completed_checksum text;

CREATE INDEX sse_upload_completed_at ON sse_upload (completed_at) WHERE completed_at IS NOT NULL;
