-- Leases (dev.sseproxy.cluster.Leases): background work that must run once per cluster runs on the
-- node holding its lease. Expiry uses the database's clock (now()); every acquisition increments the
-- token, which fenced writes check. See the cluster package documentation.
CREATE TABLE cluster_lease (
    name        text        PRIMARY KEY,
    holder      text,
    token       bigint      NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(),
    renewed_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

-- Rewrap jobs checkpoint every object; an object being restamped is recorded first, with the SHA-256
-- of its new wrapped key, so a node resuming the job can tell whether the restamp happened.
ALTER TABLE rewrap_job
    ADD COLUMN pending_bucket  text,
    ADD COLUMN pending_key     text,
    ADD COLUMN pending_wrapped text;

-- Log files planned but not yet marked delivered (dev.sseproxy.audit.LogDelivery): a retry rebuilds
-- the file from these ids, in this order, under this key, so an event is never in two files.
CREATE TABLE audit_log_file (
    id         bigserial   PRIMARY KEY,
    object_key text        NOT NULL UNIQUE,
    account_id text        NOT NULL,
    region     text        NOT NULL,
    event_ids  uuid[]      NOT NULL,
    token      bigint      NOT NULL,
    planned_at timestamptz NOT NULL DEFAULT now()
);
