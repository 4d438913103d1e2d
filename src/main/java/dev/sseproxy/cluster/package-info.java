/**
 * Cluster plumbing: what N proxies on one PostgreSQL database need to behave as one endpoint.
 *
 * <h2>Shared token buckets: one KMS rate limit for the cluster ({@link dev.sseproxy.cluster.SharedTokenBuckets})</h2>
 * The KMS rate limiter's buckets live in PostgreSQL (migration V15): table {@code kms_rate_bucket}
 * ({@code name} primary key: {@code global} or {@code account:<12-digit id>}; {@code tokens}, {@code rate},
 * {@code burst}, {@code updated_at}) and function {@code kms_rate_take(names[], rates[], bursts[], want,
 * max_wait_seconds) → (granted, wait_seconds)}, one round trip per call of it: rows made lazily (full)
 * and locked in name order, refilled on the database server's clock, the same number of tokens taken
 * from each; a lease of several only while every bucket holds four times as many; one token reserved
 * ahead when the wait for it is at most {@code max_wait}; else none (and the wait that would have been
 * needed). Making a row drops up to 100 other account rows idle for 10 minutes and full again. The
 * limiter that uses it, its design choice (with measured costs), its fail-open fallback and its metrics
 * are documented in the {@code dev.sseproxy.kms} package, "Cluster-wide rate limit".
 */
package dev.sseproxy.cluster;
