package dev.sseproxy.catalog;

import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * S3 Batch Operations jobs and tasks in PostgreSQL ({@code batch_job}, {@code batch_task}, migration
 * V21), for {@code dev.sseproxy.batch} (whose {@code BatchJobStore} turns these rows into its model).
 * Writes a runner makes carry the fencing condition of the job's lease ({@link Leases#fence}); the
 * API's writes (UpdateJobStatus, UpdateJobPriority) lock the job row. Statuses are their wire names
 * ({@code New}, {@code Active}, ...).
 */
@ApplicationScoped
public class BatchJobRows {
    static final String COLUMNS = "id, account_id, client_request_token, principal_user, principal_path, principal_user_id, "
            + "request_xml, operation, status, priority, confirmation_required, description, role_arn, status_update_reason, "
            + "failure_code, failure_reason, generated_manifest, active_since, active_seconds, created_at, suspended_at, "
            + "terminated_at";

    /** The SET clause that stops a job's Active timer. */
    private static final String STOP_TIMER = "active_seconds = active_seconds + COALESCE(EXTRACT(EPOCH FROM now() "
            + "- active_since)::bigint, 0), active_since = NULL";

    /** A job row; {@code status} its wire name. */
    public record JobRow(String id, String accountId, String token, String principalUser, String principalPath,
            String principalUserId, String requestXml, String operation, String status, int priority,
            boolean confirmationRequired, String description, String roleArn, String statusUpdateReason,
            String failureCode, String failureReason, String generatedManifest, OffsetDateTime activeSince,
            long activeSeconds, OffsetDateTime createdAt, OffsetDateTime suspendedAt, OffsetDateTime terminatedAt) {
    }

    /** What a runner's status transition stamps besides the status ({@link #transition}). */
    public enum Stamp {
        /** Nothing else. */
        NONE(""),
        /** The Active timer starts. */
        ACTIVE_SINCE("active_since = now()"),
        /** The job was suspended (it awaits confirmation) now. */
        SUSPENDED_AT("suspended_at = now()"),
        /** The job ended now. */
        TERMINATED_AT("terminated_at = now()"),
        /** The Active timer stops. */
        STOP_TIMER(BatchJobRows.STOP_TIMER),
        /** The Active timer stops and the job ended now. */
        STOP_TIMER_TERMINATED(BatchJobRows.STOP_TIMER + ", terminated_at = now()"),
        /** The job failed now: parameters the failure code and reason. */
        FAILED(BatchJobRows.STOP_TIMER + ", terminated_at = now(), failure_code = $6, failure_reason = $7");

        private final String set;

        Stamp(String set) {
            this.set = set;
        }
    }

    /** The status an UpdateJobStatus moves a job to (wire name), and whether that ends the job. */
    public record NextStatus(String status, boolean terminal) {
    }

    /** Task counts, derived from the task rows. */
    public record Progress(long total, long succeeded, long failed) {
    }

    /** A task row. */
    public record Task(long seq, String bucket, String key, String versionId, String etag, String state,
            String backendEtag, Integer httpStatus, String errorCode, String resultMessage) {
    }

    private final Pool pool;

    public BatchJobRows(Pool pool) {
        this.pool = pool;
    }

    /** Inserts a job, or answers the id of the account's job with the same client token. */
    public Uni<String> insert(JobRow j) {
        return pool.preparedQuery("INSERT INTO batch_job (id, account_id, client_request_token, principal_user, "
                + "principal_path, principal_user_id, request_xml, operation, status, priority, confirmation_required, "
                + "description, role_arn) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                + "ON CONFLICT (account_id, client_request_token) DO NOTHING RETURNING id")
                .execute(Tuple.from(new Object[] {j.id(), j.accountId(), j.token(), j.principalUser(), j.principalPath(),
                        j.principalUserId(), j.requestXml(), j.operation(), j.status(), j.priority(),
                        j.confirmationRequired(), j.description(), j.roleArn()}))
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(rows.iterator().next().getString(0))
                        : pool.preparedQuery("SELECT id FROM batch_job WHERE account_id = $1 AND client_request_token = $2")
                                .execute(Tuple.of(j.accountId(), j.token())).map(r -> r.iterator().next().getString(0)));
    }

