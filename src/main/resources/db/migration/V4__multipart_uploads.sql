-- Encrypted multipart uploads (see dev.sseproxy.catalog.MultipartUploads): the upload's key
-- envelope while the upload is open, the part-number claims that keep every (key, nonce) pair
-- used once, and each stored part attempt with its plaintext size and ETags.
CREATE TABLE sse_upload (
    upload_id          text PRIMARY KEY,
    bucket             text        NOT NULL,
    object_key         text        NOT NULL,
    envelope           text        NOT NULL,
    context_header     text,
    checksum_algorithm text,
    created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sse_upload_part_claim (
    upload_id   text NOT NULL REFERENCES sse_upload (upload_id) ON DELETE CASCADE,
    part_number int  NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);

CREATE TABLE sse_upload_part (
    upload_id      text        NOT NULL REFERENCES sse_upload (upload_id) ON DELETE CASCADE,
    part_number    int         NOT NULL,
    nonce_number   int         NOT NULL,
    plaintext_size bigint      NOT NULL,
    etag           text        NOT NULL,
    backend_etag   text        NOT NULL,
    checksum       text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (upload_id, part_number, nonce_number)
);

-- part numbers of retried parts: above every real part number (1..10000), below 2^31
CREATE SEQUENCE sse_part_nonce START 10001 MAXVALUE 2147483647;
