package dev.sseproxy.audit;

import dev.sseproxy.catalog.AuditEventRows;
import dev.sseproxy.catalog.BackendKeyArns;
import dev.sseproxy.config.AuditConfig;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.config.AuditConfig.Overflow;
import dev.sseproxy.kms.KmsCall;
import dev.sseproxy.kms.KmsCallListener;
import dev.sseproxy.observability.CompletedRequest;
import dev.sseproxy.observability.RequestGate;
import dev.sseproxy.observability.RequestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The audit trail's asynchronous batched writer: turns finished S3 requests and KMS calls into
 * CloudTrail events, queues them in memory (bounded) and writes them to PostgreSQL in batches, one
 * statement each ({@code catalog.AuditEventRows}). Also the S3 edge's admission gate: every request takes a
 * place in the queue before it starts. The policy (wait or drop), flushing and shutdown are described
 * in the package documentation.
 */
@ApplicationScoped
@Startup
public class AuditWriter implements RequestListener, RequestGate, KmsCallListener {
    private static final Logger LOG = Logger.getLogger(AuditWriter.class);

    private final AuditConfig config;
    private final CloudTrailRecords records;
    private final Vertx vertx;
    private final boolean enabled;
    private final boolean waitForPlace;
    private final int capacity;
    private final int batchSize;
    /** How long a write waits for more events when the batch is not full: a tenth of the flush interval, at most 50 ms. */
    private final long lingerMillis;

    /** Events waiting to be written. */
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger depth = new AtomicInteger();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** A batch whose write failed, written again before anything else. */
    private volatile List<Pending> retry = List.of();
    private volatile long retryDelayMillis;
    private final KeyArns keyArns;
    private final AuditRows rows;
    private final AuditAdmission admission;

    private final Counter written;
    private final Counter dropped;
    private final Timer batchTimer;
    private Context context;
    private long timer = -1;

