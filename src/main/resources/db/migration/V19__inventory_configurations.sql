-- S3 Inventory configurations (dev.sseproxy.inventory; api/InventoryConfigurationOperation) and the
-- state of their reports (the last run, its outcome and manifest key). Deleting a bucket deletes its
-- configurations (cascade).
create table inventory_configuration (
    bucket             varchar(63)  not null references bucket(name) on delete cascade,
    id                 varchar(64)  not null,
    enabled            boolean      not null,
    dest_bucket        varchar(63)  not null,
    dest_account       varchar(12),
    dest_prefix        text,
    -- 'SSE-S3', 'SSE-KMS' or null (no Encryption element: the destination's default applies)
    dest_encryption    varchar(8),
    dest_kms_key_id    text,
    filter_prefix      text,
    included_versions  varchar(8)   not null,
    -- the OptionalFields values in the order they were given, comma-separated
    optional_fields    text         not null,
    frequency          varchar(8)   not null,
    created_at         timestamptz  not null default now(),
    -- the last report run: when it started, 'DELIVERED' or 'FAILED', why, and its manifest.json key
    last_run_at        timestamptz,
    last_status        varchar(16),
    last_error         text,
    last_manifest      text,
    primary key (bucket, id)
);
