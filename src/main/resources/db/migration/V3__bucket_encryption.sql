-- Bucket default encryption (PutBucketEncryption, spec §1): one row per bucket that was ever configured.
-- sse_algorithm is null when the last PUT carried only BlockedEncryptionTypes or after a DELETE (the
-- default is then SSE-S3); kms_master_key_id is kept exactly as sent; blocked_encryption_types is a
-- comma list of NONE / SSE-C, null while it was never set (the era's default applies), '' for none.
-- Deleting the bucket deletes its row: a re-created bucket starts from the default.
create table bucket_encryption (
    bucket                    varchar(63)  primary key references bucket(name) on delete cascade,
    explicit                  boolean      not null,
    sse_algorithm             varchar(16)  check (sse_algorithm in ('AES256', 'aws:kms', 'aws:kms:dsse')),
    kms_master_key_id         text,
    bucket_key_enabled        boolean      not null,
    blocked_encryption_types  text,
    updated_at                timestamptz  not null,
    -- a key id only with a KMS algorithm
    constraint bucket_encryption_key_needs_kms
        check (kms_master_key_id is null or sse_algorithm in ('aws:kms', 'aws:kms:dsse'))
);
