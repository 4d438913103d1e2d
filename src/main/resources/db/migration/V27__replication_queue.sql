-- Replication (dev.sseproxy.replication): one row per new object version (or delete marker) and destination,
-- inserted before the client hears of the write (api.ObjectReplications), claimed by one node's worker at a
-- time under a lease (claimed_by / claim_until: a dead node's claims expire), then COMPLETED or FAILED. The
-- rows stay after they end: GET/HEAD of a source version answer x-amz-replication-status from them.
create table replication_queue (
    id                 bigserial    primary key,
    bucket             varchar(63)  not null,
    object_key         text         not null,
    -- the version written (MinIO's id, 'null' for the null version, null in a never-versioned bucket)
    version_id         varchar(64),
    -- OBJECT: copy the version; DELETE_MARKER: put a delete marker on the destination
    kind               varchar(16)  not null,
    rule_id            varchar(255),
    dest_bucket        varchar(63)  not null,
    -- EncryptionConfiguration.ReplicaKmsKeyID of the rule when the write was acknowledged; null: destination default
    replica_kms_key_id text,
    -- ReplicationTime / Metrics threshold in minutes (null: none): events on a late replication
    threshold_minutes  integer,
    state              varchar(16)  not null default 'PENDING',
    attempts           integer      not null default 0,
    next_attempt_at    timestamptz  not null default now(),
    claimed_by         varchar(64),
    claim_until        timestamptz,
    created_at         timestamptz  not null default now(),
    completed_at       timestamptz,
    replicated_bytes   bigint,
    -- when s3:Replication:OperationMissedThreshold was sent for the row (once), null: not yet / not late
    missed_threshold_at timestamptz,
    last_error         text
);
-- the worker's question: due rows, oldest first
create index replication_queue_due on replication_queue (next_attempt_at, id) where state = 'PENDING';
-- the status header's question: one version's rows
create index replication_queue_object on replication_queue (bucket, object_key, version_id);
