-- Rewrap jobs (dev.sseproxy.sse.RewrapJobs): re-wrap stored keys under the latest KMS key
-- version without touching object data; the cursor makes a job resumable after a restart.
CREATE TABLE rewrap_job (
    id            bigserial PRIMARY KEY,
    bucket        text,
    state         text        NOT NULL,
    total         bigint      NOT NULL DEFAULT 0,
    done          bigint      NOT NULL DEFAULT 0,
    rewrapped     bigint      NOT NULL DEFAULT 0,
    cursor_bucket text,
    cursor_key    text,
    error         text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
