package dev.sseproxy.batch;

import dev.sseproxy.catalog.BatchJobRows;
import dev.sseproxy.catalog.BatchJobRows.JobRow;
import dev.sseproxy.catalog.BatchJobRows.NextStatus;
import dev.sseproxy.catalog.BatchJobRows.Stamp;
import dev.sseproxy.catalog.BatchJobRows.Task;
import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Jobs and tasks as this package sees them: the catalog's rows ({@link BatchJobRows}, where the
 * statements are) with their status as a {@link JobStatus}. Writes a runner makes carry the fencing
 * condition of the job's lease ({@link Leases#fence}); the API's writes (UpdateJobStatus,
 * UpdateJobPriority) lock the job row.
 */
@ApplicationScoped
public class BatchJobStore {

    /** A job row. */
    public record Job(String id, String accountId, String token, String principalUser, String principalPath,
            String principalUserId, String requestXml, String operation, JobStatus status, int priority,
            boolean confirmationRequired, String description, String roleArn, String statusUpdateReason,
            String failureCode, String failureReason, String generatedManifest, OffsetDateTime activeSince,
            long activeSeconds, OffsetDateTime createdAt, OffsetDateTime suspendedAt, OffsetDateTime terminatedAt) {

        /** Seconds spent Active so far. */
        public long elapsedActiveSeconds() {
            long s = activeSeconds;
            if (activeSince != null) {
                s += Math.max(0, java.time.Duration.between(activeSince, OffsetDateTime.now()).toSeconds());
            }
            return s;
        }

        static Job of(JobRow r) {
            return new Job(r.id(), r.accountId(), r.token(), r.principalUser(), r.principalPath(), r.principalUserId(),
                    r.requestXml(), r.operation(), JobStatus.fromWire(r.status()).orElseThrow(), r.priority(),
                    r.confirmationRequired(), r.description(), r.roleArn(), r.statusUpdateReason(), r.failureCode(),
                    r.failureReason(), r.generatedManifest(), r.activeSince(), r.activeSeconds(), r.createdAt(),
                    r.suspendedAt(), r.terminatedAt());
        }

        JobRow row() {
            return new JobRow(id, accountId, token, principalUser, principalPath, principalUserId, requestXml, operation,
                    status.wire(), priority, confirmationRequired, description, roleArn, statusUpdateReason, failureCode,
                    failureReason, generatedManifest, activeSince, activeSeconds, createdAt, suspendedAt, terminatedAt);
        }
    }

    /** The outcome of UpdateJobStatus: the job after it, or why not. */
    public record StatusChange(Optional<Job> job, boolean refused) {
    }

    private final BatchJobRows rows;

    public BatchJobStore(BatchJobRows rows) {
        this.rows = rows;
    }

    /** Inserts a job, or answers the id of the account's job with the same client token. */
    public Uni<String> insert(Job j) {
        return rows.insert(j.row());
    }

    public Uni<Optional<Job>> find(String id) {
        return rows.find(id).map(found -> found.map(Job::of));
    }

    public Uni<BatchJobRows.Progress> progress(String id) {
        return rows.progress(id);
    }

    /**
     * A page of the account's jobs, newest first, after {@code (createdAt, id)} of the previous page's last
     * job; {@code statuses} empty: all.
     */
    public Uni<List<Job>> list(String account, List<String> statuses, OffsetDateTime afterCreated, String afterId,
            int limit) {
        return rows.list(account, statuses, afterCreated, afterId, limit)
                .map(found -> found.stream().map(Job::of).toList());
    }

    /** Jobs a runner should work on, highest priority first. */
    public Uni<List<String>> runnable() {
        return rows.runnable();
    }

    /** Sets the priority; false when the account has no such job. */
    public Uni<Boolean> priority(String account, String id, int priority) {
        return rows.priority(account, id, priority);
    }

    /** Applies {@code UpdateJobStatus} under the job row's lock ({@link JobStatus#request}). */
    public Uni<StatusChange> requestStatus(String account, String id, JobStatus requested, String reason) {
        return rows.requestStatus(account, id, row -> JobStatus.fromWire(row.status()).orElseThrow().request(requested)
                .map(next -> new NextStatus(next.wire(), next.terminal())), reason)
                .map(c -> new StatusChange(c.job().map(Job::of), c.refused()));
    }

    // ---- a runner's writes: fenced by the job's lease

    /**
     * Moves the job from {@code from} to {@code to}, stamping {@code stamp} (with {@code params});
     * false when nothing changed (the status moved meanwhile, or the lease is gone: see {@link #leaseLive}).
     */
    public Uni<Boolean> transition(String id, Leases.Lease lease, JobStatus from, JobStatus to, Stamp stamp,
            Object... params) {
        return rows.transition(id, lease, from.wire(), to.wire(), stamp, params);
    }

    public Uni<Boolean> leaseLive(Leases.Lease lease) {
        return rows.leaseLive(lease);
    }

    /** Records the descriptor of the manifest the job generated, fenced. */
    public Uni<Void> generatedManifest(String id, Leases.Lease lease, String descriptor) {
        return rows.generatedManifest(id, lease, descriptor);
    }

    /** Deletes the job's tasks (a preparation starting over), under the fence. */
    public Uni<Void> clearTasks(String id, Leases.Lease lease) {
        return rows.clearTasks(id, lease);
    }

    /** Inserts a batch of tasks ({@code rows}: bucket, key, versionId, etag), numbered from {@code firstSeq}, fenced. */
    public Uni<Void> insertTasks(String id, Leases.Lease lease, long firstSeq, List<String[]> tasks) {
        return rows.insertTasks(id, lease, firstSeq, tasks);
    }

    /** Open tasks (PENDING or STARTED) after {@code afterSeq}, in order. */
    public Uni<List<Task>> openTasks(String id, long afterSeq, int limit) {
        return rows.openTasks(id, afterSeq, limit);
    }

    /** Tasks in {@code state} after {@code afterSeq} (a report's rows, a generated manifest's), in order. */
    public Uni<List<Task>> tasksIn(String id, String state, long afterSeq, int limit) {
        return rows.tasksIn(id, state, afterSeq, limit);
    }

    /** PENDING to STARTED, recording the backend ETag the copy will be conditional on. */
    public Uni<Void> started(String id, Leases.Lease lease, long seq, String backendEtag) {
        return rows.started(id, lease, seq, backendEtag);
    }

    /** An open task's outcome (counted once: only an open task moves). */
    public Uni<Void> finished(String id, Leases.Lease lease, long seq, boolean succeeded, int status, String code,
            String message) {
        return rows.finished(id, lease, seq, succeeded, status, code, message);
    }
}
