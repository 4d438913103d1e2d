package dev.sseproxy.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The node's end of the change feed (package documentation): listens from start to shutdown and
 * drops what each notification makes stale ({@link Caches}, i.e. {@code dev.sseproxy.wiring.CacheInvalidation}); every (re-)connection
 * drops everything first. {@link #publish} announces a change that has no row of its own, through
 * {@link ChangeChannel} (the catalog's {@code pg_notify}).
 */
@ApplicationScoped
public class ChangeFeed {
    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);
    private final ChangeChannel channel;
    private final Caches caches;
    private final ChangeListener listener;
    private final boolean enabled;
    private final Map<Change.Kind, Counter> received = new EnumMap<>(Change.Kind.class);
    private final Map<Change.Kind, Counter> sent = new EnumMap<>(Change.Kind.class);
    private final Counter flushesOnConnect;
    private final Counter flushesOnUnknown;
    private final Counter flushesRequested;

    public ChangeFeed(Vertx vertx, ChangeChannel channel, Caches caches, MeterRegistry meters, ChangeFeedConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.channel = channel;
        this.caches = caches;
        this.enabled = config.enabled();
        for (Change.Kind k : Change.Kind.values()) {
            received.put(k, Counter.builder("sse.proxy.cluster.notifications.received").tag("kind", k.wireName())
                    .description("Change-feed notifications read, this node's own included").register(meters));
            sent.put(k, Counter.builder("sse.proxy.cluster.notifications.sent").tag("kind", k.wireName())
                    .description("Change-feed notifications this node's code sent (table triggers send the rest)")
                    .register(meters));
        }
        flushesOnConnect = flushes(meters, "connected");
        flushesOnUnknown = flushes(meters, "unknown");
        flushesRequested = flushes(meters, "requested");
        this.listener = new ChangeListener(vertx, connectOptions(url, user, password), this::received, this::reconnected);
        Gauge.builder("sse.proxy.cluster.listener.connected", listener, l -> l.connected() ? 1 : 0)
                .description("1 while this node listens to the change feed, else 0").register(meters);
    }

    private static Counter flushes(MeterRegistry meters, String reason) {
        return Counter.builder("sse.proxy.cluster.cache.flushes").tag("reason", reason)
                .description("Times this node dropped every cache the change feed keeps in line").register(meters);
    }

    /** The listening connection's options: the reactive datasource's first URL and its credentials. */
    static PgConnectOptions connectOptions(String url, Optional<String> user, Optional<String> password) {
        String first = url.split(",")[0].trim();
        if (first.startsWith("vertx-reactive:")) {
            first = first.substring("vertx-reactive:".length());
        }
        PgConnectOptions options = PgConnectOptions.fromUri(first);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options;
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            listener.start();
        } else {
            LOG.warn("change feed: off (sse-proxy.cluster.change-feed.enabled=false); changes made through other nodes "
                    + "reach this one when its cached entries expire");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        listener.stop();
    }

    /** Whether this node listens now. */
    public boolean connected() {
        return listener.connected();
    }

    /**
     * Announces a change that no table trigger sees, after it happened; the node that made it has
     * already dropped its own entries. Never fails: a failure to send is logged (the change stands;
     * other nodes then follow within their TTLs).
     */
    public Uni<Void> publish(Change change) {
        return channel.notify(Change.CHANNEL, change.payload())
                .invoke(() -> sent.get(change.kind()).increment())
                .onFailure().invoke(e -> LOG.warnf("change feed: cannot announce %s (%s); other nodes follow within "
                        + "their cache TTLs", change.payload(), e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private void received(Change change) {
        received.get(change.kind()).increment();
        if (change.kind() == Change.Kind.UNKNOWN) {
            flushesOnUnknown.increment();
        } else if (change.kind() == Change.Kind.ALL) {
            flushesRequested.increment();
        }
        caches.apply(change);
    }

    private void reconnected() {
        flushesOnConnect.increment();
        caches.flushAll();
    }
}
