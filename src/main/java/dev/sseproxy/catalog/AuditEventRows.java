package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Inserts the audit trail's events ({@code audit_event}, V6): a batch is one {@code INSERT ... SELECT
 * FROM unnest(...)} statement with one array parameter per column, so it is atomic on its own (no
 * transaction around it) and costs one round trip and one plan whatever its size. The rows are
 * {@code dev.sseproxy.audit}'s (its package documentation, "Storage").
 *
 * <p>{@code resource_names} is itself a {@code text[]}, and {@code unnest} cannot take an array of
 * arrays: every row's names travel in one flat {@code text[]} ({@code $13}), and each row carries the
 * bounds of its slice ({@code $9}, {@code $10}; an empty list has {@code to = from - 1}, whose slice is
 * the empty array). No escaping is involved, and a null list stays null (its bounds are null), so the
 * column's {@code NOT NULL} refuses it as it refuses any other null.
 *
 * <p>A name over {@link #MAX_INDEXED_NAME_BYTES} stays out of {@code resource_names} (see there); the
 * event is written all the same, with the name in {@code resources} and {@code record}.
 */
@ApplicationScoped
public class AuditEventRows {
    static final String INSERT = "INSERT INTO audit_event (event_id, event_time, account_id, event_source, event_name, "
            + "read_only, username, access_key_id, resource_names, resources, record) "
            + "SELECT e.event_id, e.event_time, e.account_id, e.event_source, e.event_name, e.read_only, e.username, "
            + "e.access_key_id, ($13::text[])[e.names_from:e.names_to], e.resources, e.record "
            + "FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], "
            + "$8::text[], $9::int[], $10::int[], $11::text[], $12::text[]) AS e(event_id, event_time, account_id, "
            + "event_source, event_name, read_only, username, access_key_id, names_from, names_to, resources, record)";

    /** One event as stored: the columns of {@code audit_event} but {@code delivered} (false on insert). */
    public record Row(UUID eventId, Instant eventTime, String accountId, String eventSource, String eventName,
            boolean readOnly, String username, String accessKeyId, List<String> resourceNames, String resources,
            String record) {
    }

    /**
     * Longest resource name (UTF-8 bytes) written into {@code resource_names}. Its GIN index refuses an
     * entry over about 2,700 bytes (SQLSTATE 54000, which is no data error: the audit writer would retry
     * the batch forever and the trail stop), and an S3 key of over 1,024 bytes (a request answered
     * KeyTooLongError is audited too) makes an ARN that long. Such a name stays in the record and in
     * {@code resources}; only LookupEvents by that ResourceName does not find it.
     */
    static final int MAX_INDEXED_NAME_BYTES = 2048;

    private final Pool pool;

    public AuditEventRows(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts {@code rows} in one statement: all of them or, on any failure (a refused row, a duplicate
     * event id, the database), none.
     */
    public Uni<Void> insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(INSERT).execute(parameters(rows)).replaceWithVoid();
    }

    static Tuple parameters(List<Row> rows) {
        int n = rows.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] accounts = new String[n];
        String[] sources = new String[n];
        String[] names = new String[n];
        Boolean[] readOnly = new Boolean[n];
        String[] usernames = new String[n];
        String[] accessKeys = new String[n];
        Integer[] namesFrom = new Integer[n];
        Integer[] namesTo = new Integer[n];
        String[] resources = new String[n];
        String[] records = new String[n];
        List<String> resourceNames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            ids[i] = r.eventId();
            times[i] = r.eventTime() == null ? null : r.eventTime().atOffset(ZoneOffset.UTC);
            accounts[i] = r.accountId();
            sources[i] = r.eventSource();
            names[i] = r.eventName();
            readOnly[i] = r.readOnly();
            usernames[i] = r.username();
            accessKeys[i] = r.accessKeyId();
            if (r.resourceNames() != null) { // PostgreSQL arrays count from 1
                namesFrom[i] = resourceNames.size() + 1;
                for (String name : r.resourceNames()) {
                    if (!tooLongToIndex(name)) {
                        resourceNames.add(name);
                    }
                }
                namesTo[i] = resourceNames.size();
            }
            resources[i] = r.resources();
            records[i] = r.record();
        }
        return Tuple.from(new Object[] {ids, times, accounts, sources, names, readOnly, usernames, accessKeys, namesFrom,
            namesTo, resources, records, resourceNames.toArray(String[]::new)});
    }

    private static boolean tooLongToIndex(String name) {
        // at most 3 UTF-8 bytes per char: a short name needs no encoding to be known short
        return name != null && name.length() * 3 > MAX_INDEXED_NAME_BYTES
                && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_INDEXED_NAME_BYTES;
    }
}
