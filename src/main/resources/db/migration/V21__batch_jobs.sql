-- S3 Batch Operations (dev.sseproxy.batch): jobs created through S3 Control's CreateJob, and their tasks
-- (one per manifest row), materialized while a job is Preparing. Counters are derived from the task
-- rows, so a task is counted once whatever node runs it.
CREATE TABLE batch_job (
    id                    text        PRIMARY KEY,
    account_id            text        NOT NULL,
    client_request_token  text        NOT NULL,
    principal_user        text,
    principal_path        text,
    principal_user_id     text,
    request_xml           text        NOT NULL,
    operation             text        NOT NULL,
    status                text        NOT NULL,
    priority              integer     NOT NULL,
    confirmation_required boolean     NOT NULL,
    description           text,
    role_arn              text        NOT NULL,
    status_update_reason  text,
    failure_code          text,
    failure_reason        text,
    generated_manifest    text,
    active_since          timestamptz,
    active_seconds        bigint      NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL DEFAULT now(),
    suspended_at          timestamptz,
    terminated_at         timestamptz,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, client_request_token)
);
CREATE INDEX batch_job_account ON batch_job (account_id, created_at DESC, id);

-- state: PENDING, STARTED (the copy may have been sent; backend_etag is the version it read), SUCCEEDED, FAILED
CREATE TABLE batch_task (
    job_id        text    NOT NULL REFERENCES batch_job (id) ON DELETE CASCADE,
    seq           bigint  NOT NULL,
    bucket        text    NOT NULL,
    key           text    NOT NULL,
    version_id    text,
    etag          text,
    state         text    NOT NULL DEFAULT 'PENDING',
    backend_etag  text,
    http_status   integer,
    error_code    text,
    result_message text,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX batch_task_open ON batch_task (job_id, seq) WHERE state IN ('PENDING', 'STARTED');
