package dev.sseproxy.audit;

import dev.sseproxy.config.SseProxyConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.quarkus.vertx.http.HttpServer;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Log file delivery (see the package documentation): every {@code sse-proxy.audit.delivery.interval}
 * the undelivered events become gzipped CloudTrail log files, one per account and region and at most
 * {@value #MAX_RECORDS} records or {@value #MAX_BYTES} bytes of record text each, PUT through the
 * proxy's own S3 port. Each file is one transaction: its rows are locked ({@code FOR UPDATE SKIP
 * LOCKED}), uploaded, marked delivered, committed; a failed upload rolls back and ends the run, and the
 * next interval tries again.
 */
@ApplicationScoped
@Startup
public class LogDelivery {
    private static final Logger LOG = Logger.getLogger(LogDelivery.class);
    /** CloudTrail delivers within about 5 minutes; a longer interval is refused at start. */
    static final Duration MAX_INTERVAL = Duration.ofMinutes(5);
    static final int MAX_RECORDS = 10_000;
    static final long MAX_BYTES = 8L * 1024 * 1024;

    /** The oldest undelivered event of a run: its account and region name the next file. */
    private static final String OLDEST = "SELECT account_id, coalesce(record::json->>'awsRegion', $2) FROM audit_event "
            + "WHERE NOT delivered AND event_time <= $1 ORDER BY event_time LIMIT 1 FOR UPDATE SKIP LOCKED";
    /** The next file's events: that account's and region's oldest undelivered ones. */
    private static final String FILE = "SELECT event_id, octet_length(record) FROM audit_event "
            + "WHERE NOT delivered AND event_time <= $1 AND account_id = $2 "
            + "AND coalesce(record::json->>'awsRegion', $3) = $4 "
            + "ORDER BY event_time, event_id LIMIT " + MAX_RECORDS + " FOR UPDATE SKIP LOCKED";
    private static final String RECORDS = "SELECT record FROM audit_event WHERE event_id = ANY($1) "
            + "ORDER BY event_time, event_id";
    private static final String MARK = "UPDATE audit_event SET delivered = true WHERE event_id = ANY($1)";

    /** A log file written: its key and how many records it holds. */
    public record Delivered(String key, String accountId, String region, int records) {
    }

    private final SseProxyConfig.Audit.Delivery config;
    private final boolean enabled;
    private final String region;
    private final SseProxyConfig.Root root;
    private final Pool pool;
    private final Vertx vertx;
    private final HttpServer server;
    private final String httpHost;
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Counter files;
    private final Counter records;
    private final Counter failures;
    private LogFileUploader uploader;
    private long timer = -1;

    public LogDelivery(SseProxyConfig config, Pool pool, Vertx vertx, HttpServer server,
            @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1") String httpHost, MeterRegistry meters) {
        this.config = config.audit().delivery();
        this.enabled = config.audit().enabled() && this.config.bucket().filter(b -> !b.isBlank()).isPresent();
        this.region = config.region();
        this.root = config.root();
        this.pool = pool;
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
        if (!running.compareAndSet(false, true)) {
            return;
        }
        io.vertx.core.Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        ctx.runOnContext(v -> {
            VertxContextSafetyToggle.setCurrentContextSafe(true);
            deliverAll().eventually(() -> running.set(false)).subscribe().with(done -> {
                if (!done.isEmpty()) {
                    LOG.infof("audit log delivery: %d files, %d events", done.size(),
                            done.stream().mapToInt(Delivered::records).sum());
                }
            }, e -> LOG.warnf("audit log delivery to bucket %s failed: %s; the undelivered events are retried in %s",
                    config.bucket().get(), e.getMessage(), config.interval()));
        });
    }

    /**
     * Delivers every event recorded before now, a file at a time, and emits the files written. Events
     * recorded meanwhile (the uploads' own among them) wait for the next run, so a run always ends.
     */
    public Uni<List<Delivered>> deliverAll() {
        OffsetDateTime cutoff = clock.instant().atOffset(ZoneOffset.UTC);
        return deliverFrom(cutoff, new ArrayList<>());
    }

    private Uni<List<Delivered>> deliverFrom(OffsetDateTime cutoff, List<Delivered> done) {
        return pool.withTransaction(conn -> deliverOne(conn, cutoff))
                .onFailure().invoke(e -> failures.increment())
                .chain(file -> {
                    if (file.isEmpty()) {
                        return Uni.createFrom().item(done);
                    }
                    done.add(file.get());
                    return deliverFrom(cutoff, done);
                });
    }

    /** One file in the caller's transaction: lock its events, upload, mark them delivered. */
    private Uni<Optional<Delivered>> deliverOne(SqlConnection conn, OffsetDateTime cutoff) {
        return conn.preparedQuery(OLDEST).execute(Tuple.of(cutoff, region)).chain(oldest -> {
            if (oldest.size() == 0) {
                return Uni.createFrom().item(Optional.empty());
            }
            Row first = oldest.iterator().next();
            String account = first.getString(0);
            String fileRegion = first.getString(1);
            return conn.preparedQuery(FILE).execute(Tuple.of(cutoff, account, region, fileRegion))
                    .map(LogDelivery::withinSize)
                    .chain(ids -> conn.preparedQuery(RECORDS).execute(Tuple.tuple().addArrayOfUUID(ids)).map(rows -> {
                        List<String> texts = new ArrayList<>(ids.length);
                        rows.forEach(r -> texts.add(r.getString(0)));
                        return texts;
                    }).chain(texts -> upload(account, fileRegion, texts))
                            .call(file -> conn.preparedQuery(MARK).execute(Tuple.tuple().addArrayOfUUID(ids)))
                            .invoke(file -> {
                                files.increment();
                                records.increment(file.records());
                            })
                            .map(Optional::of));
        });
    }

    /** The ids of the first events whose record text fits in one file (at least one). */
    private static UUID[] withinSize(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>();
        long bytes = 0;
        for (Row r : rows) {
            bytes += r.getInteger(1);
            if (!ids.isEmpty() && bytes > MAX_BYTES) {
                break;
            }
            ids.add(r.getUUID(0));
        }
        return ids.toArray(UUID[]::new);
    }

    /** Compresses off the event loop, then PUTs the file. */
    private Uni<Delivered> upload(String account, String fileRegion, List<String> texts) {
        Instant now = clock.instant();
        String key = LogFiles.key(config.prefix(), account, fileRegion, now, LogFiles.unique(random));
        return Uni.createFrom().completionStage(() -> vertx.<Body>executeBlocking(() -> {
            byte[] gz = LogFiles.gzip(texts);
            return new Body(gz, sha256Hex(gz));
        }, false).toCompletionStage())
                .chain(body -> uploader().put(config.bucket().get(), key, body.bytes(), body.sha256Hex()))
                .replaceWith(new Delivered(key, account, fileRegion, texts.size()));
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

    private record Body(byte[] bytes, String sha256Hex) {
    }

    private static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
