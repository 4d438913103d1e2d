package dev.sseproxy.inventory;

import dev.sseproxy.catalog.InventoryConfigurationRows;
import dev.sseproxy.catalog.InventoryConfigurationRows.Columns;
import dev.sseproxy.catalog.InventoryConfigurationRows.Stored;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The inventory configurations of every bucket and the state of their reports, stored in PostgreSQL
 * by {@link InventoryConfigurationRows} (migration V19, table {@code inventory_configuration}; a
 * bucket's rows go with it); this class turns rows into {@link InventoryConfiguration}s and back.
 */
@ApplicationScoped
public class InventoryConfigurations {

    /** What a put did. */
    public enum PutResult { CREATED, REPLACED, TOO_MANY }

    /** A configuration with its bucket and the outcome of its last report. */
    public record Entry(String bucket, InventoryConfiguration config, Optional<Instant> lastRunAt,
            Optional<String> lastStatus, Optional<String> lastError, Optional<String> lastManifest) {
    }

    private final InventoryConfigurationRows rows;

    public InventoryConfigurations(InventoryConfigurationRows rows) {
        this.rows = rows;
    }

    /**
     * Creates or replaces {@code config} on {@code bucket}; a new id on a bucket that already has
     * {@link InventoryConfiguration#MAX_PER_BUCKET} is refused (the bucket row is locked meanwhile, so
     * concurrent puts cannot pass the limit together). A replaced configuration keeps its report state.
     */
    public Uni<PutResult> put(String bucket, InventoryConfiguration c) {
        Columns columns = new Columns(c.id(), c.enabled(), c.destinationBucket(), c.destinationAccount().orElse(null),
                c.destinationPrefix(), c.encryption().map(InventoryConfiguration.Encryption::wire).orElse(null),
                c.kmsKeyId().orElse(null), c.filterPrefix(), c.allVersions() ? "All" : "Current",
                String.join(",", c.fields().stream().map(InventoryField::wire).toList()),
                c.weekly() ? "Weekly" : "Daily");
        return rows.put(bucket, columns, InventoryConfiguration.MAX_PER_BUCKET).map(o -> PutResult.valueOf(o.name()));
    }

    public Uni<Optional<Entry>> find(String bucket, String id) {
        return rows.find(bucket, id).map(r -> r.map(InventoryConfigurations::entry));
    }

    /** Up to {@code limit} configurations of {@code bucket} with ids after {@code after} (null: from the first), by id. */
    public Uni<List<Entry>> list(String bucket, String after, int limit) {
        return rows.list(bucket, after, limit).map(InventoryConfigurations::entries);
    }

    /** Every configuration of every bucket with its report state (the admin API's view), by bucket and id. */
    public Uni<List<Entry>> all() {
        return rows.all().map(InventoryConfigurations::entries);
    }

    /**
     * The enabled configurations whose report is due at {@code now}: never run, or last run a day
     * (Daily) or a week (Weekly) before, less a minute so a periodic check does not drift later every day.
     */
    public Uni<List<Entry>> due(Instant now) {
        return rows.due(now).map(InventoryConfigurations::entries);
    }

    /** Whether a configuration was deleted (false: there was none). */
    public Uni<Boolean> delete(String bucket, String id) {
        return rows.delete(bucket, id);
    }

    /** Records a report run's outcome: {@code DELIVERED} with its manifest key, or {@code FAILED} with the reason. */
    public Uni<Void> recordRun(String bucket, String id, Instant startedAt, String status, String error, String manifest) {
        return rows.recordRun(bucket, id, startedAt, status, error, manifest);
    }

    private static List<Entry> entries(List<Stored> stored) {
        List<Entry> out = new ArrayList<>();
        stored.forEach(r -> out.add(entry(r)));
        return out;
    }

    private static Entry entry(Stored s) {
        Columns r = s.columns();
        String fieldsText = r.optionalFields();
        List<InventoryField> fields = fieldsText == null || fieldsText.isEmpty() ? List.of()
                : Arrays.stream(fieldsText.split(",")).map(f -> InventoryField.fromWire(f).orElse(null))
                        .filter(f -> f != null).toList();
        InventoryConfiguration c = new InventoryConfiguration(r.id(), r.enabled(), r.destBucket(),
                Optional.ofNullable(r.destAccount()), r.destPrefix(),
                Optional.ofNullable(r.destEncryption()).flatMap(InventoryConfiguration.Encryption::fromWire),
                Optional.ofNullable(r.destKmsKeyId()), r.filterPrefix(), "All".equals(r.includedVersions()), fields,
                "Weekly".equals(r.frequency()));
        return new Entry(s.bucket(), c, Optional.ofNullable(s.lastRunAt()).map(OffsetDateTime::toInstant),
                Optional.ofNullable(s.lastStatus()), Optional.ofNullable(s.lastError()),
                Optional.ofNullable(s.lastManifest()));
    }
}
