package dev.sseproxy.notify;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Every bucket's notification configuration, all held in memory: a request of a bucket without one costs a
 * map lookup, no query. Loaded at start; the change feed ({@code bucket-notification:<bucket>}) makes
 * every node read a changed bucket's row again, and a reconnect of the feed reads them all.
 */
@ApplicationScoped
@Startup
public class NotificationConfigurations {
    private static final Logger LOG = Logger.getLogger(NotificationConfigurations.class);
    private final Pool pool;
    private final Map<String, NotificationConfiguration> configs = new ConcurrentHashMap<>();

    public NotificationConfigurations(Pool pool) {
        this.pool = pool;
    }

    @PostConstruct
    void load() {
        try {
            reloadAllNow().await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            LOG.warnf("notifications: configurations not loaded at start (%s); the change feed's connect loads them", e.toString());
        }
    }

    /** The bucket's configuration, if it has one. */
    public Optional<NotificationConfiguration> of(String bucket) {
        return configs.isEmpty() ? Optional.empty() : Optional.ofNullable(configs.get(bucket));
    }

    /** Reads one bucket's row again (its change arrived on the feed). */
    public void reload(String bucket) {
        pool.preparedQuery("SELECT config FROM bucket_notification WHERE bucket = $1").execute(Tuple.of(bucket))
                .subscribe().with(rows -> {
                    var it = rows.iterator();
                    if (it.hasNext()) {
                        put(bucket, it.next().getString(0));
                    } else {
                        configs.remove(bucket);
                    }
                }, e -> LOG.warnf("notifications: configuration of %s not read again (%s)", bucket, e.toString()));
    }

    /** Reads every row again. */
    public void reloadAll() {
        reloadAllNow().subscribe().with(v -> { }, e -> LOG.warnf("notifications: configurations not read again (%s)", e.toString()));
    }

    private Uni<Void> reloadAllNow() {
        return pool.query("SELECT bucket, config FROM bucket_notification").execute().invoke(rows -> {
            Map<String, NotificationConfiguration> fresh = new ConcurrentHashMap<>();
            for (Row r : rows) {
                try {
                    fresh.put(r.getString(0), NotificationConfiguration.decode(r.getString(1)));
                } catch (RuntimeException e) {
                    LOG.errorf("notifications: the configuration of %s is unreadable: %s", r.getString(0), e.getMessage());
                }
            }
            configs.keySet().retainAll(fresh.keySet());
            configs.putAll(fresh);
        }).replaceWithVoid();
    }

    private void put(String bucket, String json) {
        try {
            configs.put(bucket, NotificationConfiguration.decode(json));
        } catch (RuntimeException e) {
            LOG.errorf("notifications: the configuration of %s is unreadable: %s", bucket, e.getMessage());
        }
    }

    /**
     * Stores a bucket's configuration (an empty one deletes it) and, in the same transaction, the messages
     * a successful PutBucketNotificationConfiguration sends (S3's {@code s3:TestEvent}).
     */
    public Uni<Void> store(String bucket, NotificationConfiguration config, List<EventOutbox.Message> messages) {
        return pool.withTransaction(conn -> write(conn, bucket, config)
                .chain(() -> EventOutbox.insert(conn, messages)))
                .invoke(() -> {
                    if (config.isEmpty()) {
                        configs.remove(bucket);
                    } else {
                        configs.put(bucket, config);
                    }
                });
    }

    private static Uni<Void> write(SqlConnection conn, String bucket, NotificationConfiguration config) {
        if (config.isEmpty()) {
            return conn.preparedQuery("DELETE FROM bucket_notification WHERE bucket = $1").execute(Tuple.of(bucket))
                    .replaceWithVoid();
        }
        return conn.preparedQuery("INSERT INTO bucket_notification (bucket, config) VALUES ($1, $2) "
                + "ON CONFLICT (bucket) DO UPDATE SET config = excluded.config, updated_at = now()")
                .execute(Tuple.of(bucket, config.encode())).replaceWithVoid();
    }
}
