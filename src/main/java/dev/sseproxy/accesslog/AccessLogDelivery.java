package dev.sseproxy.accesslog;

import dev.sseproxy.catalog.BucketLogging;
import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.observability.CompletedRequest;
import dev.sseproxy.sse.BucketEncryptionStore;
import dev.sseproxy.sse.InternalWrites;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Batches records and writes log objects (package documentation, "Delivery"): records are added on the
 * request's event loop, log objects are written every flush interval (or when a batch is full) on a
 * fresh duplicated context, through {@link InternalWrites#putServiceObject} as
 * {@value #SERVICE}, SSE-S3; a target whose default encryption is SSE-KMS or DSSE-KMS gets nothing.
 */
@ApplicationScoped
@Startup
public class AccessLogDelivery {
    private static final Logger LOG = Logger.getLogger(AccessLogDelivery.class);
    /** The service principal that delivers server access logs (its writes are never logged themselves). */
    public static final String SERVICE = "logging.s3.amazonaws.com";
    static final String CONTENT_TYPE = "text/plain";

    /** A delivered or failed log object (tests and the log line). */
    record Outcome(String target, String key, int records, String failure) {
    }

    private final AccessLogConfig config;
    private final Vertx vertx;
    private final Instance<InternalWrites> writes;
    private final BucketEncryptionStore encryption;
    private final String region;
    private final PendingLogs pending;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final MeterRegistry meters;
    private final Counter delivered;
    private final Counter dropped;
    private final Counter failedRecords;
    private final Counter objects;
    private final Counter failedObjects;
    private long timer = -1;

    public AccessLogDelivery(AccessLogConfig config, Vertx vertx, Instance<InternalWrites> writes,
            BucketEncryptionStore encryption, dev.sseproxy.config.SseProxyConfig proxy, MeterRegistry meters) {
        this.config = config;
        this.vertx = vertx;
        this.writes = writes;
        this.encryption = encryption;
        this.region = proxy.region();
        this.meters = meters;
        this.pending = new PendingLogs(config.maxBuffered().asLongValue(), config.maxObjectSize().asLongValue());
        this.delivered = records(meters, "delivered", "records written in log objects");
        this.dropped = records(meters, "dropped", "records dropped because the node's buffer was full");
        this.failedRecords = records(meters, "failed", "records lost with a log object that could not be written");
        this.objects = Counter.builder("sse.proxy.access.log.objects").tag("outcome", "delivered")
                .description("server access log objects written").register(meters);
        this.failedObjects = Counter.builder("sse.proxy.access.log.objects").tag("outcome", "failed")
                .description("server access log objects that could not be written").register(meters);
        Gauge.builder("sse.proxy.access.log.buffered.bytes", pending, PendingLogs::buffered)
                .description("record text held for delivery on this node").register(meters);
    }

    private static Counter records(MeterRegistry meters, String outcome, String description) {
        return Counter.builder("sse.proxy.access.log.records").tag("outcome", outcome).description(description)
                .register(meters);
    }

    @PostConstruct
    void start() {
        if (!config.enabled()) {
            LOG.info("server access log delivery: off (sse-proxy.access-log.enabled=false)");
            return;
        }
        timer = vertx.setPeriodic(config.flushInterval().toMillis(), t -> flushAll());
    }

    @PreDestroy
    void stop() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /**
     * A graceful stop delivers the records still held (waiting at most {@value #SHUTDOWN_WAIT_SECONDS} s),
     * so a rolling restart loses none; a crash loses at most one flush interval of this node's records.
     */
    void onShutdown(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        stop();
        List<PendingLogs.Batch> batches = pending.takeAll();
        if (!config.enabled() || batches.isEmpty()) {
            return;
        }
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        LOG.infof("server access log delivery: delivering %d batches held at shutdown", batches.size());
        onFreshContext(() -> deliverAll(batches), done::countDown);
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            return; // never block an event loop: the deliveries go on without waiting
        }
        try {
            if (!done.await(SHUTDOWN_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warnf("server access log delivery: %d batches not delivered within %d s of the shutdown",
                        batches.size(), SHUTDOWN_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final int SHUTDOWN_WAIT_SECONDS = 10;

    /** Adds the record of {@code r}, a request to a bucket (of {@code owner}, in {@code region}) whose logging is {@code c}; never blocks. */
    void record(CompletedRequest r, BucketLogging c, String owner, String region) {
        String day = c.partitioned() && !c.deliveryTime() ? r.time().atOffset(ZoneOffset.UTC).toLocalDate().toString() : null;
        PendingLogs.Target t = new PendingLogs.Target(r.bucket(), owner, region, c, day);
        PendingLogs.Added added = pending.add(t, r.time(), AccessLogRecords.format(r));
        if (!added.kept()) {
            dropped.increment();
        } else if (added.full() != null) {
            onFreshContext(() -> deliver(added.full()).replaceWithVoid(), () -> { });
        }
    }

    /** Delivers every open batch now (the timer's work; tests call it through the admin hook if any). */
    void flushAll() {
        List<PendingLogs.Batch> batches = pending.takeAll();
        if (batches.isEmpty()) {
            return;
        }
        LOG.debugf("server access log delivery: %d batches due", batches.size());
        onFreshContext(() -> deliverAll(batches), () -> { });
    }

    /** Delivers the batches one after another (each failure is counted by {@link #deliver}). */
    private Uni<Void> deliverAll(List<PendingLogs.Batch> batches) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (PendingLogs.Batch b : batches) {
            chain = chain.chain(() -> deliver(b).replaceWithVoid());
        }
        return chain;
    }

    private void onFreshContext(java.util.function.Supplier<Uni<Void>> work, Runnable then) {
        io.vertx.core.Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        ctx.runOnContext(v -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            work.get().eventually(then).subscribe().with(x -> { },
                    e -> LOG.warnf("server access log delivery: %s", e.getMessage()));
        });
    }

    /** Writes one batch as one log object, or counts it failed; releases its text either way. */
    Uni<Outcome> deliver(PendingLogs.Batch b) {
        PendingLogs.Target t = b.target;
        BucketLogging c = t.config();
        Instant now = clock.instant();
        String key = LogObjectKeys.key(c, t.sourceOwner(), t.sourceRegion(), t.sourceBucket(), now, b.firstEvent,
                LogObjectKeys.unique(random));
        byte[] body = b.text.toString().getBytes(StandardCharsets.UTF_8);
        InternalWrites.Encryption sseS3 = new InternalWrites.Encryption(Optional.of(SseMode.SSE_S3), Optional.empty(),
                Optional.empty());
        LOG.debugf("server access log delivery: %d records of %s to %s/%s", b.records, t.sourceBucket(), c.targetBucket(), key);
        return encryption.get(c.targetBucket()).chain(enc -> {
            SseMode target = enc.effective().algorithm();
            if (target == SseMode.SSE_KMS || target == SseMode.DSSE_KMS) {
                return Uni.createFrom().item(new Outcome(c.targetBucket(), key, b.records, "kms_default"));
            }
            return writes.get().putServiceObject(SERVICE, t.sourceOwner(), "arn:aws:s3:::" + t.sourceBucket(), true,
                    c.targetBucket(), key, body, CONTENT_TYPE, sseS3)
                    .map(w -> new Outcome(c.targetBucket(), key, b.records, null));
        }).onFailure().recoverWithItem(e -> new Outcome(c.targetBucket(), key, b.records, reason(e)))
                .invoke(o -> {
                    pending.released(b);
                    if (o.failure() == null) {
                        objects.increment();
                        delivered.increment(o.records());
                        LOG.debugf("server access log delivery: %s/%s (%d records)", o.target(), o.key(), o.records());
                    } else {
                        failedObjects.increment();
                        failedRecords.increment(o.records());
                        Counter.builder("sse.proxy.access.log.delivery.failures").tag("reason", o.failure())
                                .description("server access log objects not written, by reason").register(meters)
                                .increment();
                        LOG.warnf("server access log delivery of bucket %s to %s failed (%s): %d records dropped%s",
                                t.sourceBucket(), o.target(), o.failure(), o.records(), "kms_default".equals(o.failure())
                                        ? "; the target's default encryption is SSE-KMS, only SSE-S3 targets receive logs"
                                        : "");
                    }
                });
    }

    private static String reason(Throwable e) {
        if (e instanceof S3Exception s3) {
            return switch (s3.code().code()) {
                case "NoSuchBucket" -> "no_such_bucket";
                case "AccessDenied" -> "access_denied";
                default -> "error";
            };
        }
        return "error";
    }
}
