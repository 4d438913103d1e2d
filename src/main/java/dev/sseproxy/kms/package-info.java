/**
 * The KMS port and its adapters.
 *
 * <h2>Port</h2>
 * {@link dev.sseproxy.kms.KmsClient}: Transit-style operations on named, versioned AES-256-GCM keys
 * ({@link dev.sseproxy.kms.KeyRef} is the backend key name; the AWS key id / ARN / alias → name
 * mapping belongs to the key registry). Results are records ({@link dev.sseproxy.kms.DataKey},
 * {@link dev.sseproxy.kms.Wrapped}, {@link dev.sseproxy.kms.KeyInfo}); secret bytes come in a
 * {@link dev.sseproxy.kms.Plaintext} that wipes on close. Failures are the sealed
 * {@link dev.sseproxy.kms.KmsException}: {@code NotFound}, {@code AccessDenied}, {@code Throttled},
 * {@code Unavailable}, {@code InvalidCiphertext}, {@code UnusableKey}.
 *
 * <h2>Encryption context</h2>
 * Bound to every ciphertext in its {@linkplain dev.sseproxy.kms.EncryptionContext canonical form}
 * (RFC 8785 JSON of the string map; {@code {}} when empty). The local KMS binds it as AES-GCM
 * associated data ({@code key name || 0x00 || canonical context}); Vault binds it through Transit
 * key derivation: keys are {@code aes256-gcm96} with {@code derived=true} and the canonical bytes,
 * base64, are sent as {@code context}. Transit's {@code associated_data} is not used because
 * datakey and rewrap do not take it; non-derived Transit keys are refused because Vault ignores
 * {@code context} for them.
 *
 * <h2>Ciphertexts</h2>
 * Opaque, self-describing ASCII bytes carrying the key version: {@code vault:v<N>:<base64>} (Vault's
 * own) or {@code local:v<N>:<base64(nonce(12) || ciphertext || tag(16))>}. An adapter refuses the
 * other's ciphertexts as {@code InvalidCiphertext}: moving from one KMS to the other means
 * re-wrapping through both.
 *
 * <h2>Adapters</h2>
 * {@code local.LocalKmsClient} (default: keys in PostgreSQL, shared by every node and sealed with the
 * master key; see the {@code local} package for the stored form, the master key check and the migration
 * of the older {@code <data-dir>/kms/keystore} file) and
 * {@code vault.VaultTransitKmsClient} (Vault or OpenBao Transit through vault-java-driver; token,
 * AppRole or Kubernetes auth, namespace, TLS, mount). {@link dev.sseproxy.wiring.KmsClientProducer}
 * picks one by {@code sse-proxy.kms.provider}. Rate limiting, retries and circuit breaking are
 * decorators around the port, not part of the adapters.
 *
 * <h2>Rate limit and metrics</h2>
 * The producer wraps the adapter as {@code MeteredKmsClient(RateLimitedKmsClient(adapter))}, so every
 * caller's every call is limited and counted. {@link dev.sseproxy.kms.KmsRateLimiter} holds a global
 * token bucket ({@code sse-proxy.kms.rate-limit.global-rate} / {@code global-burst}) and one per
 * account ({@code account-rate} / {@code account-burst}); a call waits at most {@code max-wait} for its
 * permits, else it fails with {@code KmsException.Throttled} before the KMS sees it (S3: 503
 * {@code SlowDown} with {@code Retry-After}). Settings change at run time through
 * {@code GET/PUT /admin/kms/rate-limit}.
 *
 * <p><b>Which account a call is charged to.</b> The caller says so explicitly:
 * {@link dev.sseproxy.kms.KmsClient#forAccount(String)} returns a view of the client whose calls are
 * made on behalf of that account. The data path ({@code sse.ObjectKeys}) uses it for SSE-KMS calls
 * (data keys, bucket keys under a customer's KMS key, decrypts), with the requester's account. Calls
 * made on the plain client are the proxy's own and count against the global bucket only: SSE-S3
 * bucket keys, access-key secrets, key creation by the registry. An explicit view was chosen over
 * Vert.x context data because KMS calls hop between event loop, worker and timer threads, and a
 * view cannot get lost on the way; adapters inherit the default {@code forAccount} that returns
 * {@code this}, so the port's meaning is unchanged for everyone else.
 *
 * <p>Metrics (Micrometer, on {@code /q/metrics}): {@code sse_proxy_kms_requests_total} and
 * {@code sse_proxy_kms_request_duration_seconds} by {@code operation} and {@code outcome}
 * ({@code success}, {@code throttled} — the limiter's rejections included — or the failure's class
 * name lower-cased), and {@code sse_proxy_kms_limiter_permits_total} by {@code result}
 * ({@code granted}, {@code waited}, {@code rejected}).
 * picks one by {@code sse-proxy.kms.provider}. Rate limiting is a decorator around the port.
 *
 * <h2>Cluster-wide rate limit</h2>
 * AWS's KMS quota is per account and Region, so the configured rates are the cluster's: with N nodes
 * on one database, {@link dev.sseproxy.kms.SharedKmsRateLimiter} (the default; {@code
 * sse-proxy.kms.rate-limit.cluster.enabled=false} gives each node its own buckets again) takes the
 * permits from token buckets in PostgreSQL, the only state the nodes share: table {@code
 * kms_rate_bucket} (one row per bucket, {@code global} and {@code account:<id>}: tokens, the rate and
 * burst last used, {@code updated_at}) and function {@code kms_rate_take} (migration V15, through
 * {@code dev.sseproxy.cluster.SharedTokenBuckets}). Every node uses its own settings (the same
 * configuration on every replica; {@code PUT /admin/kms/rate-limit} changes only the node it is sent to).
 *
 * <p><b>One round trip takes from both buckets.</b> {@code kms_rate_take(names, rates, bursts, want,
 * need, maxWait)} locks the call's rows in name order (so two nodes taking the same pair never deadlock),
 * refills each on the database server's clock ({@code tokens = least(burst, tokens + rate x elapsed)};
 * the nodes' clocks do not matter) and takes the same number of tokens from each. It keeps the local
 * limiter's semantics: when a bucket lacks a whole token and the longest wait for it is at most {@code
 * max-wait}, one token is reserved ahead (the row goes below zero, the call waits that long, later
 * callers wait longer); else nothing is taken and the call is refused (503 {@code SlowDown}).
 *
 * <p><b>Design choice: exact per call, leases only while tokens are plentiful.</b> Two designs were
 * weighed: (a) one atomic update per KMS call over the global and the account row (exact; one round
 * trip per call; every node's every call serialised on the one {@code global} row), and (b) nodes lease
 * batches and spend them locally (a fraction of a round trip per call; over-admission up to the
 * leased-but-unspent tokens). Measured here, PostgreSQL 15 on the same 2-core machine while several
 * other builds and proxies ran (load average 21 to 24, so every figure is several times what an idle
 * database server gives; {@code SELECT 1} took 0.33 ms, 7,500/s from 4 clients), with pgbench:
 * <table>
 *   <caption>Cost of one take on the shared {@code global} row</caption>
 *   <tr><th>statement</th><th>1 client: latency</th><th>4 clients: takes/s</th></tr>
 *   <tr><td>(a) one {@code UPDATE ... SET tokens = least(burst, tokens + rate x elapsed) - 1 WHERE ... >= 1
 *       RETURNING}, logged table</td><td>3.1 ms</td><td>527</td></tr>
 *   <tr><td>the same, {@code UNLOGGED} table</td><td>1.3 ms</td><td>2,977</td></tr>
 *   <tr><td>{@code kms_rate_take} (account + global row), logged</td><td>5.6 ms</td><td>372</td></tr>
 *   <tr><td>{@code kms_rate_take}, {@code UNLOGGED} (as shipped)</td><td>1.4 ms</td><td>1,410</td></tr>
 * </table>
 * The commit's WAL flush is most of a take's cost, hence the unlogged table (its price: after a database
 * crash or a failover to a standby the buckets start full, one burst more than the limit, once). Even so,
 * (a) alone makes every KMS call wait a round trip (about 1.4 ms here, some 0.2 ms on an idle server),
 * where a local-KMS call costs tens of microseconds, and it caps the whole cluster at what one row can
 * take (about 1,400/s here), below the default global rate of 5,000/s. Through the limiter
 * ({@code SharedKmsRateLimiterTest}, sequential permits on one node, same machine): one round trip per permit
 * (lease-size 1) cost 2.6 to 5.9 ms per permit over four runs; with lease-size 16 and generous limits,
 * 0.35 to 0.45 ms per permit and 0.063 round trips per permit (one per 16; most of the rest is the test's
 * blocking wait hopping threads on a saturated machine). Fifty calls at once on one node with a burst
 * of 10: exactly 10 granted, in 3 round trips.
 * So the limiter does (a) whenever it matters and (b) when it does not: {@code kms_rate_take} grants
 * the calls waiting on the node as many whole tokens as both buckets hold, and beyond them a lease of
 * at most a quarter of what the emptier bucket holds, {@code lease-size} in all at most. So a node leases
 * ahead only while both buckets hold at least eight tokens, i.e. while the limit is far from binding;
 * near it every token goes to a call that is waiting and admission is exact. A node has at most one
 * round trip in flight per account (and one for its own calls): calls that arrive meanwhile wait for its
 * answer, which serves them in order, refuses them all, or leaves the rest to the next round trip. So
 * the database sees at most one take per node and account at a time, however many requests a node
 * serves, and the one {@code global} row never has more than a few takers queued on its lock (without
 * this, ClusterRateLimitIT's 32 concurrent PUTs queued on it for 0.5 s on average here). The node
 * spends the extra tokens of a lease on later calls of the same account (or of its own calls) for at most
 * {@code lease-ttl} (500 ms), keeping at most {@code lease-size} (16) per account, then drops them (they
 * are lost, not returned: under-admission, never over). Every token a node spends was taken from the
 * shared bucket, so from a full bucket the cluster admits at most {@code burst + rate x t} in any span
 * {@code t}, exactly as one node did; over a window that starts while leases are outstanding the excess
 * is bounded by those leases (at most {@code lease-size} per node and account, granted only while the
 * buckets held four times as many, and at most {@code rate x lease-ttl} tokens refilled meanwhile).
 * With generous limits (the defaults: 5000/s global, 2500/s per account) a busy node asks the database
 * once per 16 calls; and the bucket-key cache already makes KMS calls rare (one per bucket key lifetime
 * for SSE-S3 and for SSE-KMS with bucket keys).
 *
 * <p><b>Refusals are cheap.</b> When the database refuses a permit it says how long until one could be
 * granted; the node refuses that account's calls locally until then (other nodes only take tokens, so
 * none can appear earlier; a settings change clears it). A flood of calls above the limit therefore costs
 * about one round trip per token refilled, not one per refused call.
 *
 * <p><b>Database slow or down: fail open to the node's own buckets.</b> A round trip that fails or takes
 * longer than {@code cluster.timeout} (250 ms) is decided by the node-local {@link
 * dev.sseproxy.kms.KmsRateLimiter} with the same settings, and so is every call for {@code
 * cluster.fallback-for} (5 s) after that, then the database is asked again (one warning per fallback
 * spell in the log). Fail-open was chosen over fail-closed because the limiter protects a quota, not a
 * secret: while it falls back each node still enforces the configured rates, so the cluster admits at
 * most N times the limit for the outage's length, and a KMS that enforces its own quota still does
 * (Vault's 429 is retried, then answered as 503 {@code SlowDown} too).
 * Fail-closed would turn a database hiccup into an outage of every SSE-KMS request, including reads
 * whose object, bucket and credential are cached and would otherwise not need the database at all.
 *
 * <p><b>Bounded rows.</b> Rows are made lazily, full, by the first call of an account (accounts are
 * authenticated before any KMS call on their behalf, so only existing accounts get rows; account ids are
 * 12 digits). Making a row also drops up to 100 other account rows idle for 10 minutes and full again
 * (a full row and no row mean the same), so the table holds the accounts that used KMS lately, plus
 * {@code global}. A node keeps at most 100,000 leases, dropped after a minute unused.
 *
 * <p><b>Metrics.</b> Besides {@code sse_proxy_kms_limiter_permits_total} (counted the same whichever
 * limiter decides): {@code sse_proxy_kms_limiter_shared_total} by {@code path} ({@code round_trip}: asked
 * the database, {@code lease}: spent a leased token, {@code closed}: refused without asking, {@code
 * fallback}: decided by the local buckets because the database failed or was slow) and {@code
 * sse_proxy_kms_limiter_round_trip_seconds} (the round trips' latency).
 *
 * <h2>Vault resilience</h2>
 * The Vault adapter guards each call itself ({@code vault.VaultGuard}), as only it knows which
 * failures are transient: every try is bounded by {@code sse-proxy.kms.vault.timeout}; a try that
 * Vault throttled (429) or that failed with a 5xx, a 412 or a connection failure is tried again, up
 * to {@code retry.attempts} tries, after a jittered exponential back-off ({@code retry.initial-backoff}
 * doubling up to {@code retry.max-backoff}, each wait random between half and all of it, scheduled
 * without holding a thread). Refusals (400, 403, 404, an invalid ciphertext) and timeouts are never
 * tried again. A circuit breaker counts consecutive failed tries (5xx, timeouts, connection failures;
 * any answer from Vault counts as a success): at {@code circuit-breaker.failure-threshold} it opens
 * and calls fail at once with {@code Unavailable} (503 ServiceUnavailable at the S3 edge) without
 * reaching Vault or taking a worker thread; after {@code circuit-breaker.delay} one trial call goes
 * through and its success closes the breaker, its failure opens it again. With AppRole or Kubernetes
 * auth the session logs in again at three quarters of the token's lease, and a 403 on a login-based
 * token (revoked or expired early) triggers one new login and one retry within the same try. A fixed
 * token is looked up once ({@code auth/token/lookup-self}) and, when it has a TTL and is renewable
 * (a periodic token), renewed ({@code auth/token/renew-self}) at three quarters of its TTL; renewal is
 * best effort and never fails a KMS call (a failure is logged and tried again a minute later).
 */
package dev.sseproxy.kms;
