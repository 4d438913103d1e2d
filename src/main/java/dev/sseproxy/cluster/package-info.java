/**
 * Cluster plumbing: what lets N replicas on one PostgreSQL behave as one endpoint.
 *
 * <h2>Change feed: cached state reaches every node within a second</h2>
 * Every node caches catalog state on the request path. A change made through one node drops that
 * node's entry at once (as a single node always did); this feed tells the other nodes, through
 * PostgreSQL {@code LISTEN/NOTIFY}, so they drop theirs within a second. The cache TTLs stay as they
 * were and remain the fallback when a notification is missed (see "Missed notifications").
 *
 * <p><b>Who sends.</b> Table triggers (migration {@code V14__change_feed.sql}), not the application:
 * a row trigger on every cached table calls {@code pg_notify} inside the writing transaction, so a
 * change is announced exactly when it commits (PostgreSQL delivers notifications at commit; a rolled
 * back change announces nothing), whichever code path or tool wrote it (cascaded deletes, the purge
 * of keys past their deletion date, an operator's {@code psql} included). PostgreSQL folds identical
 * notifications of one transaction into one. Changes with no row of their own (a KMS key rotation,
 * which lives in the KMS backend) are sent by the node that made them with
 * {@code SELECT pg_notify('sse_proxy_changes', <payload>)} after the change succeeded ({@link
 * dev.sseproxy.cluster.ChangeFeed#publish}).
 *
 * <p><b>Channel</b> {@code sse_proxy_changes}. <b>Payload</b>: UTF-8 text {@code <kind>:<id>}, at
 * most {@value dev.sseproxy.cluster.Change#MAX_PAYLOAD_BYTES} bytes (PostgreSQL refuses 8000 and
 * more); a trigger whose payload would be longer sends {@code *} instead. Ids are the row's key
 * columns as text, joined by {@code /} when there are two. Kinds, and what a node does on receipt:
 * <table>
 *   <caption>Payloads</caption>
 *   <tr><th>payload</th><th>sent when</th><th>the receiving node drops</th></tr>
 *   <tr><td>{@code bucket:<name>}</td><td>a {@code bucket} row is inserted, updated (ACL, policy, Block Public Access, object
 *       ownership) or deleted</td><td>the bucket's catalog entry ({@code BucketCatalog}) and its
 *       encryption configuration entry ({@code BucketEncryptionStore}), as DeleteBucket does locally</td></tr>
 *   <tr><td>{@code bucket-encryption:<bucket>}</td><td>a {@code bucket_encryption} row changes
 *       (Put/DeleteBucketEncryption, cascade of a bucket deletion)</td><td>the bucket's encryption
 *       configuration entry</td></tr>
 *   <tr><td>{@code access-key:<access key id>}</td><td>an {@code access_key} row changes (deleted,
 *       status or secret changed, created)</td><td>the cached credential of that id (unknown ids are
 *       cached as absent, so a creation is announced too)</td></tr>
 *   <tr><td>{@code iam-user:<user id>}</td><td>an {@code iam_user}, {@code iam_user_policy} or
 *       {@code iam_user_policy_attachment} row changes (V18: CreateUser/DeleteUser, Put/DeleteUserPolicy,
 *       Attach/DetachUserPolicy)</td><td>the cached credentials of that user's keys (they carry its
 *       identity policies), and every credential lookup still in flight</td></tr>
 *   <tr><td>{@code iam-policy:<account>}</td><td>an {@code iam_policy} row (a customer managed policy)
 *       is updated or deleted</td><td>the cached credentials of every user key of that account, and
 *       every lookup still in flight</td></tr>
 *   <tr><td>{@code kms-key:<account>/<key id>}, {@code kms-alias:<account>/<alias name>}</td>
 *       <td>a {@code kms_key} row is updated or deleted (Enable/DisableKey, Schedule/CancelKeyDeletion,
 *       PutKeyPolicy, purge), a {@code kms_alias} row is updated or deleted</td><td>every cached key
 *       resolution and every cached bucket key: what {@code KeyRegistry} does after a change made on
 *       the node itself (so a key disabled on A stops serving SSE-KMS on B, cached bucket keys
 *       included)</td></tr>
 *   <tr><td>{@code kms-key-new:<account>/<key id>}, {@code kms-alias-new:<account>/<alias name>}</td>
 *       <td>a {@code kms_key} or {@code kms_alias} row is inserted (CreateKey, CreateAlias, the first
 *       use of {@code aws/s3})</td><td>every cached key resolution (absent answers are cached too); no
 *       bucket key can depend on a key or alias that did not exist, so bucket keys stay</td></tr>
 *   <tr><td>{@code account-public-access-block:<account>}</td><td>an {@code account_public_access_block}
 *       row changes (S3 Control Put/DeletePublicAccessBlock, V17)</td><td>that account's cached
 *       Block Public Access configuration ({@code AccountPublicAccessBlocks})</td></tr>
 *   <tr><td>{@code bucket-keys:*}</td><td>sent by a node after it rotated a KMS key's (or the SSE-S3
 *       key's) backend key</td><td>every cached bucket key, as rotation does locally</td></tr>
 *   <tr><td>{@code coverage:<id>}</td><td>a {@code coverage_snapshot} row is inserted (V20: a coverage
 *       scan ended)</td><td>nothing: the node loads the newest snapshot and serves it (JSON, page, gauges;
 *       {@code dev.sseproxy.coverage})</td></tr>
 *   <tr><td>{@code *}</td><td>a cached table was truncated, a payload would be too long, or an
 *       operator asked ({@code NOTIFY sse_proxy_changes, '*'})</td><td>every cache listed here (and reloads the coverage snapshot)</td></tr>
 * </table>
 * A payload of an unknown kind, or one that does not parse, also drops every cache (a newer node may
 * send kinds an older one does not know; the safe reading is "something changed"). Every node also
 * receives its own notifications: it drops again what it already dropped, which is harmless.
 *
 * <p><b>Listening.</b> Each node holds one dedicated connection (not from the pool; application name
 * {@value dev.sseproxy.cluster.ChangeListener#APPLICATION_NAME}), opened at start with the reactive
 * datasource's URL and credentials through Vert.x's {@code PgSubscriber}. When it drops, it is
 * re-opened after 100 ms, doubling up to 5 s between attempts, forever (a failed first connection is
 * retried the same way; the node serves meanwhile, on TTLs). {@code sse-proxy.cluster.change-feed.enabled=false}
 * turns listening off (the node then follows other nodes' changes by TTL only; its own changes still
 * notify the others, since the triggers send).
 *
 * <p><b>Missed notifications.</b> Notifications are not durable: whatever was sent while a node was
 * not listening is lost. So every time the LISTEN is (re-)established, the node drops every cache
 * listed above before it relies on notifications again; between the loss of the connection and that
 * flush, the TTLs bound staleness as they did before this feed ({@code sse-proxy.kms.registry-cache-ttl}
 * 5 s, {@code sse-proxy.s3.bucket-encryption-cache-ttl} 5 s, the bucket catalog 1 min,
 * {@code sse-proxy.credential-cache-ttl} 5 min, {@code sse-proxy.kms.bucket-key-ttl} 10 min).
 *
 * <p><b>Bounded.</b> Notifications are handled as they are read, on the listening connection's event
 * loop, by dropping cache entries (no I/O, no queue): a flood costs CPU, not memory; while the node
 * reads slowly, PostgreSQL holds the backlog in its own bounded notification queue.
 *
 * <p><b>Metrics</b> (Micrometer): {@code sse_proxy_cluster_notifications_received_total{kind}} (every
 * notification read, own ones included), {@code sse_proxy_cluster_notifications_sent_total{kind}}
 * (notifications this node's code sent; those of the triggers are counted where they are received),
 * {@code sse_proxy_cluster_cache_flushes_total{reason="connected|requested|unknown"}} and
 * {@code sse_proxy_cluster_listener_connected} (1 while LISTEN is established, else 0).
 *
 * <h2>Leases: background jobs run once ({@link dev.sseproxy.cluster.Leases})</h2>
 * Every node runs the same code, so every piece of background work that must happen once per
 * cluster runs under a <b>lease</b>: a row of {@code cluster_lease} (Flyway V16) that names the work
 * and the node that may do it, until when, and with which <b>fencing token</b>.
 * <pre>
 * cluster_lease(name text PRIMARY KEY, holder text, token bigint, acquired_at, renewed_at, expires_at timestamptz)
 * </pre>
 * <ul>
 *   <li><b>Leases in use.</b> {@code audit-delivery} (log file delivery, only with a delivery bucket),
 *       {@code audit-retention} (the retention purge), and one {@code rewrap-job-<id>} per running
 *       rewrap job (so two jobs may run on two nodes, each on one). The audit writer's flush is not
 *       leased: each node writes the events of its own requests. Part-table sweeps are not background
 *       work (the write that made the garbage sweeps it, inline), and expired KMS keys are deleted
 *       lazily by the next KMS call, so neither needs a lease.
 *   <li><b>Holder.</b> A node's id is {@code <host>:<pid>:<random>}, new at every start: a restarted
 *       node is a new holder and never inherits what its previous life held (it cannot know whether
 *       that life is really dead).
 *   <li><b>Acquire</b> is one atomic statement: {@code INSERT ... ON CONFLICT (name) DO UPDATE SET
 *       holder = me, token = token + 1, expires_at = now() + duration WHERE cluster_lease.expires_at
 *       <= now() RETURNING token}. It succeeds for a name nobody holds, or whose lease expired; it
 *       fails (no row) while another node's lease is live. PostgreSQL serialises concurrent attempts
 *       on the row, so at most one node gets each token. Every acquisition increments the token: the
 *       tokens of one name are strictly increasing (a released lease keeps its row and token; a job's
 *       lease row is deleted when the job ends, and its name never comes back).
 *   <li><b>Renewal (heartbeat).</b> Every {@code duration / 3} each node renews what it holds:
 *       {@code UPDATE ... SET expires_at = now() + duration WHERE name AND holder = me AND token = mine
 *       AND expires_at > now()}. No row means the lease is lost (it expired and maybe moved on): the
 *       node drops it at once and the work under it stops at its next step. The same heartbeat tries to
 *       acquire the singleton leases it does not hold, and the rewrap jobs scan for {@code RUNNING}
 *       jobs whose lease they can take. So a dead holder's work moves on after about
 *       {@code duration + duration / 3}: with 3 s leases {@code ClusterJobsIT} measured 3.6 to 5.4 s
 *       from the kill -9 to the next checkpoint on the other node (2-core machine under load).
 *   <li><b>Duration:</b> {@code sse-proxy.jobs.lease-duration}, default 15 s (tests use 3 s). Longer
 *       means slower failover; shorter means more renewals (one tiny UPDATE per lease per
 *       {@code duration / 3} per node) and less tolerance for a stalled event loop or database.
 *   <li><b>Release on clean stop.</b> A graceful stop (SIGTERM) releases every lease the node holds
 *       ({@code holder = NULL, expires_at = now()}), so another node takes the work over at its next
 *       heartbeat instead of waiting for expiry. A kill -9 releases nothing: the lease expires.
 *   <li><b>Clocks.</b> Expiry is decided by the database's clock only ({@code now()} in every
 *       statement); node clocks are never compared with it or with each other. A node measures only
 *       elapsed time, with its monotonic clock: it treats a lease as valid until the moment it
 *       <em>sent</em> its last successful acquire/renew plus 80% of the duration (the 20% margin
 *       covers clock-rate drift and work in flight), and starts no new step after that. The only
 *       assumption is that clocks tick at nearly the same rate, not that they agree.
 *   <li><b>Fencing.</b> The local check is an optimisation; correctness comes from the database.
 *       Every write that commits progress under a lease carries the lease's token and checks it in
 *       the same statement or transaction: {@code EXISTS (SELECT 1 FROM cluster_lease WHERE name = $n
 *       AND token = $t AND expires_at > now() FOR SHARE)}. The {@code FOR SHARE} row lock makes the
 *       check hold until commit: a takeover (an UPDATE of that row) waits for the write to commit,
 *       and a write that comes after a takeover sees the new token and changes nothing. So a node that
 *       lost its lease (paused, partitioned, or just slow) can never commit progress again; the work
 *       it does outside the database in the meantime must be idempotent, which each job below makes
 *       it (at most one step of it).
 *   <li><b>Losing the database.</b> Renewals fail; the node keeps no lease beyond its local
 *       deadline (80% of the duration after its last successful renewal), so it stops starting
 *       steps, and its fenced writes fail anyway. When the database comes back, whichever node
 *       acquires first resumes from the last committed checkpoint. Nothing is lost: the durable
 *       state (job cursor, undelivered events, planned log files) is in the database.
 *   <li><b>Why not advisory locks.</b> A session-level {@code pg_advisory_lock} belongs to one
 *       connection; the reactive pool hands connections to whichever query comes next, recycles
 *       them and reconnects after errors, so the lock would silently go (or stay) with a connection
 *       the job is no longer using, and it gives no token to fence writes with. A lease row works
 *       with any connection and any number of statements.
 *   <li><b>Observing.</b> {@code GET /admin/cluster/leases} (management port, root-signed) lists
 *       every lease row (name, holder, token, expiry, whether it is live) and this node's id;
 *       metrics {@code sse_proxy_cluster_leases_held} (gauge: leases this node holds), {@code
 *       sse_proxy_cluster_lease_held{lease="audit-delivery"|"audit-retention"}} (1 on the holder),
 *       {@code sse_proxy_cluster_lease_acquired_total} and {@code sse_proxy_cluster_lease_lost_total}.
 * </ul>
 *
 * <h3>Rewrap jobs under a lease ({@code sse.RewrapJobs})</h3>
 * The node that starts a job ({@code POST /admin/kms/rewrap}) takes its lease and runs it; every node
 * scans for {@code RUNNING} jobs at each heartbeat and runs those whose lease it can take (after the
 * runner died, its lease expires). Progress is checkpointed after <b>every object</b> with a fenced
 * UPDATE of {@code done}, {@code rewrapped} and the cursor (bucket, key). An object that needs a
 * rewrap is first recorded as <b>pending</b> (its key and the SHA-256 of the new wrapped key) with a
 * fenced UPDATE, then restamped at the backend, then counted. A node that resumes a job with a pending
 * object reads that object's envelope: if it carries the pending wrapped key, the restamp happened
 * and the object is counted as rewrapped; otherwise it is processed again. So {@code done} counts
 * every object once and {@code rewrapped} counts every rewrap once, whatever node died where, and the
 * job becomes {@code DONE} once (a fenced {@code UPDATE ... WHERE state = 'RUNNING'}). A restamp by a
 * node that lost its lease while it was in flight can still land (an object may then be rewrapped
 * twice); both envelopes wrap the same data key, so the object stays readable, and the counts are
 * the resuming node's. {@code sse-proxy.jobs.rewrap-object-delay} (default 0) waits that long before
 * each object: <b>a test-only throttle</b>, so a test can kill a node mid-job. The statements are
 * {@code catalog.RewrapJobRows}'.
 *
 * <h3>Log file delivery under a lease ({@code audit.LogDelivery}, statements in {@code catalog.AuditLogFiles})</h3>
 * Only the holder of {@code audit-delivery} delivers. A file is <b>planned</b> before it is
 * uploaded: in one fenced transaction its events are chosen and a row of {@code audit_log_file}
 * (Flyway V16) records its object key (with its date and random part fixed now), account, region and
 * the event ids in file order. Then the file is uploaded, then a second fenced transaction marks its
 * events delivered and deletes the plan. Every run first finishes the planned files left over (by a
 * failed upload, or by a node that died or lost its lease between plan and mark): it rebuilds each
 * from the stored ids, in the stored order, and uploads it <b>under the same key</b>. The guarantee:
 * every event is delivered in exactly one log file key; a file may be PUT more than once (a retry,
 * or a late upload by a node that lost its lease), always with the same records in the same order
 * (the same gzip bytes for the same JDK), so a retry overwrites the object with the same content and
 * never makes a second file. No new file is planned while an older plan is pending. {@code
 * ClusterJobsIT} makes that crash window on purpose (a delivered file turned back into a plan) and
 * checks that the file is uploaded again under its key with the same bytes and no event lands
 * elsewhere.
 *
 * <p>Cost: a renewal or a fenced checkpoint is one small UPDATE (server time about 0.1 ms and 0.3 ms;
 * the {@code FOR SHARE} fence adds about 0.01 ms to a checkpoint); a rewrap job makes one checkpoint
 * per object that needs no rewrap and two per object it rewraps.
 *
 * <h3>Retention under a lease ({@code audit.AuditRetention})</h3>
 * Only the holder of {@code audit-retention} purges. The purge is idempotent (deleting what is old),
 * so it is not fenced: a node that lost the lease mid-purge at worst runs one batch alongside the new
 * holder.
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
 *
 * <h2>Dependencies</h2>
 * {@code cluster} is plumbing every layer may use (leases, fencing, shared token buckets, the change
 * feed), so it depends on no other package of the proxy: the feed reaches the caches it keeps in line
 * through the {@link dev.sseproxy.cluster.Caches} port (implemented by
 * {@code dev.sseproxy.wiring.CacheInvalidation}), and the shared token buckets'
 * SQL is {@code dev.sseproxy.catalog.TokenBucketRows}, behind the {@link dev.sseproxy.cluster.SharedTokenBuckets}
 * port. The same holds for the leases and the feed's sending end: the lease statements are
 * {@code dev.sseproxy.catalog.LeaseRows}, behind {@link dev.sseproxy.cluster.LeaseStorage}
 * ({@link dev.sseproxy.cluster.Leases} keeps what this node holds), and {@code pg_notify} is
 * {@code dev.sseproxy.catalog.ChangeNotifications}, behind {@link dev.sseproxy.cluster.ChangeChannel}.
 * Two pieces stay here on purpose: the {@code LISTEN} of {@link dev.sseproxy.cluster.ChangeListener},
 * on its own connection through the PostgreSQL client's subscriber (not a statement on the pool: it
 * must outlive any query and reconnect by itself), and {@link dev.sseproxy.cluster.Leases#fence}, the
 * text of the fencing condition that the catalog's fenced statements embed: it is part of the lease
 * protocol this package defines.
 */
package dev.sseproxy.cluster;
