package dev.sseproxy.catalog;

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
import java.util.UUID;

/**
 * Pages of the stored audit trail ({@code audit_event}, V6) for CloudTrail's LookupEvents: one account's
 * events, newest first, filtered by at most one attribute and a time window, a page at a time (a keyset
 * cursor on time and event id). The rows are {@code dev.sseproxy.audit}'s (its package documentation,
 * "Storage").
 */
@ApplicationScoped
public class AuditEventPages {
    /** The attributes LookupEvents filters on, with the column (or test) each one reads. */
    public enum Attribute {
        EVENT_ID("EventId", "event_id = $4"),
        EVENT_NAME("EventName", "event_name = $4"),
        READ_ONLY("ReadOnly", "read_only = $4"),
        USERNAME("Username", "username = $4"),
        RESOURCE_TYPE("ResourceType", "position(('\"ResourceType\":\"' || $4 || '\"') in resources) > 0"),
        RESOURCE_NAME("ResourceName", "resource_names @> ARRAY[$4::text]"),
        EVENT_SOURCE("EventSource", "event_source = $4"),
        ACCESS_KEY_ID("AccessKeyId", "access_key_id = $4");

        private final String awsName;
        private final String where;

        Attribute(String awsName, String where) {
            this.awsName = awsName;
            this.where = where;
        }

        public String awsName() {
            return awsName;
        }

        public static Optional<Attribute> of(String awsName) {
            for (Attribute a : values()) {
                if (a.awsName.equals(awsName)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    /** A filter on one attribute. */
    public record Filter(Attribute attribute, String value) {
    }

    /** Where a page ends: the last event's time and id. */
    public record Cursor(Instant time, UUID eventId) {
    }

    /** A stored event as LookupEvents returns it. */
    public record Found(UUID eventId, Instant eventTime, String eventName, boolean readOnly, String accessKeyId,
            String eventSource, String username, String resources, String record) {
    }

    /** A page, and where the next one starts (empty on the last page). */
    public record Page(List<Found> events, Optional<Cursor> next) {
    }

    private final Pool pool;

    public AuditEventPages(Pool pool) {
        this.pool = pool;
    }

    public Uni<Page> lookup(String accountId, Optional<Filter> filter, Instant start, Instant end, int max,
            Optional<Cursor> after) {
        StringBuilder sql = new StringBuilder("SELECT event_id, event_time, event_name, read_only, access_key_id, "
                + "event_source, username, resources, record FROM audit_event "
                + "WHERE account_id = $1 AND event_time >= $2 AND event_time <= $3");
        Tuple args = Tuple.of(accountId, utc(start), utc(end));
        if (filter.isPresent()) {
            sql.append(" AND ").append(filter.get().attribute().where);
            Filter f = filter.get();
            args.addValue(switch (f.attribute()) {
                case READ_ONLY -> (Object) Boolean.valueOf(f.value());
                case EVENT_ID -> UUID.fromString(f.value());
                default -> f.value();
            });
        } else {
            sql.append(" AND $4::text IS NULL");
            args.addValue(null);
        }
        if (after.isPresent()) {
            sql.append(" AND (event_time, event_id) < ($5, $6)");
            args.addValue(utc(after.get().time())).addValue(after.get().eventId());
        } else {
            sql.append(" AND $5::timestamptz IS NULL AND $6::uuid IS NULL");
            args.addValue(null).addValue(null);
        }
        sql.append(" ORDER BY event_time DESC, event_id DESC LIMIT ").append(max + 1);
        return pool.preparedQuery(sql.toString()).execute(args).map(rows -> {
            List<Found> found = new ArrayList<>();
            for (Row r : rows) {
                found.add(new Found(r.getUUID(0), r.getOffsetDateTime(1).toInstant(), r.getString(2), r.getBoolean(3),
                        r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getString(8)));
            }
            if (found.size() <= max) {
                return new Page(found, Optional.empty());
            }
            List<Found> page = found.subList(0, max);
            Found last = page.get(max - 1);
            return new Page(List.copyOf(page), Optional.of(new Cursor(last.eventTime(), last.eventId())));
        });
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
