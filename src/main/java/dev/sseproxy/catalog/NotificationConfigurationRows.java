package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Buckets' notification configurations (table {@code bucket_notification}, migration V24), stored as the
 * JSON {@code dev.sseproxy.notify.NotificationConfiguration} encodes. Its change trigger announces
 * {@code bucket-notification:<bucket>} on the change feed.
 */
@ApplicationScoped
public class NotificationConfigurationRows {
    private final Pool pool;

    public NotificationConfigurationRows(Pool pool) {
        this.pool = pool;
    }

    /** The stored configuration of {@code bucket}, if any. */
    public Uni<Optional<String>> find(String bucket) {
        return pool.preparedQuery("SELECT config FROM bucket_notification WHERE bucket = $1").execute(Tuple.of(bucket))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(it.next().getString(0)) : Optional.empty();
                });
    }

    /** Every stored configuration, by bucket. */
    public Uni<Map<String, String>> all() {
        return pool.query("SELECT bucket, config FROM bucket_notification").execute().map(rows -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (Row r : rows) {
                out.put(r.getString(0), r.getString(1));
            }
            return out;
        });
    }

    /**
     * Stores {@code bucket}'s configuration ({@code config} null: deletes it) and, in the same transaction,
     * the outbox messages the change sends.
     */
    public Uni<Void> replace(String bucket, String config, List<EventOutboxRows.NewRow> messages) {
        return pool.withTransaction(conn -> (config == null
                ? conn.preparedQuery("DELETE FROM bucket_notification WHERE bucket = $1").execute(Tuple.of(bucket))
                : conn.preparedQuery("INSERT INTO bucket_notification (bucket, config) VALUES ($1, $2) "
                        + "ON CONFLICT (bucket) DO UPDATE SET config = excluded.config, updated_at = now()")
                        .execute(Tuple.of(bucket, config)))
                .chain(() -> EventOutboxRows.insert(conn, messages)));
    }
}