    public Uni<Optional<JobRow>> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM batch_job WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next())));
    }

    public Uni<Progress> progress(String id) {
        return pool.preparedQuery("SELECT count(*), count(*) FILTER (WHERE state = 'SUCCEEDED'), "
                + "count(*) FILTER (WHERE state = 'FAILED') FROM batch_task WHERE job_id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Progress(r.getLong(0), r.getLong(1), r.getLong(2));
                });
    }

    /**
     * A page of the account's jobs, newest first, after {@code (createdAt, id)} of the previous page's last
     * job; {@code statuses} empty: all.
     */
    public Uni<List<JobRow>> list(String account, List<String> statuses, OffsetDateTime afterCreated, String afterId,
            int limit) {
        String sql = "SELECT " + COLUMNS + " FROM batch_job WHERE account_id = $1 AND (cardinality($2::text[]) = 0 "
                + "OR status = ANY($2::text[])) AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4)) "
                + "ORDER BY created_at DESC, id DESC LIMIT $5";
        return pool.preparedQuery(sql).execute(Tuple.of(account, statuses.toArray(new String[0]), afterCreated,
                afterId, limit)).map(BatchJobRows::jobs);
    }

    /** Jobs a runner should work on, highest priority first. */
    public Uni<List<String>> runnable() {
        return pool.preparedQuery("SELECT id FROM batch_job WHERE status IN ('New', 'Preparing', 'Ready', 'Active', "
                + "'Completing', 'Cancelling') ORDER BY priority DESC, created_at").execute().map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return ids;
                });
    }

    /** Sets the priority; false when the account has no such job. */
    public Uni<Boolean> priority(String account, String id, int priority) {
        return pool.preparedQuery("UPDATE batch_job SET priority = $3, updated_at = now() WHERE id = $1 AND account_id = $2")
                .execute(Tuple.of(id, account, priority)).map(r -> r.rowCount() > 0);
    }

    /** The outcome of UpdateJobStatus: the job after it, or why not. */
    public record StatusChange(Optional<JobRow> job, boolean refused) {
    }

    /**
     * Applies {@code UpdateJobStatus} under the job row's lock: {@code next} decides from the locked
     * row (empty: refused, nothing written).
     */
    public Uni<StatusChange> requestStatus(String account, String id, Function<JobRow, Optional<NextStatus>> next,
            String reason) {
        return pool.withTransaction(c -> c.preparedQuery("SELECT " + COLUMNS
                + " FROM batch_job WHERE id = $1 AND account_id = $2 FOR UPDATE").execute(Tuple.of(id, account))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(new StatusChange(Optional.empty(), false));
                    }
                    JobRow j = job(rows.iterator().next());
                    Optional<NextStatus> to = next.apply(j);
                    if (to.isEmpty()) {
                        return Uni.createFrom().item(new StatusChange(Optional.of(j), true));
                    }
                    boolean ends = to.get().terminal();
                    return c.preparedQuery("UPDATE batch_job SET status = $2, status_update_reason = COALESCE($3, "
                            + "status_update_reason), terminated_at = CASE WHEN $4 THEN now() ELSE terminated_at END, "
                            + "updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
                            .execute(Tuple.of(id, to.get().status(), reason, ends))
                            .map(r -> new StatusChange(Optional.of(job(r.iterator().next())), false));
                }));
    }

    // ---- a runner's writes: fenced by the job's lease (parameters $2, $3)

    /**
     * Moves the job from status {@code from} to {@code to} (wire names), stamping {@code stamp} (whose
     * parameters, {@code $6...}, are {@code params}); false when nothing changed (the status moved
     * meanwhile, or the lease is gone: see {@link #leaseLive}).
     */
    public Uni<Boolean> transition(String id, Leases.Lease lease, String from, String to, Stamp stamp,
            Object... params) {
        Object[] all = new Object[5 + params.length];
        all[0] = id;
        all[1] = lease.name();
        all[2] = lease.token();
        all[3] = from;
        all[4] = to;
        System.arraycopy(params, 0, all, 5, params.length);
        String set = "status = $5, updated_at = now()" + (stamp.set.isEmpty() ? "" : ", " + stamp.set);
        return pool.preparedQuery("UPDATE batch_job SET " + set + " WHERE id = $1 AND status = $4 AND "
                + Leases.fence(2)).execute(Tuple.from(all)).map(r -> r.rowCount() > 0);
    }

    public Uni<Boolean> leaseLive(Leases.Lease lease) {
        return pool.preparedQuery("SELECT " + Leases.fence(1)).execute(Tuple.of(lease.name(), lease.token()))
                .map(r -> r.iterator().next().getBoolean(0));
    }

    /** Runs a fenced statement ($1 job id, $2/$3 the lease, then {@code params}); fails with LostException when it changed nothing. */
    private Uni<RowSet<Row>> fenced(String sql, String id, Leases.Lease lease, Object... params) {
        Object[] all = new Object[3 + params.length];
        all[0] = id;
        all[1] = lease.name();
        all[2] = lease.token();
        System.arraycopy(params, 0, all, 3, params.length);
        return pool.preparedQuery(sql.replace("FENCE", Leases.fence(2))).execute(Tuple.from(all)).invoke(r -> {
            if (r.rowCount() == 0) {
                throw new Leases.LostException(lease);
            }
        });
    }

    /** Records the descriptor of the manifest the job generated, fenced. */
    public Uni<Void> generatedManifest(String id, Leases.Lease lease, String descriptor) {
        return fenced("UPDATE batch_job SET generated_manifest = $4 WHERE id = $1 AND FENCE", id, lease, descriptor)
                .replaceWithVoid();
    }

    /** Deletes the job's tasks (a preparation starting over), under the fence. */
    public Uni<Void> clearTasks(String id, Leases.Lease lease) {
        return pool.preparedQuery("DELETE FROM batch_task WHERE job_id = $1 AND " + Leases.fence(2))
                .execute(Tuple.of(id, lease.name(), lease.token())).replaceWithVoid();
    }

    /** Inserts a batch of tasks ({@code rows}: bucket, key, versionId, etag), numbered from {@code firstSeq}, fenced. */
    public Uni<Void> insertTasks(String id, Leases.Lease lease, long firstSeq, List<String[]> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        long[] seqs = new long[n];
        String[] buckets = new String[n];
        String[] keys = new String[n];
        String[] versions = new String[n];
        String[] etags = new String[n];
        for (int i = 0; i < n; i++) {
            seqs[i] = firstSeq + i;
            buckets[i] = rows.get(i)[0];
            keys[i] = rows.get(i)[1];
            versions[i] = rows.get(i)[2];
            etags[i] = rows.get(i)[3];
        }
        Long[] boxed = new Long[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = seqs[i];
        }
        return fenced("INSERT INTO batch_task (job_id, seq, bucket, key, version_id, etag) SELECT $1, s, b, k, v, e "
                + "FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(s, b, k, v, e) WHERE FENCE",
                id, lease, boxed, buckets, keys, versions, etags).replaceWithVoid();
    }

    /** Open tasks (PENDING or STARTED) after {@code afterSeq}, in order. */
    public Uni<List<Task>> openTasks(String id, long afterSeq, int limit) {
        return pool.preparedQuery("SELECT seq, bucket, key, version_id, etag, state, backend_etag, http_status, error_code, "
                + "result_message FROM batch_task WHERE job_id = $1 AND state IN ('PENDING', 'STARTED') AND seq > $2 "
                + "ORDER BY seq LIMIT $3").execute(Tuple.of(id, afterSeq, limit)).map(BatchJobRows::tasks);
    }

    /** Tasks in {@code state} after {@code afterSeq} (a report's rows, a generated manifest's), in order. */
    public Uni<List<Task>> tasksIn(String id, String state, long afterSeq, int limit) {
        return pool.preparedQuery("SELECT seq, bucket, key, version_id, etag, state, backend_etag, http_status, error_code, "
                + "result_message FROM batch_task WHERE job_id = $1 AND ($2::text IS NULL OR state = $2) AND seq > $3 "
                + "ORDER BY seq LIMIT $4").execute(Tuple.of(id, state, afterSeq, limit)).map(BatchJobRows::tasks);
    }

    /** PENDING to STARTED, recording the backend ETag the copy will be conditional on. */
    public Uni<Void> started(String id, Leases.Lease lease, long seq, String backendEtag) {
        return fenced("UPDATE batch_task SET state = 'STARTED', backend_etag = $5 WHERE job_id = $1 AND seq = $4 "
                + "AND state IN ('PENDING', 'STARTED') AND FENCE", id, lease, seq, backendEtag).replaceWithVoid();
    }

    /** An open task's outcome (counted once: only an open task moves). */
    public Uni<Void> finished(String id, Leases.Lease lease, long seq, boolean succeeded, int status, String code,
            String message) {
        return fenced("UPDATE batch_task SET state = $5, http_status = $6, error_code = $7, result_message = $8 "
                + "WHERE job_id = $1 AND seq = $4 AND state IN ('PENDING', 'STARTED') AND FENCE", id, lease, seq,
                succeeded ? "SUCCEEDED" : "FAILED", status, code, message).replaceWithVoid();
    }

    private static List<Task> tasks(RowSet<Row> rows) {
        List<Task> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new Task(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                    r.getString(6), r.getInteger(7), r.getString(8), r.getString(9)));
        }
        return out;
    }

    private static List<JobRow> jobs(RowSet<Row> rows) {
        List<JobRow> out = new ArrayList<>();
        rows.forEach(r -> out.add(job(r)));
        return out;
    }

    static JobRow job(Row r) {
        return new JobRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                r.getString(6), r.getString(7), r.getString(8), r.getInteger(9),
                r.getBoolean(10), r.getString(11), r.getString(12), r.getString(13), r.getString(14), r.getString(15),
                r.getString(16), r.getOffsetDateTime(17), r.getLong(18), r.getOffsetDateTime(19), r.getOffsetDateTime(20),
                r.getOffsetDateTime(21));
    }
}