    public AuditWriter(SseProxyConfig config, AuditEventRows table, BackendKeyArns arns, Vertx vertx,
            MeterRegistry meters) {
        this.config = config.audit();
        this.records = new CloudTrailRecords(config.region(), config.root().accountId());
        this.vertx = vertx;
        this.enabled = this.config.enabled();
        this.waitForPlace = this.config.overflow() == Overflow.WAIT;
        this.capacity = this.config.queueCapacity();
        this.batchSize = this.config.batchSize();
        this.lingerMillis = Math.min(50, this.config.flushInterval().toMillis() / 10);
        Gauge.builder("sse.proxy.audit.queue.depth", depth, AtomicInteger::get)
                .description("audit events waiting in memory to be written").register(meters);
        this.written = Counter.builder("sse.proxy.audit.events.written").description("audit events written")
                .register(meters);
        this.dropped = Counter.builder("sse.proxy.audit.events.dropped")
                .description("audit events dropped because the queue was full (goal: 0)").register(meters);
        Counter rejected = Counter.builder("sse.proxy.audit.admission.rejected")
                .description("S3 requests refused with 503 SlowDown because the audit queue stayed full").register(meters);
        this.admission = new AuditAdmission(vertx, capacity, this.config.admissionWait(), rejected);
        this.rows = new AuditRows(table, dropped);
        this.keyArns = new KeyArns(arns);
        this.batchTimer = Timer.builder("sse.proxy.audit.batch").description("time to write one batch of audit events")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    @PostConstruct
    void start() {
        if (!enabled) {
            LOG.info("audit trail: off (sse-proxy.audit.enabled=false)");
            return;
        }
        context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        // writes start when events arrive (flushSoon); this timer at half the interval is the fallback
        long every = Math.max(10, config.flushInterval().toMillis() / 2);
        timer = vertx.setPeriodic(every, t -> flushSoon());
        LOG.infof("audit trail: queue %d, batches of up to %d, flush interval %d ms, overflow %s", capacity, batchSize, every * 2,
                config.overflow());
    }

    // ---- admission ----------------------------------------------------------------------------

    @Override
    public Uni<Void> admit() {
        if (!enabled || !waitForPlace) {
            return Uni.createFrom().voidItem();
        }
        return admission.admit();
    }

    // ---- events in ----------------------------------------------------------------------------

    @Override
    public void completed(CompletedRequest request) {
        if (!enabled) {
            return;
        }
        AuditEvent event;
        try {
            event = records.s3(request);
        } catch (RuntimeException e) {
            LOG.errorf(e, "audit event of request %s could not be built", request.requestId());
            if (waitForPlace) {
                admission.release(1);
            }
            dropped.increment();
            return;
        }
        if (waitForPlace) {
            enqueue(new Pending(event, true));
        } else if (depth.get() < capacity) {
            enqueue(new Pending(event, false));
        } else {
            dropped.increment();
        }
    }

    /** Records an IAM or STS call (no admission place: like KMS events, past twice the capacity they are dropped). */
    public void apiCalled(ApiCall call) {
        if (!enabled) {
            return;
        }
        AuditEvent event;
        try {
            event = records.api(call);
        } catch (RuntimeException e) {
            LOG.errorf(e, "audit event of %s call %s could not be built", call.eventSource(), call.requestId());
            dropped.increment();
            return;
        }
        if (depth.get() < 2 * capacity) {
            enqueue(new Pending(event, false));
        } else {
            dropped.increment();
        }
    }

    @Override
    public void called(KmsCall call) {
        if (!enabled) {
            return;
        }
        keyArns.of(call.keyName()).whenComplete((arn, err) -> {
            AuditEvent event = records.kms(call, arn != null ? arn : call.keyName());
            if (event == null) {
                return;
            }
            // KMS events take no place (the KMS rate limiter bounds them); past twice the capacity they are dropped
            if (depth.get() < 2 * capacity) {
                enqueue(new Pending(event, false));
            } else {
                dropped.increment();
            }
        });
    }

    private void enqueue(Pending p) {
        queue.add(p);
        depth.incrementAndGet();
        flushSoon();
    }

    // ---- writing ------------------------------------------------------------------------------

    /**
     * Group commit: starts a write at once unless one is running or scheduled; events that arrive
     * during a write go into the next one. (During a retry back-off, the retry timer restarts it.)
     */
    private void flushSoon() {
        if (context != null && retryDelayMillis == 0 && !flushing.get() && scheduled.compareAndSet(false, true)) {
            Runnable write = () -> context.runOnContext(v -> {
                scheduled.set(false);
                VertxContextSafetyToggle.setCurrentContextSafe(true);
                flush().subscribe().with(n -> { }, e -> { });
            });
            // a short linger gathers the events of a light load into one transaction instead of one each
            if (depth.get() >= batchSize || lingerMillis == 0) {
                write.run();
            } else {
                vertx.setTimer(lingerMillis, t -> write.run());
            }
        }
    }

    /**
     * Writes queued events, a batch at a time, until none remain. Runs on the writer's context; one
     * flush at a time. Emits the events written.
     */
    Uni<Integer> flush() {
        if (!flushing.compareAndSet(false, true)) {
            return Uni.createFrom().item(0);
        }
        return writeBatches(0).eventually(() -> {
            flushing.set(false);
            if (depth.get() > 0) { // arrived after the last drain, while the flag was still set
                flushSoon();
            }
        });
    }

    private Uni<Integer> writeBatches(int done) {
        List<Pending> batch = retry.isEmpty() ? drain() : retry;
        if (batch.isEmpty()) {
            return Uni.createFrom().item(done);
        }
        Timer.Sample sample = Timer.start();
        List<AuditEvent> events = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            events.add(p.event);
        }
        Uni<Integer> write = rows.write(events);
        return write.onItemOrFailure().transformToUni((refusedRows, failure) -> {
            if (failure != null) {
                retry = batch;
                retryDelayMillis = Math.min(30_000, Math.max(200, retryDelayMillis * 2));
                LOG.warnf("audit: writing %d events failed (%s); retrying in %d ms", batch.size(), failure.toString(),
                        retryDelayMillis);
                // during the back-off flushSoon starts nothing; this timer retries (and doubles it on failure)
                vertx.setTimer(retryDelayMillis, t -> {
                    context.runOnContext(v -> {
                        VertxContextSafetyToggle.setCurrentContextSafe(true);
                        flush().subscribe().with(n -> { }, e -> { });
                    });
                });
                return Uni.createFrom().failure(failure);
            }
            sample.stop(batchTimer);
            retry = List.of();
            retryDelayMillis = 0;
            written.increment(batch.size() - refusedRows);
            int held = 0;
            for (Pending p : batch) {
                if (p.holdsPlace) {
                    held++;
                }
            }
            admission.release(held);
            int total = done + batch.size();
            // only a full batch goes at once; a partial one lingers (flushSoon, after this flush), so a
            // steady load is written in batches of a linger's events, not one small batch per round trip
            return depth.get() >= batchSize ? writeBatches(total) : Uni.createFrom().item(total);
        });
    }

    private List<Pending> drain() {
        List<Pending> batch = new ArrayList<>(Math.min(batchSize, Math.max(1, depth.get())));
        Pending p;
        while (batch.size() < batchSize && (p = queue.poll()) != null) {
            batch.add(p);
            depth.decrementAndGet();
        }
        return batch;
    }

    /** Writes everything queued now (tests and shutdown); completes when it is written. */
    public Uni<Integer> flushAll() {
        if (context == null) {
            return Uni.createFrom().item(0);
        }
        return Uni.createFrom().<Integer>emitter(em -> context.runOnContext(v -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            flushUntilEmpty(em, 0);
        }));
    }

    private void flushUntilEmpty(UniEmitter<? super Integer> em, int total) {
        if (flushing.get()) { // a periodic flush is running: look again shortly
            vertx.setTimer(20, t -> context.runOnContext(v -> flushUntilEmpty(em, total)));
            return;
        }
        flush().subscribe().with(n -> {
            if (depth.get() > 0 || !retry.isEmpty()) {
                flushUntilEmpty(em, total + n);
            } else {
                em.complete(total + n);
            }
        }, em::fail);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (!enabled) {
            return;
        }
        vertx.cancelTimer(timer);
        int queued = depth.get() + retry.size();
        try {
            int n = flushAll().await().atMost(Duration.ofSeconds(30));
            LOG.infof("audit trail: %d events written at shutdown (%d were queued)", n, queued);
        } catch (RuntimeException e) {
            LOG.errorf(e, "audit trail: %d events could not be written at shutdown", depth.get() + retry.size());
        }
    }

    /** Events waiting in memory (the queue depth). */
    public int depth() {
        return depth.get() + retry.size();
    }

    private record Pending(AuditEvent event, boolean holdsPlace) {
    }

}
