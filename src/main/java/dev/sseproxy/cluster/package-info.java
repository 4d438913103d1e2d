/**
 * Cluster plumbing: what N proxies on one PostgreSQL database need to behave as one endpoint.
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
 * each object: <b>a test-only throttle</b>, so a test can kill a node mid-job.
 *
 * <h3>Log file delivery under a lease ({@code audit.LogDelivery})</h3>
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
 */
package dev.sseproxy.cluster;
