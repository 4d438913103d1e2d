package dev.sseproxy.catalog;

import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The encryption-coverage snapshots ({@code coverage_snapshot}, documents as the coverage package writes
 * them) and the bucket list a coverage scan walks. Writes are fenced by the scan's lease.
 */
@ApplicationScoped
public class CoverageSnapshots {
    /** How many snapshots are kept (the newest is the current one). */
    public static final int KEPT = 10;
    static final String INSERT = "INSERT INTO coverage_snapshot (scanned_at, duration_millis, node, document) "
            + "SELECT $3, $4, $5, $6 WHERE " + Leases.fence(1) + " RETURNING id";
    static final String PRUNE = "DELETE FROM coverage_snapshot WHERE id <= $1 - " + KEPT;
    static final String NEWEST = "SELECT max(id) FROM coverage_snapshot HAVING max(id) IS NOT NULL";
    static final String LATEST = "SELECT id, node, document FROM coverage_snapshot ORDER BY id DESC LIMIT 1";
    static final String BUCKETS = "SELECT name, owner_id FROM bucket ORDER BY name";

    /** A stored snapshot: its id, the node that took it and its JSON document. */
    public record Stored(long id, String node, String document) {
    }

    /** A bucket of the catalog and its owner. */
    public record BucketOwner(String name, String account) {
    }

    private final Pool pool;

    public CoverageSnapshots(Pool pool) {
        this.pool = pool;
    }

    /** The id of the newest snapshot; empty when none was stored yet. */
    public Uni<Optional<Long>> newestId() {
        return pool.preparedQuery(NEWEST).execute().map(rows -> rows.size() == 0 ? Optional.<Long>empty()
                : Optional.of(rows.iterator().next().getLong(0)));
    }

    /** The newest snapshot. */
    public Uni<Optional<Stored>> latest() {
        return pool.preparedQuery(LATEST).execute().map(rows -> {
            for (Row r : rows) {
                return Optional.of(new Stored(r.getLong(0), r.getString(1), r.getString(2)));
            }
            return Optional.<Stored>empty();
        });
    }

    /**
     * Stores a snapshot if {@code lease} is still held with its token, and answers its id; empty when the
     * fence refused it (another node took the lease over).
     */
    public Uni<Optional<Long>> insert(Leases.Lease lease, Instant scannedAt, long durationMillis, String node,
            String document) {
        return pool.preparedQuery(INSERT).execute(Tuple.of(lease.name(), lease.token(),
                OffsetDateTime.ofInstant(scannedAt, ZoneOffset.UTC), durationMillis, node, document))
                .map(rows -> rows.size() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    /** Removes the snapshots older than the {@link #KEPT} newest, {@code newest} being the newest id. */
    public Uni<Void> prune(long newest) {
        return pool.preparedQuery(PRUNE).execute(Tuple.of(newest)).replaceWithVoid();
    }

    /** Every bucket of the catalog with its owner, in name order. */
    public Uni<List<BucketOwner>> buckets() {
        return pool.preparedQuery(BUCKETS).execute().map(rows -> {
            List<BucketOwner> out = new ArrayList<>();
            rows.forEach(r -> out.add(new BucketOwner(r.getString(0), r.getString(1))));
            return out;
        });
    }
}
