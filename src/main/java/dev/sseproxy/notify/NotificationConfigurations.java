package dev.sseproxy.notify;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import dev.sseproxy.catalog.NotificationConfigurationRows;
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
    private final NotificationConfigurationRows rows;
    private final Map<String, NotificationConfiguration> configs = new ConcurrentHashMap<>();

    public NotificationConfigurations(NotificationConfigurationRows rows) {
        this.rows = rows;
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
        rows.find(bucket).subscribe().with(json -> {
                    if (json.isPresent()) {
                        put(bucket, json.get());
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
        return rows.all().invoke(all -> {
            Map<String, NotificationConfiguration> fresh = new ConcurrentHashMap<>();
            for (Map.Entry<String, String> r : all.entrySet()) {
                try {
                    fresh.put(r.getKey(), NotificationConfiguration.decode(r.getValue()));
                } catch (RuntimeException e) {
                    LOG.errorf("notifications: the configuration of %s is unreadable: %s", r.getKey(), e.getMessage());
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
        return rows.replace(bucket, config.isEmpty() ? null : config.encode(), EventOutbox.rows(messages))
                .invoke(() -> {
                    if (config.isEmpty()) {
                        configs.remove(bucket);
                    } else {
                        configs.put(bucket, config);
                    }
                });
    }
}
