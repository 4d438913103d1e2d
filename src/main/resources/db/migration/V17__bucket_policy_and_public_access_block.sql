-- Bucket policies and Block Public Access (dev.sseproxy.authz; api/BucketPolicyOperation,
-- api/PublicAccessBlockOperation). The bucket row's existing change trigger (V14, after update of any
-- column) announces changes of both new columns, so every node drops its cached bucket within a second.
alter table bucket
    add column policy              text,
    -- four characters, T or F, in the order BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy,
    -- RestrictPublicBuckets; null: the bucket has no PublicAccessBlock configuration
    add column public_access_block varchar(4);

-- The account-level Block Public Access configuration (S3 Control PutPublicAccessBlock), same encoding.
create table account_public_access_block (
    account_id          varchar(12) primary key references account(id) on delete cascade,
    public_access_block varchar(4)  not null
);

create trigger account_public_access_block_changes after insert or update or delete on account_public_access_block
    for each row execute function sse_proxy_notify_change('account-public-access-block', 'account-public-access-block', 'account_id');
create trigger account_public_access_block_truncated after truncate on account_public_access_block
    for each statement execute function sse_proxy_notify_change('*', '*', '');
