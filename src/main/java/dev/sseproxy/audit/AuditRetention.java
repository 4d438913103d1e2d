package dev.sseproxy.audit;

import dev.sseproxy.catalog.AuditEventPurge;
import dev.sseproxy.cluster.Leases;
import dev.sseproxy.config.AuditConfig;
import dev.sseproxy.config.SseProxyConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Retention (see the package documentation): every {@code sse-proxy.audit.purge-interval}, and once
 * shortly after start, events older than {@code retention-days} are deleted, {@code purge-batch} rows
 * per statement (each its own transaction, so a large purge never holds a long lock). With log file
 * delivery on, only delivered events are purged: an event is never lost because its bucket was away.
 * Only the node holding the lease {@value #LEASE} purges (cluster package documentation).
 */
@ApplicationScoped
@Startup
public class AuditRetention {
    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    /** The first purge runs this long after start (or after one interval, when shorter). */
    static final Duration FIRST_RUN = Duration.ofSeconds(30);

    /** What one purge did. */
    public record Purged(long events, int statements) {
    }

    private final int retentionDays;
    private final int batch;
    private final Duration interval;
    private final boolean deliveredOnly;
    private final AuditEventPurge events;
    private final Leases leases;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Counter purged;
    private long timer = -1;

    /** The lease whose holder purges. */
    static final String LEASE = "audit-retention";

    public AuditRetention(SseProxyConfig config, AuditEventPurge events, Vertx vertx, MeterRegistry meters, Leases leases) {
        this.leases = leases;
        AuditConfig audit = config.audit();
        this.retentionDays = audit.retentionDays();
        this.batch = audit.purgeBatch();
        this.interval = audit.purgeInterval();
        this.deliveredOnly = audit.delivery().bucket().filter(b -> !b.isBlank()).isPresent();
        this.events = events;
        this.vertx = vertx;
        this.purged = Counter.builder("sse.proxy.audit.purged")
                .description("audit events deleted after the retention period").register(meters);
    }

    /** Refuses settings that would purge nothing, everything, or never. */
    static void check(int retentionDays, int purgeBatch, Duration purgeInterval) {
        if (retentionDays < 1) {
            throw new IllegalStateException("sse-proxy.audit.retention-days is " + retentionDays + ": it must be at least 1");
        }
        if (purgeBatch < 1) {
            throw new IllegalStateException("sse-proxy.audit.purge-batch is " + purgeBatch + ": it must be at least 1");
        }
        if (purgeInterval.isNegative() || purgeInterval.isZero()) {
            throw new IllegalStateException("sse-proxy.audit.purge-interval is " + purgeInterval + ": it must be positive");
        }
    }

    @PostConstruct
    void start() {
        check(retentionDays, batch, interval);
        leases.keep(LEASE);
        long first = Math.min(FIRST_RUN.toMillis(), interval.toMillis());
        timer = vertx.setTimer(first, t -> {
            runSoon();
            timer = vertx.setPeriodic(interval.toMillis(), p -> runSoon());
        });
        LOG.infof("audit retention: events older than %d days are purged every %s, %d per statement", retentionDays,
                interval, batch);
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }

    private void runSoon() {
        if (leases.held(LEASE).isEmpty()) {
            LOG.debugf("audit retention: another node holds the lease %s", LEASE);
            return;
        }
        if (!running.compareAndSet(false, true)) {
            return;
        }
        io.vertx.core.Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        ctx.runOnContext(v -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            long started = System.nanoTime();
            purge().eventually(() -> running.set(false)).subscribe().with(p -> {
                if (p.events() > 0) {
                    LOG.infof("audit retention: purged %d events older than %d days in %d statements, %d ms",
                            p.events(), retentionDays, p.statements(), (System.nanoTime() - started) / 1_000_000);
                }
            }, e -> LOG.warnf("audit retention: purge failed (%s); retried in %s", e.getMessage(), interval));
        });
    }

    /** Deletes the events older than the retention period, a batch per statement, until none is left. */
    public Uni<Purged> purge() {
        OffsetDateTime cutoff = clock.instant().atOffset(ZoneOffset.UTC).minusDays(retentionDays);
        return purgeFrom(cutoff, new Purged(0, 0));
    }

    private Uni<Purged> purgeFrom(OffsetDateTime cutoff, Purged sofar) {
        return events.deleteOlderThan(cutoff, batch, deliveredOnly).chain(n -> {
            purged.increment(n);
            Purged now = new Purged(sofar.events() + n, sofar.statements() + 1);
            return n < batch ? Uni.createFrom().item(now) : purgeFrom(cutoff, now);
        });
    }
}
