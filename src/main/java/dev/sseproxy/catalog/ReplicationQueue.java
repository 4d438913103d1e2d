package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The replication queue (table {@code replication_queue}, migration V27; the protocol is in the
 * documentation of {@code dev.sseproxy.replication}): rows are inserted before a write is acknowledged,
 * claimed by one node at a time with a lease ({@code claimed_by}, {@code claim_until}; a claim is taken in
 * one short statement with {@code FOR UPDATE SKIP LOCKED}, never held in a transaction across the copy),
 * and settled by the node that holds the claim. Every statement about the queue is here.
 */
@ApplicationScoped
public class ReplicationQueue {
    /** Row kinds. */
    public static final String OBJECT = "OBJECT";
    public static final String DELETE_MARKER = "DELETE_MARKER";
    /** Row states. */
    public static final String PENDING = "PENDING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";

    /** A row to insert: one object version (or delete marker) and one destination. */
    public record Entry(String bucket, String key, String versionId, String kind, String ruleId, String destBucket,
            String replicaKmsKeyId, Integer thresholdMinutes) {
    }

    /** A claimed row. */
    public record Item(long id, String bucket, String key, String versionId, String kind, String ruleId,
            String destBucket, String replicaKmsKeyId, Integer thresholdMinutes, int attempts, OffsetDateTime createdAt) {
    }

    private static final String COLUMNS = "id, bucket, object_key, version_id, kind, rule_id, dest_bucket, "
            + "replica_kms_key_id, threshold_minutes, attempts, created_at";

    private final Pool pool;

    public ReplicationQueue(Pool pool) {
        this.pool = pool;
    }

    /** Inserts the rows (one batch, committed when the returned Uni completes). */
    public Uni<Void> enqueue(List<Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            rows.add(Tuple.from(new Object[] {e.bucket(), e.key(), e.versionId(), e.kind(), e.ruleId(), e.destBucket(),
                e.replicaKmsKeyId(), e.thresholdMinutes()}));
        }
        return pool.preparedQuery("INSERT INTO replication_queue (bucket, object_key, version_id, kind, rule_id, "
                + "dest_bucket, replica_kms_key_id, threshold_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .executeBatch(rows).replaceWithVoid();
    }

