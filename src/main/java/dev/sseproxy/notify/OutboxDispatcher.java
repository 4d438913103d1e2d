package dev.sseproxy.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import dev.sseproxy.catalog.EventOutboxRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Delivers the outbox (package documentation, "Outbox"): every node, one round at a time, locks a batch of
 * due rows with {@code FOR UPDATE SKIP LOCKED} (so two nodes never take the same row), sends them (in
 * order per target, targets side by side; after a target's first failure in a round the rest of its rows
 * wait for the next attempt), deletes what was delivered and moves the rest's next attempt back
 * exponentially ({@link NotificationsConfig#retryFirst()} doubled per attempt, at most
 * {@link NotificationsConfig#retryMax()}), all in the one transaction. A node that dies mid-round loses its
 * locks and the rows stay: delivery is at least once.
 */
@ApplicationScoped
public class OutboxDispatcher {
    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);
    private final EventOutboxRows rows;
    private final Vertx vertx;
    private final Targets targets;
    private final Senders senders;
    private final EventOutbox outbox;
    private final NotificationsConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Counter delivered;
    private final Counter failed;
    private final Counter retried;
    private final Timer latency;
    private final Counter discarded;
    private long timer = -1;
    private volatile boolean stopped;
    private long lastCount;

    public OutboxDispatcher(EventOutboxRows rows, Vertx vertx, Targets targets, Senders senders, EventOutbox outbox,
            NotificationsConfig config, MeterRegistry meters) {
        this.rows = rows;
        this.vertx = vertx;
        this.targets = targets;
        this.senders = senders;
        this.outbox = outbox;
        this.config = config;
        this.delivered = Counter.builder("sse.proxy.notifications.delivered").description("event messages delivered")
                .register(meters);
        this.failed = Counter.builder("sse.proxy.notifications.failed")
                .description("delivery attempts that failed (each is retried)").register(meters);
        this.retried = Counter.builder("sse.proxy.notifications.retried")
                .description("delivery attempts of messages whose earlier attempt failed").register(meters);
        this.discarded = Counter.builder("sse.proxy.notifications.discarded")
                .description("outbox messages dropped because their target is no longer configured").register(meters);
        this.latency = Timer.builder("sse.proxy.notifications.delivery.latency")
                .description("from recording an event to its delivery").publishPercentiles(0.5, 0.99).register(meters);
    }

    void start(@Observes StartupEvent ev) {
        outbox.onAdded(this::wake);
        timer = vertx.setPeriodic(Math.max(50, config.pollInterval().toMillis()), t -> wake());
        wake();
    }

    void stop(@Observes ShutdownEvent ev) {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    /** Starts a round soon (on an event loop) unless one runs; a running round then goes once more. */
    void wake() {
        if (stopped) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        vertx.runOnContext(v -> round().subscribe().with(n -> finished(n), e -> {
            LOG.warnf("notifications: a delivery round failed (%s)", e.toString());
            finished(0);
        }));
    }

    private void finished(int taken) {
        running.set(false);
        if (taken >= config.batchSize() || again.getAndSet(false)) {
            wake();
        }
    }

    /** One round: emits how many rows it took. */
    Uni<Integer> round() {
        Uni<Void> count = Uni.createFrom().voidItem();
        long now = System.currentTimeMillis();
        if (now - lastCount > 2000) {
            lastCount = now;
            count = rows.countUpTo(outbox.capacity() + 1L).invoke(n -> outbox.depth(n)).replaceWithVoid();
        }
        return count.chain(() -> rows.round(config.batchSize(), claimed -> {
            List<Pending> taken = new ArrayList<>(claimed.size());
            for (EventOutboxRows.Claimed c : claimed) {
                taken.add(new Pending(c.id(), c.target(), c.payload(), c.attempts(), c.createdAt()));
            }
            return deliver(taken).map(v -> settlement(taken));
        }));
    }

    private Uni<Void> deliver(List<Pending> taken) {
        Map<String, List<Pending>> byTarget = new LinkedHashMap<>();
        for (Pending p : taken) {
            byTarget.computeIfAbsent(p.target, t -> new ArrayList<>()).add(p);
        }
        List<Uni<Void>> lanes = new ArrayList<>();
        for (List<Pending> lane : byTarget.values()) {
            lanes.add(inOrder(lane, 0));
        }
        return Uni.join().all(lanes).andCollectFailures().replaceWithVoid();
    }

    private Uni<Void> inOrder(List<Pending> lane, int i) {
        if (i >= lane.size()) {
            return Uni.createFrom().voidItem();
        }
        Pending p = lane.get(i);
        var target = targets.byName(p.target);
        if (target.isEmpty()) {
            // the administrator removed the target: nothing will ever take these messages
            p.delivered = true;
            discarded.increment();
            LOG.warnf("notifications: message %d dropped: no target named %s is configured any more", p.id, p.target);
            return inOrder(lane, i + 1);
        }
        if (p.attempts > 0) {
            retried.increment();
        }
        return senders.send(target.get(), p.payload).ifNoItem().after(config.deliveryTimeout().plusSeconds(1)).fail()
                .onItemOrFailure().transformToUni((v, e) -> {
                    if (e == null) {
                        p.delivered = true;
                        delivered.increment();
                        latency.record(Duration.between(p.createdAt.toInstant(), java.time.Instant.now()).toNanos(),
                                TimeUnit.NANOSECONDS);
                        return inOrder(lane, i + 1);
                    }
                    String why = e.getMessage() == null ? e.toString() : e.getMessage();
                    for (int j = i; j < lane.size(); j++) { // the rest of this target's rows wait with it
                        lane.get(j).error = j == i ? why : "an earlier message to this target failed";
                    }
                    failed.increment();
                    LOG.warnf("notifications: delivery to %s failed (attempt %d): %s", p.target, p.attempts + 1, why);
                    return Uni.createFrom().voidItem();
                });
    }

    /** What the round did: delivered rows are deleted, failed ones wait their back-off (the depth gauge follows). */
    private EventOutboxRows.Settlement settlement(List<Pending> taken) {
        List<Long> done = new ArrayList<>();
        List<EventOutboxRows.Retry> later = new ArrayList<>();
        for (Pending p : taken) {
            if (p.delivered) {
                done.add(p.id);
            } else if (p.error != null) {
                later.add(new EventOutboxRows.Retry(p.id, backoff(p.attempts).toMillis() / 1000.0, p.error));
            }
        }
        outbox.depth(Math.max(0, outbox.depth() - done.size()));
        return new EventOutboxRows.Settlement(done, later);
    }

    private Duration backoff(int attempts) {
        return backoff(attempts, config.retryFirst(), config.retryMax());
    }

    /** The wait after a message's attempt number {@code attempts} (0-based) failed: {@code first} doubled per attempt, at most {@code max}. */
    static Duration backoff(int attempts, Duration first, Duration max) {
        long f = Math.max(1, first.toMillis());
        long wait = f << Math.min(Math.max(attempts, 0), 20);
        return Duration.ofMillis(Math.min(Math.max(wait, f), max.toMillis()));
    }

    private static final class Pending {
        final long id;
        final String target;
        final String payload;
        final int attempts;
        final OffsetDateTime createdAt;
        boolean delivered;
        String error;

        Pending(long id, String target, String payload, int attempts, OffsetDateTime createdAt) {
            this.id = id;
            this.target = target;
            this.payload = payload;
            this.attempts = attempts;
            this.createdAt = createdAt;
        }
    }
}
