package dev.sseproxy.replication;

import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.ReplicationQueue;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.kms.KmsPermits;
import dev.sseproxy.kms.KmsRateLimiter;
import dev.sseproxy.kms.SharedKmsRateLimiter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The workers (package documentation, "Queue and workers"): each node runs at most
 * {@link dev.sseproxy.config.ReplicationConfig#workers()} replications at once. A round claims due rows for this node (one short
 * statement: {@code FOR UPDATE SKIP LOCKED} inside, a lease of {@link dev.sseproxy.config.ReplicationConfig#claimLease()} on each
 * row, renewed while the work runs; no transaction stays open across a copy), takes a KMS permit for the source
 * bucket's owner (a burst of replications waits behind the client requests' share of the KMS rate limit
 * instead of starving them; no permit: the row goes back and waits a second), replicates, and settles the row:
 * COMPLETED, retried later (exponential back-off from {@link dev.sseproxy.config.ReplicationConfig#retryFirst()}, at most
 * {@link dev.sseproxy.config.ReplicationConfig#retryMax()}), or FAILED (after {@link dev.sseproxy.config.ReplicationConfig#maxAttempts()}, or at once
 * for 403 AccessDenied and a source version that is gone). A node that dies leaves its claims to expire;
 * another node (or the same one restarted) takes the rows then. A replica written just before a node died is
 * recognised when its row is taken again (the destination's current version names the source version it
 * copies): a row replicates once.
 */
@ApplicationScoped
public class ReplicationWorker {
    private static final Logger LOG = Logger.getLogger(ReplicationWorker.class);

    private final ReplicationQueue queue;
    private final BucketCatalog buckets;
    private final Instance<ReplicaWrites> writes;
    private final dev.sseproxy.config.ReplicationConfig config;
    private final ReplicationMetrics metrics;
    private final ReplicationEvents events;
    private final Vertx vertx;
    private final KmsPermits permits;
    private final String node = "r-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;
    private long pollTimer = -1;
    private long renewTimer = -1;
    private long lastCount;
    private long nextStartNanos;

    public ReplicationWorker(ReplicationQueue queue, BucketCatalog buckets, Instance<ReplicaWrites> writes,
            ReplicationMetrics metrics, ReplicationEvents events, Vertx vertx, SseProxyConfig proxy,
            KmsRateLimiter local, Instance<SharedKmsRateLimiter> shared) {
        this.queue = queue;
        this.buckets = buckets;
        this.writes = writes;
        this.config = proxy.replication();
        this.metrics = metrics;
        this.events = events;
        this.vertx = vertx;
        this.permits = proxy.kms().rateLimit().cluster().enabled() ? shared.get() : local;
    }

    void start(@Observes StartupEvent ev) {
        if (config.workers() <= 0) {
            return;
        }
        pollTimer = vertx.setPeriodic(Math.max(50, config.pollInterval().toMillis()), t -> wake());
        renewTimer = vertx.setPeriodic(Math.max(100, config.claimLease().toMillis() / 3), t -> renew());
        wake();
    }

    void stop(@Observes ShutdownEvent ev) {
        stopped = true;
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
            vertx.cancelTimer(renewTimer);
        }
    }

    /** Claims rows soon (on an event loop) unless a claim runs; a running one then goes once more. */
    void wake() {
        if (stopped || config.workers() <= 0) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        vertx.runOnContext(v -> claim().subscribe().with(n -> claimed(), e -> {
            LOG.warnf("replication: claiming rows failed (%s)", e.toString());
            claimed();
        }));
    }

    private void claimed() {
        claiming.set(false);
        if (again.getAndSet(false)) {
            wake();
        }
    }

    private Uni<Void> claim() {
        Uni<Void> count = Uni.createFrom().voidItem();
        long now = System.currentTimeMillis();
        if (now - lastCount > 2000) {
            lastCount = now;
            count = queue.pending().invoke(metrics::pending).replaceWithVoid()
                    .chain(() -> queue.missedThreshold(100)).chain(late -> late.isEmpty() ? Uni.createFrom().voidItem()
                            : onOwnContext(() -> missed(late)))
                    .onFailure().recoverWithNull();
        }
        return count.chain(() -> {
            int free = config.workers() - inFlight.get();
            if (free <= 0) {
                return Uni.createFrom().voidItem();
            }
            return queue.claim(node, free, config.claimLease()).invoke(items -> {
                for (ReplicationQueue.Item item : items) {
                    inFlight.incrementAndGet();
                    running.add(item.id());
                    onOwnContext(() -> paced(item)).subscribe().with(v -> done(item), e -> {
                        LOG.warnf("replication: row %d: %s", item.id(), e.toString());
                        done(item);
                    });
                }
            }).replaceWithVoid();
        });
    }

    /** {@code OperationMissedThreshold} for rows still pending past their rule's threshold (each reported once). */
    private Uni<Void> missed(List<ReplicationQueue.Item> late) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (ReplicationQueue.Item item : late) {
            all = all.chain(() -> events.missedThreshold(item));
        }
        return all;
    }

    private void done(ReplicationQueue.Item item) {
        running.remove(item.id());
        inFlight.decrementAndGet();
        wake();
    }

    private void renew() {
        if (running.isEmpty()) {
            return;
        }
        List<Long> ids = List.copyOf(running);
        vertx.runOnContext(v -> queue.renew(node, ids, config.claimLease()).subscribe().with(x -> { },
                e -> LOG.warnf("replication: renewing claims failed (%s)", e.toString())));
    }

    /** {@link dev.sseproxy.config.ReplicationConfig#maxPerSecond()}: the start of each replication spaced evenly. */
    private Uni<Void> paced(ReplicationQueue.Item item) {
        double rate = config.maxPerSecond();
        if (rate <= 0) {
            return run(item);
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextStartNanos);
            nextStartNanos = start + (long) (1e9 / rate);
            wait = start - now;
        }
        return wait <= 0 ? run(item) : sleep(wait).chain(() -> run(item));
    }

    /** Waits on a Vert.x timer: the rest runs on the caller's (duplicated) context again. */
    private Uni<Void> sleep(long nanos) {
        return Uni.createFrom().emitter(em -> vertx.setTimer(Math.max(1, nanos / 1_000_000), t -> em.complete(null)));
    }

    /**
     * Runs one row's work on a fresh duplicated context of an event loop, as a request runs (the reactive SQL
     * client and Hibernate Reactive need one).
     */
    private Uni<Void> onOwnContext(java.util.function.Supplier<Uni<Void>> work) {
        return Uni.createFrom().emitter(em -> {
            io.vertx.core.Context current = Vertx.currentContext();
            io.vertx.core.Context base = current != null && current.isEventLoopContext() ? current
                    : ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
            io.vertx.core.Context ctx = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(base);
            ctx.runOnContext(v -> {
                io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setCurrentContextSafe(true);
                Uni.createFrom().<Void>deferred(() -> work.get()).subscribe().with(em::complete, em::fail);
            });
        });
    }

    /** One row: permit, replicate, settle. */
    Uni<Void> run(ReplicationQueue.Item item) {
        return attempt(item).onFailure().recoverWithUni(e -> settleFailure(item, e, false)); // never leaves a claim behind
    }

    private Uni<Void> attempt(ReplicationQueue.Item item) {
        return buckets.find(item.bucket()).chain(b -> {
            if (b.isEmpty()) {
                return settleFailure(item, S3Exception.noSuchBucket(item.bucket()), true);
            }
            String owner = b.get().ownerId();
            return permits.acquire(owner).chain(wait -> {
                if (wait == KmsRateLimiter.REJECTED) {
                    return queue.release(item.id(), node, Duration.ofSeconds(1));
                }
                Uni<Void> pause = wait > 0 ? sleep(wait) : Uni.createFrom().voidItem();
                ReplicaWrites w = writes.get();
                return pause.chain(() -> ReplicationQueue.DELETE_MARKER.equals(item.kind())
                        ? w.replicateDeleteMarker(item, owner) : w.replicate(item, owner))
                        .onItemOrFailure().transformToUni((outcome, e) -> e == null ? settleSuccess(item, outcome)
                                : settleFailure(item, e, permanent(e)));
            });
        });
    }

    private Uni<Void> settleSuccess(ReplicationQueue.Item item, ReplicaWrites.Outcome o) {
        return queue.completed(item.id(), node, o.bytes()).chain(mine -> {
            if (!mine) {
                return Uni.createFrom().voidItem();
            }
            Duration lag = Duration.between(item.createdAt().toInstant(), java.time.Instant.now());
            metrics.completed(o.bytes(), lag);
            if (item.thresholdMinutes() != null && lag.toMinutes() >= item.thresholdMinutes()) {
                return events.replicatedAfterThreshold(item);
            }
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> settleFailure(ReplicationQueue.Item item, Throwable e, boolean permanent) {
        String why = e instanceof S3Exception s ? s.code().code() + ": " + s.getMessage()
                : e.getMessage() == null ? e.toString() : e.getMessage();
        if (permanent || item.attempts() + 1 >= config.maxAttempts()) {
            LOG.warnf("replication: %s/%s (version %s) to %s FAILED: %s", item.bucket(), item.key(), item.versionId(),
                    item.destBucket(), why);
            return queue.failed(item.id(), node, why).chain(mine -> {
                if (!mine) {
                    return Uni.createFrom().voidItem();
                }
                metrics.failed();
                return events.failed(item, why);
            });
        }
        metrics.retried();
        LOG.debugf("replication: row %d attempt %d failed (%s); retried", item.id(), item.attempts() + 1, why);
        return queue.retry(item.id(), node, backoff(item.attempts(), config.retryFirst(), config.retryMax()), why)
                .replaceWithVoid();
    }

    /** 403 (the destination's policy refuses the source owner) and a source version that is gone do not heal. */
    static boolean permanent(Throwable e) {
        if (e instanceof S3Exception s) {
            String code = s.code().code();
            return s.code().status() == 403 || "NoSuchKey".equals(code) || "NoSuchVersion".equals(code)
                    || "InvalidRequest".equals(code);
        }
        return false;
    }

    /** The wait after attempt number {@code attempts} (0-based) failed: {@code first} doubled per attempt, at most {@code max}. */
    static Duration backoff(int attempts, Duration first, Duration max) {
        long f = Math.max(1, first.toMillis());
        long wait = f << Math.min(Math.max(attempts, 0), 20);
        return Duration.ofMillis(Math.min(Math.max(wait, f), max.toMillis()));
    }

    /** This node's claim id (for logs and tests). */
    String node() {
        return node;
    }

}
