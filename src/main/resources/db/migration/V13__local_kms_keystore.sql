-- The local KMS keystore, shared by every node (see dev.sseproxy.kms.local's package documentation).
-- One row per key version, inserted once and never updated: two nodes creating or rotating a key at
-- the same time cannot lose a version (the primary key refuses the second insert of a number, and
-- the loser tries the next one). Key material is sealed under the master key (AES-256-GCM) with the
-- key name and version as associated data, so a row copied to another name or number does not open.
create table kms_local_key_version (
    key_name         varchar(128) not null check (key_name <> ''),
    version          integer      not null check (version >= 1),
    created_at       timestamptz  not null,
    sealed_material  bytea        not null,
    primary key (key_name, version)
);

-- The minimum decryption version of a key (Transit's min_decryption_version); no row means 1.
create table kms_local_key_config (
    key_name                varchar(128) primary key,
    min_decryption_version  integer      not null check (min_decryption_version >= 1)
);

-- The master key's check value: HMAC-SHA256(master key, "sse-proxy local kms master key check v1"),
-- written by the first node that starts. A node whose master key gives another value refuses to start.
create table kms_local_master_key_check (
    id           smallint     primary key check (id = 1),
    check_value  bytea        not null check (length(check_value) = 32),
    created_at   timestamptz  not null
);
