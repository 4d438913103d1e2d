-- The retention purge (audit.AuditRetention) deletes the events older than a cutoff, a batch per
-- statement, across all accounts: without an index on event_time alone each statement would scan
-- the whole table (audit_event_by_time leads with account_id).
CREATE INDEX audit_event_by_event_time ON audit_event (event_time);
