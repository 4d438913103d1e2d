-- The audit trail (dev.sseproxy.audit): one row per CloudTrail event, written in batches by
-- audit.AuditWriter through Hibernate Reactive, read by LookupEvents, delivered as log files and
-- purged after the retention period. See the audit package documentation.
CREATE TABLE audit_event (
    event_id       uuid        PRIMARY KEY,
    event_time     timestamptz NOT NULL,
    account_id     text        NOT NULL,  -- recipientAccountId: whose trail the event is in
    event_source   text        NOT NULL,  -- s3.amazonaws.com | kms.amazonaws.com
    event_name     text        NOT NULL,
    read_only      boolean     NOT NULL,
    username       text,
    access_key_id  text,
    resource_names text[]      NOT NULL,  -- every Resources[].ResourceName, for the ResourceName lookup
    resources      text        NOT NULL,  -- LookupEvents' Resources: JSON [{"ResourceType","ResourceName"}]
    record         text        NOT NULL,  -- the CloudTrail record, JSON, exactly as delivered
    delivered      boolean     NOT NULL DEFAULT false
);
CREATE INDEX audit_event_by_time ON audit_event (account_id, event_time DESC, event_id DESC);
CREATE INDEX audit_event_by_name ON audit_event (account_id, event_name, event_time DESC);
CREATE INDEX audit_event_by_resource ON audit_event USING gin (resource_names);
CREATE INDEX audit_event_undelivered ON audit_event (event_time) WHERE NOT delivered;
