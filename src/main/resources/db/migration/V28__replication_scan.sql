-- ExistingObjectReplication (dev.sseproxy.replication.ExistingObjects): one row per bucket whose replication
-- configuration asks for its existing objects to replicate: the configuration it was started for (a new one
-- starts the scan over), the scan's start (objects written after it were queued by their own write), and how
-- far it got (the last key queued): a scan resumes there after a node dies.
create table replication_scan (
    bucket       varchar(63) primary key references bucket(name) on delete cascade,
    config       text        not null,
    started_at   timestamptz not null default now(),
    after_key    text,
    done         boolean     not null default false,
    queued       bigint      not null default 0,
    updated_at   timestamptz not null default now()
);
