package dev.sseproxy.cluster;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The node's LISTEN on {@link Change#CHANNEL}: one dedicated connection through Vert.x's
 * {@link PgSubscriber}, re-opened with back-off ({@link #backoff}) whenever it drops, the first
 * connection included. Each notification is handed to {@code onChange} as it is read (no queue);
 * {@code onConnected} runs every time LISTEN is (re-)established, so the caller can drop whatever
 * it may have missed while it was not listening.
 */
public final class ChangeListener {
    /** The application name of the listening connection ({@code pg_stat_activity.application_name}). */
    public static final String APPLICATION_NAME = "sse-proxy-change-feed";
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration MAX_RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(ChangeListener.class);

    private final Vertx vertx;
    private final PgSubscriber subscriber;
    private final Runnable onConnected;
    private volatile boolean stopped;
    private volatile boolean listening;
    private int failedStarts;

    public ChangeListener(Vertx vertx, PgConnectOptions options, Consumer<Change> onChange, Runnable onConnected) {
        this.vertx = vertx;
        this.onConnected = onConnected;
        PgConnectOptions listening = new PgConnectOptions(options);
        listening.addProperty("application_name", APPLICATION_NAME);
        this.subscriber = PgSubscriber.subscriber(vertx, listening)
                .reconnectPolicy(this::reconnectAfter);
        subscriber.channel(Change.CHANNEL)
                .subscribeHandler(v -> listening())
                .handler(payload -> onChange.accept(Change.parse(payload)));
    }

    /** The wait before reconnect attempt {@code retries} (0 for the first): 100 ms, doubling, at most 5 s. */
    static Duration backoff(int retries) {
        long millis = FIRST_RETRY.toMillis() << Math.min(Math.max(retries, 0), 16);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }

    /** Opens the connection; a failure is logged and retried with back-off, never reported. */
    public void start() {
        if (stopped) {
            return;
        }
        subscriber.connect().onFailure(e -> {
            Duration wait = backoff(failedStarts++);
            LOG.warnf("change feed: cannot LISTEN (%s); trying again in %d ms, caches rely on their TTLs meanwhile",
                    e.getMessage(), wait.toMillis());
            vertx.setTimer(wait.toMillis(), t -> start());
        });
    }

    private long reconnectAfter(int retries) {
        listening = false;
        if (stopped) {
            return -1L;
        }
        if (retries == 0) {
            LOG.warn("change feed: the LISTEN connection was lost; reconnecting, caches rely on their TTLs meanwhile");
        }
        return backoff(retries).toMillis();
    }

    private void listening() {
        failedStarts = 0;
        listening = true;
        LOG.info("change feed: listening on " + Change.CHANNEL);
        onConnected.run();
    }

    /** Whether LISTEN is established now. */
    public boolean connected() {
        return listening && !stopped;
    }

    /** Closes the connection for good. */
    public void stop() {
        stopped = true;
        listening = false;
        subscriber.close();
    }
}
