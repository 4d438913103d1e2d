package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows of {@code inventory_configuration} (migration V19; a bucket's rows go with it): each bucket's
 * S3 Inventory configurations, column by column as the inventory package writes them, and the state of
 * their reports. The inventory package turns them into its configuration records.
 */
@ApplicationScoped
public class InventoryConfigurationRows {
    private static final String COLUMNS = "id, enabled, dest_bucket, dest_account, dest_prefix, dest_encryption, "
            + "dest_kms_key_id, filter_prefix, included_versions, optional_fields, frequency";
    private static final String SELECT = "SELECT bucket, " + COLUMNS + ", last_run_at, last_status, last_error, last_manifest "
            + "FROM inventory_configuration ";

    /** A configuration's columns, as stored. */
    public record Columns(String id, boolean enabled, String destBucket, String destAccount, String destPrefix,
            String destEncryption, String destKmsKeyId, String filterPrefix, String includedVersions,
            String optionalFields, String frequency) {
    }

    /** A stored configuration with its bucket and the outcome of its last report (nulls: none yet). */
    public record Stored(String bucket, Columns columns, OffsetDateTime lastRunAt, String lastStatus, String lastError,
            String lastManifest) {
    }

    /** What a put did. */
    public enum PutOutcome { CREATED, REPLACED, TOO_MANY }

    private final Pool pool;

    public InventoryConfigurationRows(Pool pool) {
        this.pool = pool;
    }

    /**
     * Creates or replaces configuration {@code c.id()} of {@code bucket}; a new id on a bucket that
     * already has {@code maxPerBucket} is refused (the bucket row is locked meanwhile, so concurrent puts
     * cannot pass the limit together). A replaced configuration keeps its report state.
     */
    public Uni<PutOutcome> put(String bucket, Columns c, int maxPerBucket) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT 1 FROM bucket WHERE name = $1 FOR UPDATE")
                .execute(Tuple.of(bucket))
                .chain(v -> conn.preparedQuery("SELECT count(*), count(*) FILTER (WHERE id = $2) "
                        + "FROM inventory_configuration WHERE bucket = $1").execute(Tuple.of(bucket, c.id())))
                .chain(rows -> {
                    Row r = rows.iterator().next();
                    boolean exists = r.getLong(1) > 0;
                    if (!exists && r.getLong(0) >= maxPerBucket) {
                        return Uni.createFrom().item(PutOutcome.TOO_MANY);
                    }
                    Object[] p = {bucket, c.id(), c.enabled(), c.destBucket(), c.destAccount(), c.destPrefix(),
                        c.destEncryption(), c.destKmsKeyId(), c.filterPrefix(), c.includedVersions(), c.optionalFields(),
                        c.frequency()};
                    return conn.preparedQuery("INSERT INTO inventory_configuration (bucket, " + COLUMNS + ") VALUES "
                            + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (bucket, id) DO UPDATE SET "
                            + "enabled = $3, dest_bucket = $4, dest_account = $5, dest_prefix = $6, dest_encryption = $7, "
                            + "dest_kms_key_id = $8, filter_prefix = $9, included_versions = $10, optional_fields = $11, "
                            + "frequency = $12").execute(Tuple.from(p))
                            .map(x -> exists ? PutOutcome.REPLACED : PutOutcome.CREATED);
                }));
    }

    /** Configuration {@code id} of {@code bucket}. */
    public Uni<Optional<Stored>> find(String bucket, String id) {
        return pool.preparedQuery(SELECT + "WHERE bucket = $1 AND id = $2").execute(Tuple.of(bucket, id))
                .map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(stored(r));
                    }
                    return Optional.empty();
                });
    }

    /** Up to {@code limit} configurations of {@code bucket} with ids after {@code after} (null: from the first), by id. */
    public Uni<List<Stored>> list(String bucket, String after, int limit) {
        return pool.preparedQuery(SELECT + "WHERE bucket = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3")
                .execute(Tuple.of(bucket, after, limit)).map(InventoryConfigurationRows::all);
    }

    /** Every configuration of every bucket, by bucket and id. */
    public Uni<List<Stored>> all() {
        return pool.preparedQuery(SELECT + "ORDER BY bucket, id").execute().map(InventoryConfigurationRows::all);
    }

    /**
     * The enabled configurations whose report is due at {@code now}: never run, or last run a day
     * (Daily) or a week (Weekly) before, less a minute so a periodic check does not drift later every
     * day, or whose last run failed.
     */
    public Uni<List<Stored>> due(Instant now) {
        return pool.preparedQuery(SELECT + "WHERE enabled AND (last_run_at IS NULL OR last_run_at <= $1::timestamptz - CASE "
                + "frequency WHEN 'Weekly' THEN interval '7 days' ELSE interval '1 day' END + interval '1 minute' "
                + "OR last_status = 'FAILED') ORDER BY bucket, id")
                .execute(Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))).map(InventoryConfigurationRows::all);
    }

    /** Whether a configuration was deleted (false: there was none). */
    public Uni<Boolean> delete(String bucket, String id) {
        return pool.preparedQuery("DELETE FROM inventory_configuration WHERE bucket = $1 AND id = $2")
                .execute(Tuple.of(bucket, id)).map(rows -> rows.rowCount() > 0);
    }

    /** Records a report run's outcome (a null {@code manifest} keeps the last one). */
    public Uni<Void> recordRun(String bucket, String id, Instant startedAt, String status, String error, String manifest) {
        return pool.preparedQuery("UPDATE inventory_configuration SET last_run_at = $3, last_status = $4, last_error = $5, "
                + "last_manifest = COALESCE($6, last_manifest) WHERE bucket = $1 AND id = $2")
                .execute(Tuple.from(new Object[] {bucket, id, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC), status,
                    error, manifest})).replaceWithVoid();
    }

    private static List<Stored> all(RowSet<Row> rows) {
        List<Stored> out = new ArrayList<>();
        rows.forEach(r -> out.add(stored(r)));
        return out;
    }

    private static Stored stored(Row r) {
        Columns c = new Columns(r.getString(1), r.getBoolean(2), r.getString(3), r.getString(4), r.getString(5),
                r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11));
        return new Stored(r.getString(0), c, r.getOffsetDateTime(12), r.getString(13), r.getString(14), r.getString(15));
    }
}
