-- Accounts, their access keys (secrets sealed by the master key, never in clear) and buckets.
create table account (
    id          varchar(12)  primary key,
    name        varchar(64)  not null unique,
    created_at  timestamptz  not null
);

create table access_key (
    access_key_id  varchar(128) primary key,
    account_id     varchar(12)  not null references account(id) on delete cascade,
    secret_sealed  bytea        not null,
    status         varchar(16)  not null,
    created_at     timestamptz  not null
);
create index access_key_account on access_key(account_id);

create table bucket (
    name        varchar(63)  primary key,
    owner_id    varchar(12)  not null references account(id),
    region      varchar(32)  not null,
    created_at  timestamptz  not null
);
create index bucket_owner on bucket(owner_id);
