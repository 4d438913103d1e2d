package dev.sseproxy.inventory;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The inventory configurations of every bucket and the state of their reports, in PostgreSQL
 * (migration V19, table {@code inventory_configuration}; a bucket's rows go with it).
 */
@ApplicationScoped
public class InventoryConfigurations {
    private static final String COLUMNS = "id, enabled, dest_bucket, dest_account, dest_prefix, dest_encryption, "
            + "dest_kms_key_id, filter_prefix, included_versions, optional_fields, frequency";

    /** What a put did. */
    public enum PutResult { CREATED, REPLACED, TOO_MANY }

    /** A configuration with its bucket and the outcome of its last report. */
    public record Entry(String bucket, InventoryConfiguration config, Optional<Instant> lastRunAt,
            Optional<String> lastStatus, Optional<String> lastError, Optional<String> lastManifest) {
    }

    private final Pool pool;

    public InventoryConfigurations(Pool pool) {
        this.pool = pool;
    }

    /**
     * Creates or replaces {@code config} on {@code bucket}; a new id on a bucket that already has
     * {@link InventoryConfiguration#MAX_PER_BUCKET} is refused (the bucket row is locked meanwhile, so
     * concurrent puts cannot pass the limit together). A replaced configuration keeps its report state.
     */
    public Uni<PutResult> put(String bucket, InventoryConfiguration c) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT 1 FROM bucket WHERE name = $1 FOR UPDATE")
                .execute(Tuple.of(bucket))
                .chain(v -> conn.preparedQuery("SELECT count(*), count(*) FILTER (WHERE id = $2) "
                        + "FROM inventory_configuration WHERE bucket = $1").execute(Tuple.of(bucket, c.id())))
                .chain(rows -> {
                    Row r = rows.iterator().next();
                    boolean exists = r.getLong(1) > 0;
                    if (!exists && r.getLong(0) >= InventoryConfiguration.MAX_PER_BUCKET) {
                        return Uni.createFrom().item(PutResult.TOO_MANY);
                    }
                    Object[] p = {bucket, c.id(), c.enabled(), c.destinationBucket(), c.destinationAccount().orElse(null),
                        c.destinationPrefix(), c.encryption().map(InventoryConfiguration.Encryption::wire).orElse(null),
                        c.kmsKeyId().orElse(null), c.filterPrefix(), c.allVersions() ? "All" : "Current",
                        String.join(",", c.fields().stream().map(InventoryField::wire).toList()),
                        c.weekly() ? "Weekly" : "Daily"};
                    return conn.preparedQuery("INSERT INTO inventory_configuration (bucket, " + COLUMNS + ") VALUES "
                            + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (bucket, id) DO UPDATE SET "
                            + "enabled = $3, dest_bucket = $4, dest_account = $5, dest_prefix = $6, dest_encryption = $7, "
                            + "dest_kms_key_id = $8, filter_prefix = $9, included_versions = $10, optional_fields = $11, "
                            + "frequency = $12").execute(Tuple.from(p))
                            .map(x -> exists ? PutResult.REPLACED : PutResult.CREATED);
                }));
    }

    public Uni<Optional<Entry>> find(String bucket, String id) {
        return pool.preparedQuery("SELECT bucket, " + COLUMNS + ", last_run_at, last_status, last_error, last_manifest "
                + "FROM inventory_configuration WHERE bucket = $1 AND id = $2").execute(Tuple.of(bucket, id))
                .map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(entry(r));
                    }
                    return Optional.empty();
                });
    }

    /** Up to {@code limit} configurations of {@code bucket} with ids after {@code after} (null: from the first), by id. */
    public Uni<List<Entry>> list(String bucket, String after, int limit) {
        return pool.preparedQuery("SELECT bucket, " + COLUMNS + ", last_run_at, last_status, last_error, last_manifest "
                + "FROM inventory_configuration WHERE bucket = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3")
                .execute(Tuple.of(bucket, after, limit)).map(InventoryConfigurations::entries);
    }

    /** Every configuration of every bucket with its report state (the admin API's view), by bucket and id. */
    public Uni<List<Entry>> all() {
        return pool.preparedQuery("SELECT bucket, " + COLUMNS + ", last_run_at, last_status, last_error, last_manifest "
                + "FROM inventory_configuration ORDER BY bucket, id").execute().map(InventoryConfigurations::entries);
    }

    /**
     * The enabled configurations whose report is due at {@code now}: never run, or last run a day
     * (Daily) or a week (Weekly) before, less a minute so a periodic check does not drift later every day.
     */
    public Uni<List<Entry>> due(Instant now) {
        return pool.preparedQuery("SELECT bucket, " + COLUMNS + ", last_run_at, last_status, last_error, last_manifest "
                + "FROM inventory_configuration WHERE enabled AND (last_run_at IS NULL OR last_run_at <= $1::timestamptz - CASE "
                + "frequency WHEN 'Weekly' THEN interval '7 days' ELSE interval '1 day' END + interval '1 minute' "
                + "OR last_status = 'FAILED') ORDER BY bucket, id")
                .execute(Tuple.of(OffsetDateTime.ofInstant(now, ZoneOffset.UTC))).map(InventoryConfigurations::entries);
    }

    /** Whether a configuration was deleted (false: there was none). */
    public Uni<Boolean> delete(String bucket, String id) {
        return pool.preparedQuery("DELETE FROM inventory_configuration WHERE bucket = $1 AND id = $2")
                .execute(Tuple.of(bucket, id)).map(rows -> rows.rowCount() > 0);
    }

    /** Records a report run's outcome: {@code DELIVERED} with its manifest key, or {@code FAILED} with the reason. */
    public Uni<Void> recordRun(String bucket, String id, Instant startedAt, String status, String error, String manifest) {
        return pool.preparedQuery("UPDATE inventory_configuration SET last_run_at = $3, last_status = $4, last_error = $5, "
                + "last_manifest = COALESCE($6, last_manifest) WHERE bucket = $1 AND id = $2")
                .execute(Tuple.from(new Object[] {bucket, id, OffsetDateTime.ofInstant(startedAt, ZoneOffset.UTC), status,
                    error, manifest})).replaceWithVoid();
    }

    private static List<Entry> entries(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Entry> out = new ArrayList<>();
        rows.forEach(r -> out.add(entry(r)));
        return out;
    }

    private static Entry entry(Row r) {
        String fieldsText = r.getString(10);
        List<InventoryField> fields = fieldsText == null || fieldsText.isEmpty() ? List.of()
                : Arrays.stream(fieldsText.split(",")).map(f -> InventoryField.fromWire(f).orElse(null))
                        .filter(f -> f != null).toList();
        InventoryConfiguration c = new InventoryConfiguration(r.getString(1), r.getBoolean(2), r.getString(3),
                Optional.ofNullable(r.getString(4)), r.getString(5),
                Optional.ofNullable(r.getString(6)).flatMap(InventoryConfiguration.Encryption::fromWire),
                Optional.ofNullable(r.getString(7)), r.getString(8), "All".equals(r.getString(9)), fields,
                "Weekly".equals(r.getString(11)));
        OffsetDateTime last = r.getOffsetDateTime(12);
        return new Entry(r.getString(0), c, Optional.ofNullable(last).map(OffsetDateTime::toInstant),
                Optional.ofNullable(r.getString(13)), Optional.ofNullable(r.getString(14)),
                Optional.ofNullable(r.getString(15)));
    }
}
