-- The KMS key registry: AWS-shaped KMS keys (id, ARN, state, key policy) of each account, mapped to
-- the backend (Transit / local keystore) key that holds the key material, and their aliases.
create table kms_key (
    key_id            uuid          primary key,
    account_id        varchar(12)   not null references account(id) on delete cascade,
    arn               varchar(256)  not null unique,
    backend_key_name  varchar(128)  not null unique,
    description       varchar(8192) not null default '',
    key_manager       varchar(8)    not null check (key_manager in ('AWS', 'CUSTOMER')),
    key_state         varchar(16)   not null check (key_state in ('Enabled', 'Disabled', 'PendingDeletion')),
    deletion_date     timestamptz,
    policy            text          not null,
    created_at        timestamptz   not null,
    -- a deletion date exactly when deletion is pending
    constraint kms_key_deletion_date check ((key_state = 'PendingDeletion') = (deletion_date is not null)),
    -- target of the alias foreign key below: an alias names a key of its own account
    constraint kms_key_account_key unique (account_id, key_id)
);
-- at most one AWS managed key (aws/s3) per account: two concurrent first uses create one
create unique index kms_key_one_aws_managed on kms_key(account_id) where key_manager = 'AWS';

create table kms_alias (
    account_id  varchar(12)   not null references account(id) on delete cascade,
    alias_name  varchar(256)  not null check (alias_name like 'alias/%'),
    key_id      uuid          not null,
    created_at  timestamptz   not null,
    primary key (account_id, alias_name),
    constraint kms_alias_key foreign key (account_id, key_id) references kms_key(account_id, key_id)
        on delete cascade
);
create index kms_alias_key_id on kms_alias(key_id);
