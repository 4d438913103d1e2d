-- Encryption coverage (dev.sseproxy.coverage): each scan's result, the JSON document that
-- GET /admin/coverage answers, so every node serves the same numbers. The newest row is the current
-- snapshot; a few older ones are kept for comparison. Written only under the coverage-scan lease
-- (fenced insert). Each insert is announced on the change feed as 'coverage:<id>', so every node
-- loads it (and refreshes its gauges) within a second.
CREATE TABLE coverage_snapshot (
    id              bigserial   PRIMARY KEY,
    scanned_at      timestamptz NOT NULL,
    duration_millis bigint      NOT NULL,
    node            text        NOT NULL,
    document        text        NOT NULL
);

create trigger coverage_snapshot_changes after insert on coverage_snapshot
    for each row execute function sse_proxy_notify_change('coverage', 'coverage', 'id');
