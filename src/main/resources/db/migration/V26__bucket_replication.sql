-- Replication (dev.sseproxy.replication; api/BucketReplicationOperation): a bucket's PutBucketReplication
-- configuration as JSON (catalog.BucketReplication), null when it has none. On the bucket row, so the cached
-- Bucket carries it (a write learns whether it replicates without a lookup), and V14's row trigger makes every
-- node drop its cached bucket when it changes.
alter table bucket add column replication text;
