package dev.sseproxy.audit;

import dev.sseproxy.catalog.AuditLogFiles;
import dev.sseproxy.catalog.AuditLogFiles.Chosen;
import dev.sseproxy.catalog.AuditLogFiles.Planned;
import dev.sseproxy.cluster.Leases;
import dev.sseproxy.config.RootConfig;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.config.AuditConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.quarkus.vertx.http.HttpServer;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Log file delivery (see the package documentation): every {@code sse-proxy.audit.delivery.interval}
 * the undelivered events become gzipped CloudTrail log files, one per account and region and at most
 * {@value #MAX_RECORDS} records or {@value #MAX_BYTES} bytes of record text each, PUT through the
 * proxy's own S3 port. Only the node holding the lease {@value #LEASE} delivers. Each file is planned
 * (its key and event ids recorded), uploaded, then its events marked delivered, the plan and the mark
 * each a fenced transaction; a plan left over (failed upload, dead node) is finished first, under the
 * same key with the same records (cluster package documentation). The statements are the catalog's
 * ({@link AuditLogFiles}).
 */
@ApplicationScoped
@Startup
public class LogDelivery {
    private static final Logger LOG = Logger.getLogger(LogDelivery.class);
    /** CloudTrail delivers within about 5 minutes; a longer interval is refused at start. */
    static final Duration MAX_INTERVAL = Duration.ofMinutes(5);
    static final int MAX_RECORDS = 10_000;
    static final long MAX_BYTES = 8L * 1024 * 1024;

    /** The lease whose holder delivers. */
    static final String LEASE = "audit-delivery";

    /** A log file written: its key and how many records it holds. */
    public record Delivered(String key, String accountId, String region, int records) {
    }

    private final AuditConfig.Delivery config;
    private final boolean enabled;
    private final String region;
    private final RootConfig root;
    private final AuditLogFiles logFiles;
    private final Vertx vertx;
    private final HttpServer server;
    private final Leases leases;
    private final String httpHost;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Counter files;
    private final Counter records;
    private final Counter failures;
    private LogFileUploader uploader;
    private long timer = -1;

    public LogDelivery(SseProxyConfig config, AuditLogFiles logFiles, Vertx vertx, HttpServer server,
            @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1") String httpHost, MeterRegistry meters,
            Leases leases) {
        this.leases = leases;
        this.config = config.audit().delivery();
        this.enabled = config.audit().enabled() && this.config.bucket().filter(b -> !b.isBlank()).isPresent();
        this.region = config.region();
        this.root = config.root();
        this.logFiles = logFiles;
        this.vertx = vertx;
        this.server = server;
        this.httpHost = httpHost;
        this.files = Counter.builder("sse.proxy.audit.delivery.files").description("CloudTrail log files delivered")
                .register(meters);
        this.records = Counter.builder("sse.proxy.audit.delivery.records")
                .description("audit events delivered in log files").register(meters);
        this.failures = Counter.builder("sse.proxy.audit.delivery.failures")
                .description("log file deliveries that failed (their events are retried at the next interval)")
                .register(meters);
    }

    /** Refuses an interval above 5 minutes (or not positive): CloudTrail's delivery promise. */
    static void checkInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero() || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalStateException("sse-proxy.audit.delivery.interval is " + interval
                    + ": log files are delivered at least every 5 minutes, set a value between 1s and 5m");
        }
    }

    @PostConstruct
    void start() {
        checkInterval(config.interval());
        if (!enabled) {
            LOG.info("audit log delivery: off (sse-proxy.audit.delivery.bucket is not set)");
            return;
        }
        leases.keep(LEASE);
        timer = vertx.setPeriodic(config.interval().toMillis(), t -> runSoon());
        LOG.infof("audit log delivery: every %s to s3://%s/%s", config.interval(), config.bucket().get(),
                config.prefix().map(p -> p + "/").orElse("") + "AWSLogs/");
    }

    @PreDestroy
    void stop() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
        if (uploader != null) {
            uploader.close();
        }
    }

    /** Starts a run on a fresh duplicated context unless one is still running. */
    private void runSoon() {
        Optional<Leases.Lease> lease = leases.held(LEASE);
        if (lease.isEmpty()) {
            LOG.debugf("audit log delivery: another node holds the lease %s", LEASE);
            return;
        }
        if (!running.compareAndSet(false, true)) {
            return;
        }
        io.vertx.core.Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        ctx.runOnContext(v -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            long started = System.nanoTime();
            deliverAll(lease.get()).eventually(() -> running.set(false)).subscribe().with(done -> {
                if (!done.isEmpty()) {
                    LOG.infof("audit log delivery: %d files, %d events in %d ms", done.size(),
                            done.stream().mapToInt(Delivered::records).sum(), (System.nanoTime() - started) / 1_000_000);
                }
            }, e -> LOG.warnf("audit log delivery to bucket %s failed: %s; the undelivered events are retried in %s",
                    config.bucket().get(), e.getMessage(), config.interval()));
        });
    }

    /**
     * Finishes the files planned before (by this node or a node that died), then delivers every event
     * recorded before now, a file at a time, and emits the files written. Events recorded meanwhile (the
     * uploads' own among them) wait for the next run, so a run always ends.
     */
    public Uni<List<Delivered>> deliverAll(Leases.Lease lease) {
        OffsetDateTime cutoff = clock.instant().atOffset(ZoneOffset.UTC);
        List<Delivered> done = new ArrayList<>();
        return finishPlanned(lease, done).chain(() -> deliverFrom(lease, cutoff, done))
                .onFailure().invoke(e -> failures.increment());
    }

    /** Uploads and marks the planned files left over, oldest first, each under its planned key. */
    private Uni<Void> finishPlanned(Leases.Lease lease, List<Delivered> done) {
        return logFiles.planned().chain(planned -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Planned p : planned) {
                chain = chain.chain(() -> logFiles.records(p.ids())
                        .chain(records -> rebuild(p, records))
                        .chain(file -> {
                            LOG.infof("audit log delivery: finishing the planned file %s (%d events)", p.key(),
                                    p.ids().length);
                            return uploadAndMark(lease, file, done);
                        }));
            }
            return chain;
        });
    }

    private Uni<List<Delivered>> deliverFrom(Leases.Lease lease, OffsetDateTime cutoff, List<Delivered> done) {
        return logFiles.planNext(lease, cutoff, MAX_RECORDS, MAX_BYTES, this::build)
                .map(planned -> planned.map(p -> p.file().planned(p.id()))).chain(file -> {
                    if (file.isEmpty()) {
                        return Uni.createFrom().item(done);
                    }
                    return uploadAndMark(lease, file.get(), done).chain(() -> deliverFrom(lease, cutoff, done));
                });
    }

    /** Uploads a planned file, then (fenced) marks its events delivered and drops its plan. */
    private Uni<Void> uploadAndMark(Leases.Lease lease, Built file, List<Delivered> done) {
        return uploader().put(config.bucket().get(), file.key(), file.body(), file.sha256Hex())
                .chain(() -> logFiles.delivered(lease, file.ids(), file.planId()))
                .invoke(() -> {
                    files.increment();
                    records.increment(file.ids().length);
                    done.add(new Delivered(file.key(), file.account(), file.region(), file.ids().length));
                })
                .replaceWithVoid();
    }

    /**
     * The file of these events (oldest first) on a worker thread: the first one's region, the events of
     * that region (others wait for the next file), gzipped and hashed.
     */
    private Uni<Built> build(Chosen chosen) {
        String account = chosen.account();
        UUID[] order = chosen.ids();
        Map<UUID, String> byId = chosen.records();
        List<UUID> ids = new ArrayList<>(order.length);
        List<String> texts = new ArrayList<>(order.length);
        for (UUID id : order) {
            ids.add(id);
            texts.add(byId.get(id));
        }
        Instant now = clock.instant();
        String unique = LogFiles.unique(random);
        return Uni.createFrom().completionStage(() -> vertx.<Built>executeBlocking(() -> {
            String fileRegion = LogFiles.region(texts.get(0), region);
            List<UUID> inFile = new ArrayList<>(ids.size());
            List<String> recordsInFile = new ArrayList<>(ids.size());
            for (int i = 0; i < texts.size(); i++) {
                if (i == 0 || fileRegion.equals(LogFiles.region(texts.get(i), region))) {
                    inFile.add(ids.get(i));
                    recordsInFile.add(texts.get(i));
                }
            }
            byte[] gz = LogFiles.gzip(recordsInFile);
            return new Built(-1, LogFiles.key(config.prefix(), account, fileRegion, now, unique), account, fileRegion,
                    inFile.toArray(UUID[]::new), gz, sha256Hex(gz));
        }, false).toCompletionStage());
    }

    /** Created on first use: the HTTP server's port is known once it listens. */
    private synchronized LogFileUploader uploader() {
        if (uploader == null) {
            boolean plain = server.getPort() > 0;
            String host = httpHost.equals("0.0.0.0") || httpHost.equals("::") || httpHost.equals("[::]") ? "127.0.0.1"
                    : httpHost;
            uploader = new LogFileUploader(vertx, new LogFileUploader.Endpoint(host,
                    plain ? server.getPort() : server.getSecurePort(), !plain),
                    new LogFileUploader.Signing(root.accessKey(), root.secretKey(), region), clock);
        }
        return uploader;
    }

    /**
     * A planned file rebuilt from its stored ids, in their stored order, on a worker thread: the same
     * records in the same order as when it was planned, so the same content under the same key.
     */
    private Uni<Built> rebuild(Planned p, Map<UUID, String> byId) {
        return Uni.createFrom().completionStage(() -> vertx.<Built>executeBlocking(() -> {
            List<String> texts = new ArrayList<>(p.ids().length);
            for (UUID id : p.ids()) {
                String t = byId.get(id);
                if (t != null) {
                    texts.add(t);
                }
            }
            byte[] gz = LogFiles.gzip(texts);
            return new Built(p.id(), p.key(), p.account(), p.region(), p.ids(), gz, sha256Hex(gz));
        }, false).toCompletionStage());
    }

    /** A log file ready to upload, the events it holds, and its plan's id once planned. */
    private record Built(long planId, String key, String account, String region, UUID[] ids, byte[] body,
            String sha256Hex) implements AuditLogFiles.NewFile {
        Built planned(long id) {
            return new Built(id, key, account, region, ids, body, sha256Hex);
        }
    }

    private static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
