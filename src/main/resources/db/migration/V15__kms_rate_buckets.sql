-- The cluster-wide KMS rate limit (dev.sseproxy.cluster.SharedTokenBuckets, kms package documentation
-- "Cluster-wide rate limit"): one token bucket per row, 'global' and 'account:<id>', refilled on the
-- database server's clock, so the nodes' clocks do not matter. rate and burst are the settings the last
-- taker used (the cleanup below needs them to know when a row is full again).
-- UNLOGGED: no WAL, so a take's commit does not wait for a WAL flush (measured on this machine: 1.4 ms
-- instead of 5.6 ms per call). The price: after a database crash the table is empty and the buckets start
-- full again (one burst more than the limit, once), and standbys do not have it (after a failover likewise).
CREATE UNLOGGED TABLE kms_rate_bucket (
    name        text             PRIMARY KEY,
    tokens      double precision NOT NULL,
    rate        double precision NOT NULL,
    burst       double precision NOT NULL,
    updated_at  timestamptz      NOT NULL
);

-- Takes up to p_want tokens from every bucket in p_names at once (the same number from each): one
-- round trip per call. Rows are made lazily (full) and locked in name order, so two nodes taking the
-- same pair never deadlock. If every bucket holds a whole token, grants per bucket holding a tokens
-- min(p_want, max(1, floor(a/4), min(p_need, floor(a)))), the smallest of those: p_need is how many calls
-- wait on the node right now (they get whole tokens that are there), the rest is a lease, at most a
-- quarter of what is there (so a node leases ahead only while tokens are plentiful). Else one token
-- reserved ahead, when the longest wait for it is at most p_max_wait seconds (the bucket goes below zero,
-- as the node-local TokenBucket does); else nothing, with the wait that would have been needed.
-- Making a row also drops up to 100 other account rows idle for 10 minutes that are full again (a full
-- row and no row mean the same), so the table holds only the accounts that used KMS lately.
CREATE FUNCTION kms_rate_take(p_names text[], p_rates double precision[], p_bursts double precision[],
                              p_want integer, p_need integer, p_max_wait double precision,
                              OUT granted integer, OUT wait_seconds double precision)
LANGUAGE plpgsql AS $$
DECLARE
    n      integer := cardinality(p_names);
    t      timestamptz;
    avail  double precision[] := '{}';
    r      record;
    i      integer;
    a      double precision;
    lease  integer := greatest(p_want, 1);
    w      double precision := 0;
BEGIN
    IF (SELECT count(*) FROM kms_rate_bucket WHERE name = ANY (p_names)) < n THEN
        INSERT INTO kms_rate_bucket (name, tokens, rate, burst, updated_at)
        SELECT u.name, u.burst, u.rate, u.burst, clock_timestamp()
          FROM unnest(p_names, p_rates, p_bursts) AS u(name, rate, burst)
         ORDER BY u.name
        ON CONFLICT (name) DO NOTHING;
        DELETE FROM kms_rate_bucket WHERE name IN (
            SELECT b.name FROM kms_rate_bucket b
             WHERE b.name LIKE 'account:%' AND b.name <> ALL (p_names)
               AND b.updated_at < clock_timestamp() - interval '10 minutes'
               AND b.tokens + b.rate * extract(epoch FROM clock_timestamp() - b.updated_at)::double precision >= b.burst
             LIMIT 100 FOR UPDATE SKIP LOCKED);
    END IF;
    PERFORM 1 FROM kms_rate_bucket WHERE name = ANY (p_names) ORDER BY name FOR UPDATE;
    t := clock_timestamp();
    FOR r IN SELECT b.name, b.tokens, b.updated_at FROM kms_rate_bucket b WHERE b.name = ANY (p_names) LOOP
        i := array_position(p_names, r.name);
        a := least(p_bursts[i],
                   r.tokens + p_rates[i] * greatest(0, extract(epoch FROM t - r.updated_at)::double precision));
        avail[i] := a;
        IF a < 1 THEN
            w := greatest(w, (1 - a) / p_rates[i]);
        END IF;
        lease := least(lease, greatest(1, floor(a / 4)::integer, least(p_need, floor(a)::integer)));
    END LOOP;
    IF w > p_max_wait THEN
        granted := 0;
        wait_seconds := w;
        RETURN;
    END IF;
    IF w > 0 THEN
        lease := 1;
    END IF;
    UPDATE kms_rate_bucket b SET tokens = u.a - lease, rate = u.rate, burst = u.burst, updated_at = t
      FROM unnest(p_names, avail, p_rates, p_bursts) AS u(name, a, rate, burst)
     WHERE b.name = u.name;
    granted := lease;
    wait_seconds := w;
END
$$;
