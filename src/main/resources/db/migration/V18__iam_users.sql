-- IAM users inside accounts (dev.sseproxy.iam package documentation): users, their inline policies,
-- customer managed policies and attachments; an access key belongs to its account's root (user_id
-- null) or to one user of that account.
create table iam_user (
    user_id     varchar(21)   primary key,
    account_id  varchar(12)   not null references account(id) on delete cascade,
    user_name   varchar(64)   not null,
    path        varchar(512)  not null default '/',
    created_at  timestamptz   not null,
    -- target of access_key's foreign key: a key names a user of its own account
    constraint iam_user_account_user unique (account_id, user_id)
);
-- IAM user names are unique within an account regardless of case
create unique index iam_user_name on iam_user(account_id, lower(user_name));

create table iam_user_policy (
    user_id      varchar(21)   not null references iam_user(user_id) on delete cascade,
    policy_name  varchar(128)  not null,
    document     text          not null,
    primary key (user_id, policy_name)
);

create table iam_policy (
    policy_id    varchar(21)   primary key,
    account_id   varchar(12)   not null references account(id) on delete cascade,
    policy_name  varchar(128)  not null,
    path         varchar(512)  not null default '/',
    description  varchar(1000) not null default '',
    document     text          not null,
    created_at   timestamptz   not null,
    updated_at   timestamptz   not null
);
create unique index iam_policy_name on iam_policy(account_id, lower(policy_name));

create table iam_user_policy_attachment (
    user_id    varchar(21)  not null references iam_user(user_id) on delete cascade,
    policy_id  varchar(21)  not null references iam_policy(policy_id) on delete cascade,
    primary key (user_id, policy_id)
);
create index iam_attachment_policy on iam_user_policy_attachment(policy_id);

alter table access_key add column user_id varchar(21),
    add constraint access_key_user foreign key (account_id, user_id) references iam_user(account_id, user_id);
create index access_key_user_id on access_key(user_id) where user_id is not null;

-- The change feed (V14): a user's credentials carry its identity policies, so every change to them
-- drops the cached credentials of that user's keys ('iam-user:<user id>'), or of every user key of
-- the account when a managed policy changes ('iam-policy:<account id>').
create trigger iam_user_changes after insert or update or delete on iam_user
    for each row execute function sse_proxy_notify_change('iam-user', 'iam-user', 'user_id');
create trigger iam_user_policy_changes after insert or update or delete on iam_user_policy
    for each row execute function sse_proxy_notify_change('iam-user', 'iam-user', 'user_id');
create trigger iam_attachment_changes after insert or update or delete on iam_user_policy_attachment
    for each row execute function sse_proxy_notify_change('iam-user', 'iam-user', 'user_id');
create trigger iam_policy_changes after update or delete on iam_policy
    for each row execute function sse_proxy_notify_change('iam-policy', 'iam-policy', 'account_id');

create trigger iam_user_truncated after truncate on iam_user
    for each statement execute function sse_proxy_notify_change('*', '*', '');
create trigger iam_user_policy_truncated after truncate on iam_user_policy
    for each statement execute function sse_proxy_notify_change('*', '*', '');
create trigger iam_attachment_truncated after truncate on iam_user_policy_attachment
    for each statement execute function sse_proxy_notify_change('*', '*', '');
create trigger iam_policy_truncated after truncate on iam_policy
    for each statement execute function sse_proxy_notify_change('*', '*', '');
