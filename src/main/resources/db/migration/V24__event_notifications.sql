-- S3 event notifications (dev.sseproxy.notify): each bucket's notification configuration, and the durable
-- outbox of messages waiting to be delivered to a webhook or a NATS subject.
create table bucket_notification (
    bucket      varchar(63) primary key references bucket(name) on delete cascade,
    -- the configuration as dev.sseproxy.notify.NotificationConfiguration#encode writes it (JSON)
    config      text        not null,
    updated_at  timestamptz not null default now()
);

-- every node keeps all configurations in memory (NotificationConfigurations) and reloads a bucket's when
-- the change feed says it changed
create trigger bucket_notification_changes after insert or update or delete on bucket_notification
    for each row execute function sse_proxy_notify_change('bucket-notification', 'bucket-notification', 'bucket');
create trigger bucket_notification_truncated after truncate on bucket_notification
    for each statement execute function sse_proxy_notify_change('*', '*', '');

-- one row per message and destination, written before the client gets its response (object events) or
-- when the request ended (management events); deleted once delivered
create table event_outbox (
    id               bigserial    primary key,
    -- the admin-configured target's name (sse-proxy.notifications.targets.<name>) or '@management'
    target           varchar(128) not null,
    -- the message, JSON, as it is sent
    payload          text         not null,
    created_at       timestamptz  not null default now(),
    attempts         integer      not null default 0,
    next_attempt_at  timestamptz  not null default now(),
    last_error       text
);
create index event_outbox_due on event_outbox (next_attempt_at, id);
