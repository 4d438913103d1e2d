package dev.sseproxy.catalog;

import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The audit trail's log files in PostgreSQL ({@code audit_event.delivered}, {@code audit_log_file}):
 * which undelivered events make the next file, the files planned but not yet delivered, and the
 * fenced plan and mark of {@code audit.LogDelivery} (protocol in the audit and cluster package
 * documentation). The plan and the mark each run in one transaction that first holds the delivery
 * lease's row ({@code FOR SHARE}), and fail with {@link Leases.LostException} when it is gone.
 */
@ApplicationScoped
public class AuditLogFiles {
    /** The oldest undelivered event of a run: its account's events make the next file. */
    private static final String OLDEST = "SELECT account_id FROM audit_event "
            + "WHERE NOT delivered AND event_time <= $1 ORDER BY event_time LIMIT 1 FOR UPDATE SKIP LOCKED";
    /** That account's oldest undelivered events (in the order of the partial index, so no sort). */
    private static final String FILE = "SELECT event_id, octet_length(record) FROM audit_event "
            + "WHERE NOT delivered AND event_time <= $1 AND account_id = $2 "
            + "ORDER BY event_time LIMIT ";
    private static final String FILE_LOCK = " FOR UPDATE SKIP LOCKED";
    /** Their records (put in the order above in memory: sorting 8 MiB would spill to disk). */
    private static final String RECORDS = "SELECT event_id, record FROM audit_event WHERE event_id = ANY($1)";
    private static final String MARK = "UPDATE audit_event SET delivered = true WHERE event_id = ANY($1)";
    /** Holds the lease row (FOR SHARE) for the rest of the transaction, or finds it gone. */
    private static final String FENCE = "SELECT 1 FROM cluster_lease WHERE name = $1 AND token = $2 "
            + "AND expires_at > now() FOR SHARE";
    private static final String PLAN = "INSERT INTO audit_log_file (object_key, account_id, region, event_ids, token) "
            + "VALUES ($1, $2, $3, $4, $5) RETURNING id";
    private static final String PLANNED = "SELECT id, object_key, account_id, region, event_ids FROM audit_log_file "
            + "ORDER BY id";
    private static final String UNPLAN = "DELETE FROM audit_log_file WHERE id = $1";

    /** A row of {@code audit_log_file}: a file planned but not yet marked delivered. */
    public record Planned(long id, String key, String account, String region, UUID[] ids) {
    }

    /**
     * The events chosen for the next file: the account, their ids oldest first (within the size
     * limit) and each one's record text by id.
     */
    public record Chosen(String account, UUID[] ids, Map<UUID, String> records) {
    }

    /** What a plan records of a file built from {@link Chosen} events: its key, region and the events it holds. */
    public interface NewFile {
        String key();

        String region();

        UUID[] ids();
    }

    /** A file planned: the plan's id and the file. */
    public record PlannedFile<F extends NewFile>(long id, F file) {
    }

    private final Pool pool;

    public AuditLogFiles(Pool pool) {
        this.pool = pool;
    }

    /** The files planned and not yet marked delivered, oldest first. */
    public Uni<List<Planned>> planned() {
        return pool.preparedQuery(PLANNED).execute().map(rows -> {
            List<Planned> planned = new ArrayList<>();
            rows.forEach(r -> planned.add(new Planned(r.getLong(0), r.getString(1), r.getString(2), r.getString(3),
                    r.getArrayOfUUIDs(4))));
            return planned;
        });
    }

    /** The record text of these events by id (an event gone meanwhile is missing). */
    public Uni<Map<UUID, String>> records(UUID[] ids) {
        return pool.preparedQuery(RECORDS).execute(Tuple.tuple().addArrayOfUUID(ids)).map(AuditLogFiles::byId);
    }

    /**
     * Plans one file in one transaction under the lease: chooses the account of the oldest undelivered
     * event recorded by {@code cutoff}, its oldest undelivered events (at most {@code maxRecords}, and
     * of record text at most {@code maxBytes}, but at least one), builds the file with {@code build}
     * and records its key and ids. Empty when no event is left.
     */
    public <F extends NewFile> Uni<Optional<PlannedFile<F>>> planNext(Leases.Lease lease, OffsetDateTime cutoff,
            int maxRecords, long maxBytes, Function<Chosen, Uni<F>> build) {
        return pool.withTransaction(conn -> fence(conn, lease)
                .chain(() -> conn.preparedQuery(OLDEST).execute(Tuple.of(cutoff))).chain(oldest -> {
                    if (oldest.size() == 0) {
                        return Uni.createFrom().item(Optional.<PlannedFile<F>>empty());
                    }
                    String account = oldest.iterator().next().getString(0);
                    return conn.preparedQuery(FILE + maxRecords + FILE_LOCK).execute(Tuple.of(cutoff, account))
                            .map(rows -> withinSize(rows, maxBytes))
                            .chain(ids -> conn.preparedQuery(RECORDS).execute(Tuple.tuple().addArrayOfUUID(ids))
                                    .chain(rows -> build.apply(new Chosen(account, ids, byId(rows)))))
                            .chain(file -> conn.preparedQuery(PLAN).execute(Tuple.of(file.key(), account, file.region())
                                    .addArrayOfUUID(file.ids()).addLong(lease.token()))
                                    .map(rows -> Optional.of(new PlannedFile<>(rows.iterator().next().getLong(0), file))));
                }));
    }

    /** Marks these events delivered and drops the plan, in one transaction under the lease. */
    public Uni<Void> delivered(Leases.Lease lease, UUID[] ids, long planId) {
        return pool.withTransaction(conn -> fence(conn, lease)
                .chain(() -> conn.preparedQuery(MARK).execute(Tuple.tuple().addArrayOfUUID(ids)))
                .chain(() -> conn.preparedQuery(UNPLAN).execute(Tuple.of(planId)))).replaceWithVoid();
    }

    /** Fails with {@link Leases.LostException} unless the lease is live with this token; holds it until commit. */
    private static Uni<Void> fence(SqlConnection conn, Leases.Lease lease) {
        return conn.preparedQuery(FENCE).execute(Tuple.of(lease.name(), lease.token())).map(rows -> {
            if (rows.size() == 0) {
                throw new Leases.LostException(lease);
            }
            return null;
        });
    }

    /** The ids of the first events whose record text fits in one file (at least one). */
    private static UUID[] withinSize(RowSet<Row> rows, long maxBytes) {
        List<UUID> ids = new ArrayList<>();
        long bytes = 0;
        for (Row r : rows) {
            bytes += r.getInteger(1);
            if (!ids.isEmpty() && bytes > maxBytes) {
                break;
            }
            ids.add(r.getUUID(0));
        }
        return ids.toArray(UUID[]::new);
    }

    private static Map<UUID, String> byId(RowSet<Row> rows) {
        Map<UUID, String> byId = new HashMap<>(rows.size() * 2);
        rows.forEach(r -> byId.put(r.getUUID(0), r.getString(1)));
        return byId;
    }
}
