package dev.sseproxy.catalog;

import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrap jobs in PostgreSQL (table {@code rewrap_job}) for {@code sse.RewrapJobs}: a job's progress, its
 * saved position, and the checkpoints its runner writes. Every checkpoint is fenced by the job's lease
 * ({@link Leases#fence}) and applies only while the job is {@code RUNNING}; one that changes nothing
 * fails with {@link Leases.LostException} (protocol: "Rewrap jobs under a lease" in the cluster package
 * documentation).
 */
@ApplicationScoped
public class RewrapJobRows {
    /** Every checkpoint: $1 the job, $2 and $3 its lease's name and token, the rest the SET clause's. */
    private static final String CHECKPOINT = "UPDATE rewrap_job SET %s, updated_at = now() WHERE id = $1 "
            + "AND state = 'RUNNING' AND " + Leases.fence(2);
    private static final String CLEAR_PENDING = "pending_bucket = NULL, pending_key = NULL, pending_wrapped = NULL";

    /** A job's progress: {@code bucket} null for every bucket; {@code state} RUNNING, DONE or FAILED. */
    public record Progress(long id, String bucket, String state, long total, long done, long rewrapped, String error) {
    }

    /**
     * A job's saved position: its one bucket (empty: all), the last object counted, the total, and the
     * object being restamped with the digest of its new wrapped key (nulls: none).
     */
    public record Position(Optional<String> only, String cursorBucket, String cursorKey, long total,
            String pendingBucket, String pendingKey, String pendingWrapped) {
    }

    private final Pool pool;

    public RewrapJobRows(Pool pool) {
        this.pool = pool;
    }

    /** The ids of the RUNNING jobs, oldest first. */
    public Uni<List<Long>> running() {
        return pool.preparedQuery("SELECT id FROM rewrap_job WHERE state = 'RUNNING' ORDER BY id").execute().map(rows -> {
            List<Long> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getLong(0)));
            return ids;
        });
    }

    /** Records a new RUNNING job over {@code bucket} (null: every bucket) and answers its id. */
    public Uni<Long> insert(String bucket) {
        return pool.preparedQuery("INSERT INTO rewrap_job (bucket, state) VALUES ($1, 'RUNNING') RETURNING id")
                .execute(Tuple.of(bucket)).map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Optional<Progress>> find(long id) {
        return pool.preparedQuery("SELECT id, bucket, state, total, done, rewrapped, error FROM rewrap_job WHERE id = $1")
                .execute(Tuple.of(id)).map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(new Progress(r.getLong(0), r.getString(1), r.getString(2), r.getLong(3),
                                r.getLong(4), r.getLong(5), r.getString(6)));
                    }
                    return Optional.empty();
                });
    }

    /** Where the job stands (it must exist). */
    public Uni<Position> position(long id) {
        return pool.preparedQuery("SELECT bucket, cursor_bucket, cursor_key, total, pending_bucket, pending_key, "
                + "pending_wrapped FROM rewrap_job WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
                    Row r = rows.iterator().next();
                    return new Position(Optional.ofNullable(r.getString(0)), r.getString(1), r.getString(2),
                            r.getLong(3), r.getString(4), r.getString(5), r.getString(6));
                });
    }

    /** Every bucket's name, in order: what a job over all buckets walks. */
    public Uni<List<String>> bucketNames() {
        return pool.preparedQuery("SELECT name FROM bucket ORDER BY name").execute().map(rows -> {
            List<String> names = new ArrayList<>();
            rows.forEach(r -> names.add(r.getString(0)));
            return names;
        });
    }

    // ---- the runner's checkpoints, fenced

    /** The number of objects the job walks. */
    public Uni<Void> total(long id, Leases.Lease lease, long total) {
        return checkpoint(id, lease, "total = $4", total);
    }

    /** One object counted, needing no rewrap: the cursor moves to it. */
    public Uni<Void> counted(long id, Leases.Lease lease, String bucket, String key) {
        return checkpoint(id, lease, "done = done + 1, cursor_bucket = $4, cursor_key = $5", bucket, key);
    }

    /** An object about to be restamped, with the digest of its new wrapped key. */
    public Uni<Void> pending(long id, Leases.Lease lease, String bucket, String key, String wrappedDigest) {
        return checkpoint(id, lease, "pending_bucket = $4, pending_key = $5, pending_wrapped = $6", bucket, key,
                wrappedDigest);
    }

    /** The pending object counted, {@code rewrapped} (0 or 1) of it rewrapped; the cursor moves to it. */
    public Uni<Void> restamped(long id, Leases.Lease lease, String bucket, String key, long rewrapped) {
        return checkpoint(id, lease, "done = done + 1, rewrapped = rewrapped + $6, cursor_bucket = $4, "
                + "cursor_key = $5, " + CLEAR_PENDING, bucket, key, rewrapped);
    }

    /** A pending object found restamped by a previous run: counted as rewrapped, the cursor moves to it. */
    public Uni<Void> pendingWasRestamped(long id, Leases.Lease lease, String bucket, String key) {
        return checkpoint(id, lease, "done = done + 1, rewrapped = rewrapped + 1, cursor_bucket = $4, "
                + "cursor_key = $5, " + CLEAR_PENDING, bucket, key);
    }

    /** A pending object left for the walk to process again. */
    public Uni<Void> pendingDropped(long id, Leases.Lease lease) {
        return checkpoint(id, lease, CLEAR_PENDING);
    }

    /** The job is DONE. */
    public Uni<Void> done(long id, Leases.Lease lease) {
        return checkpoint(id, lease, "state = 'DONE'");
    }

    /** The job FAILED with this error. */
    public Uni<Void> failed(long id, Leases.Lease lease, String error) {
        return checkpoint(id, lease, "state = 'FAILED', error = $4", error);
    }

    /**
     * A fenced checkpoint of job {@code id}: {@code set} (whose parameters are {@code $4...}) applied
     * only while the job is RUNNING and {@code lease} is live; fails with {@link Leases.LostException}
     * when it changed nothing.
     */
    private Uni<Void> checkpoint(long id, Leases.Lease lease, String set, Object... params) {
        Object[] all = new Object[3 + params.length];
        all[0] = id;
        all[1] = lease.name();
        all[2] = lease.token();
        System.arraycopy(params, 0, all, 3, params.length);
        return pool.preparedQuery(String.format(CHECKPOINT, set)).execute(Tuple.from(all)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw new Leases.LostException(lease);
            }
            return null;
        });
    }
}