    /**
     * Claims up to {@code max} due rows for {@code node} until {@code lease} from now: PENDING rows whose next
     * attempt is due and that nobody holds (or whose holder's claim expired), oldest first.
     */
    public Uni<List<Item>> claim(String node, int max, Duration lease) {
        if (max <= 0) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("UPDATE replication_queue SET claimed_by = $1, claim_until = now() + make_interval(secs => $3) "
                + "WHERE id IN (SELECT id FROM replication_queue WHERE state = 'PENDING' AND next_attempt_at <= now() "
                + "AND (claim_until IS NULL OR claim_until < now()) ORDER BY next_attempt_at, id LIMIT $2 "
                + "FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute(Tuple.of(node, max, lease.toMillis() / 1000.0)).map(rows -> {
                    List<Item> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Item(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getString(5), r.getString(6), r.getString(7), r.getInteger(8), r.getInteger(9),
                                r.getOffsetDateTime(10)));
                    }
                    out.sort(java.util.Comparator.comparingLong(Item::id));
                    return out;
                });
    }

    /** Extends {@code node}'s claims on {@code ids} (the rows it is working on). */
    public Uni<Void> renew(String node, List<Long> ids, Duration lease) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("UPDATE replication_queue SET claim_until = now() + make_interval(secs => $3) "
                + "WHERE claimed_by = $1 AND id = ANY($2) AND state = 'PENDING'")
                .execute(Tuple.of(node, ids.toArray(new Long[0]), lease.toMillis() / 1000.0)).replaceWithVoid();
    }

    /** The row replicated: COMPLETED (only while {@code node} holds it); false when it no longer did. */
    public Uni<Boolean> completed(long id, String node, long bytes) {
        return pool.preparedQuery("UPDATE replication_queue SET state = 'COMPLETED', completed_at = now(), "
                + "replicated_bytes = $3, claimed_by = NULL, claim_until = NULL, last_error = NULL "
                + "WHERE id = $1 AND claimed_by = $2 AND state = 'PENDING'")
                .execute(Tuple.of(id, node, bytes)).map(r -> r.rowCount() == 1);
    }

    /** The attempt failed: tried again after {@code delay}, the claim given back. */
    public Uni<Boolean> retry(long id, String node, Duration delay, String error) {
        return pool.preparedQuery("UPDATE replication_queue SET attempts = attempts + 1, "
                + "next_attempt_at = now() + make_interval(secs => $3), claimed_by = NULL, claim_until = NULL, "
                + "last_error = left($4, 1000) WHERE id = $1 AND claimed_by = $2 AND state = 'PENDING'")
                .execute(Tuple.of(id, node, delay.toMillis() / 1000.0, error)).map(r -> r.rowCount() == 1);
    }

    /** The row gives up: FAILED. */
    public Uni<Boolean> failed(long id, String node, String error) {
        return pool.preparedQuery("UPDATE replication_queue SET state = 'FAILED', attempts = attempts + 1, "
                + "completed_at = now(), claimed_by = NULL, claim_until = NULL, last_error = left($3, 1000) "
                + "WHERE id = $1 AND claimed_by = $2 AND state = 'PENDING'")
                .execute(Tuple.of(id, node, error)).map(r -> r.rowCount() == 1);
    }

    /** Gives a claim back untouched (the node could not start the work now, e.g. no KMS permit). */
    public Uni<Void> release(long id, String node, Duration delay) {
        return pool.preparedQuery("UPDATE replication_queue SET claimed_by = NULL, claim_until = NULL, "
                + "next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1 AND claimed_by = $2 AND state = 'PENDING'")
                .execute(Tuple.of(id, node, delay.toMillis() / 1000.0)).replaceWithVoid();
    }

    /**
     * The states of the OBJECT rows of one version ({@code versionId} null: a never-versioned bucket's
     * object), one per destination (the newest row per destination: a key rewritten in an unversioned bucket
     * has several); empty when it never replicated.
     */
    public Uni<List<String>> states(String bucket, String key, String versionId) {
        String sql = "SELECT DISTINCT ON (dest_bucket) state FROM replication_queue WHERE bucket = $1 AND object_key = $2 "
                + "AND kind = 'OBJECT' AND " + (versionId == null ? "version_id IS NULL" : "version_id = $3")
                + " ORDER BY dest_bucket, id DESC";
        Tuple t = versionId == null ? Tuple.of(bucket, key) : Tuple.of(bucket, key, versionId);
        return pool.preparedQuery(sql).execute(t).map(rows -> {
            List<String> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(r.getString(0));
            }
            return out;
        });
    }

    /**
     * Up to {@code max} PENDING rows with a time threshold that passed and was not reported yet, marked as reported
     * in the same statement (each row is reported once, by one node).
     */
    public Uni<List<Item>> missedThreshold(int max) {
        return pool.preparedQuery("UPDATE replication_queue SET missed_threshold_at = now() WHERE id IN (SELECT id "
                + "FROM replication_queue WHERE state = 'PENDING' AND threshold_minutes IS NOT NULL AND "
                + "missed_threshold_at IS NULL AND created_at + make_interval(mins => threshold_minutes) < now() "
                + "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute(Tuple.of(max)).map(rows -> {
                    List<Item> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Item(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getString(5), r.getString(6), r.getString(7), r.getInteger(8), r.getInteger(9),
                                r.getOffsetDateTime(10)));
                    }
                    return out;
                });
    }

    /** Rows not settled yet (PENDING), for the gauge. */
    public Uni<Long> pending() {
        return pool.query("SELECT count(*) FROM replication_queue WHERE state = 'PENDING'").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
