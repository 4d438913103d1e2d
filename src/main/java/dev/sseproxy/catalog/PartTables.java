package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Part tables stored out of line (V9): an envelope whose part table does not fit the backend's
 * user metadata holds the table's SHA-256, and the table itself lives here under (bucket, key,
 * digest). The table is part sizes only (no object data); the envelope's digest, and from
 * envelope version 2 its table MAC, make a changed row fail the read.
 *
 * <p><b>Lifetime.</b> CompleteMultipartUpload {@link #put puts} the row before the envelope that
 * names it goes live and puts it again (refreshing {@code touched_at}) once it is live. Every write
 * or delete of a key through the proxy {@link #sweep sweeps} the key afterwards (DeleteObject,
 * DeleteObjects and CompleteMultipartUpload before they answer, single PUTs, copies and POST uploads
 * in the background): it removes the key's rows other than the one the write itself made that were
 * last put before the write began.
 * A sweep that removes the row of the object that is current must come from a write that the
 * completion's backend write followed; that write's sweep runs after it, so at worst between the
 * completion's restamp and its second put, which restores the row before the completion answers:
 * once CompleteMultipartUpload has answered, the current object's row is there (a read in that
 * window of a few milliseconds, with two writers racing on one key, fails with 500). A row of an
 * object deleted behind the proxy's back (in MinIO directly, by lifecycle rules) stays until the
 * next write of that key through the proxy.
 * <p>The same statements sweep the key's ETag rows ({@link ObjectEtags}, V29) by the same rule (the
 * digest to keep aside): one round trip for both.
 */
@ApplicationScoped
public class PartTables {
    private final Pool pool;

    public PartTables(Pool pool) {
        this.pool = pool;
    }

    /** Stores (or refreshes) the table of {@code bucket/key} with this digest. */
    public Uni<Void> put(String bucket, String key, byte[] digest, String table) {
        return pool.preparedQuery("INSERT INTO sse_part_table (bucket, object_key, digest, part_table) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (bucket, object_key, digest) DO UPDATE SET part_table = EXCLUDED.part_table, "
                + "touched_at = clock_timestamp()")
                .execute(Tuple.from(new Object[] {bucket, key, io.vertx.core.buffer.Buffer.buffer(digest), table}))
                .replaceWithVoid();
    }

    /** The stored table of {@code bucket/key} with this digest. */
    public Uni<Optional<String>> find(String bucket, String key, byte[] digest) {
        return pool.preparedQuery("SELECT part_table FROM sse_part_table WHERE bucket = $1 AND object_key = $2 AND digest = $3")
                .execute(Tuple.of(bucket, key, io.vertx.core.buffer.Buffer.buffer(digest))).map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(r.getString(0));
                    }
                    return Optional.empty();
                });
    }

    /**
     * Removes the rows of these keys of {@code bucket} last put more than {@code sinceStartMillis}
     * ago (the sweeping write's age, so: before it began), except the one with digest {@code keep}
     * (null: none).
     */
    /**
     * Sweeps leave a versioned (or suspended) bucket alone (V22): an overwrite or a delete marker
     * leaves the older versions, whose out-of-line tables must stay readable, and a permanent
     * delete of one version does not know which rows the remaining versions use. Those rows (part
     * sizes and digests only, no object data, no key) stay behind. Part of the same statement: no
     * extra round trip, and never a stale cached status.
     */
    static final String UNVERSIONED = "AND NOT EXISTS (SELECT 1 FROM bucket b WHERE b.name = $1 AND b.versioning IS NOT NULL)";

    public Uni<Integer> sweep(String bucket, List<String> keys, byte[] keep, long sinceStartMillis) {
        return pool.preparedQuery("WITH etags AS (DELETE FROM sse_object_etag WHERE bucket = $1 AND object_key = ANY($2) "
                + "AND touched_at < clock_timestamp() - make_interval(secs => $4::float8 / 1000) " + UNVERSIONED + ") "
                + "DELETE FROM sse_part_table WHERE bucket = $1 AND object_key = ANY($2) "
                + "AND ($3::bytea IS NULL OR digest <> $3) "
                + "AND touched_at < clock_timestamp() - make_interval(secs => $4::float8 / 1000) " + UNVERSIONED)
                .execute(Tuple.from(new Object[] {bucket, keys.toArray(new String[0]),
                        keep == null ? null : io.vertx.core.buffer.Buffer.buffer(keep), (double) sinceStartMillis}))
                .map(rows -> rows.rowCount());
    }

    /**
     * {@link #sweep} of many keys of {@code bucket} in one statement, each with its own write's age
     * ({@code sinceStartMillis[i]} for {@code keys[i]}), keeping nothing: the single writes' sweeps,
     * gathered (their tables are always inline).
     */
    public Uni<Integer> sweepEach(String bucket, String[] keys, double[] sinceStartMillis) {
        Double[] ages = new Double[sinceStartMillis.length];
        for (int i = 0; i < ages.length; i++) {
            ages[i] = sinceStartMillis[i];
        }
        return pool.preparedQuery("WITH etags AS (DELETE FROM sse_object_etag e USING unnest($2::text[], $3::float8[]) AS s(object_key, age) "
                + "WHERE e.bucket = $1 AND e.object_key = s.object_key "
                + "AND e.touched_at < clock_timestamp() - make_interval(secs => s.age / 1000) " + UNVERSIONED + ") "
                + "DELETE FROM sse_part_table t USING unnest($2::text[], $3::float8[]) AS s(object_key, age) "
                + "WHERE t.bucket = $1 AND t.object_key = s.object_key "
                + "AND t.touched_at < clock_timestamp() - make_interval(secs => s.age / 1000) " + UNVERSIONED)
                .execute(Tuple.from(new Object[] {bucket, keys, ages}))
                .map(rows -> rows.rowCount());
    }
}
