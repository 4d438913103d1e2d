-- ACLs and S3 Object Ownership (dev.sseproxy.authz). A bucket's object_ownership is null when it has no
-- ownership controls (buckets of the pre-2023 era, and after DeleteBucketOwnershipControls: they act
-- as ObjectWriter); its acl is null for the default (the owner's full control), else the grants in
-- AccessControlList.encode's form.
alter table bucket add column object_ownership varchar(32)
    check (object_ownership in ('BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'));
alter table bucket add column acl text;

-- An object's owner and ACL, only where they differ from the default (owned by the bucket owner,
-- private) and only while the bucket's ACLs are enabled: an object without a row is the bucket
-- owner's and private. A write deletes the row before it stores the object (so a failed overwrite
-- fails closed) and inserts the new one after; DeleteObject deletes it.
create table object_acl (
    bucket      varchar(63) not null references bucket(name) on delete cascade,
    object_key  text        not null,
    owner_id    text        not null,
    acl         text        not null,
    primary key (bucket, object_key)
);

-- The owner and ACL a multipart upload was created with (in a bucket whose ACLs are enabled), taken
-- by its first successful Complete and forgotten by Abort.
create table upload_acl (
    upload_id   text primary key,
    owner_id    text not null,
    acl         text not null,
    created_at  timestamptz not null default now()
);
