package dev.sseproxy.inventory;

import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.InternalWrites;
import dev.sseproxy.crypto.SseMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Produces one inventory report (package documentation, "Reports"): scans the source bucket, writes
 * gzipped CSV data files as they fill, then {@code manifest.json}, {@code manifest.checksum} and the
 * Hive {@code symlink.txt}, each through {@link InternalWrites#putServiceObject} as the S3 service
 * principal (so the destination bucket's policy decides, and every object is encrypted), and records
 * the outcome on the configuration.
 */
@ApplicationScoped
public class InventoryReports {
    private static final Logger LOG = Logger.getLogger(InventoryReports.class);
    public static final String SERVICE = "s3.amazonaws.com";
    public static final String DELIVERED = "DELIVERED";
    public static final String FAILED = "FAILED";

    /** A delivered report: its manifest key, data files and object count. */
    public record Report(String bucket, String id, String destinationBucket, String manifestKey, int files, long objects) {
    }

    private final ObjectScan scan;
    private final BucketCatalog buckets;
    private final InventoryConfigurations configurations;
    private final Instance<InternalWrites> writes;
    private final InventoryConfig settings;
    private final Clock clock;
    private final MeterRegistry meters;

    public InventoryReports(ObjectScan scan, BucketCatalog buckets, InventoryConfigurations configurations,
            Instance<InternalWrites> writes, InventoryConfig settings, MeterRegistry meters) {
        this.scan = scan;
        this.buckets = buckets;
        this.configurations = configurations;
        this.writes = writes;
        this.settings = settings;
        this.meters = meters;
        this.clock = Clock.systemUTC();
    }

    /**
     * Runs the report of configuration {@code id} of {@code bucket} now and records its outcome (a
     * failure too, then fails with it: AccessDenied when the destination refused the delivery).
     */
    public Uni<Report> run(String bucket, String id) {
        return configurations.find(bucket, id).chain(e -> {
            if (e.isEmpty()) {
                return Uni.createFrom().failure(S3Exception.of(S3ErrorCode.NO_SUCH_CONFIGURATION));
            }
            return run(bucket, e.get().config());
        });
    }

    public Uni<Report> run(String bucket, InventoryConfiguration c) {
        Instant started = clock.instant();
        return deliver(bucket, c, started)
                .call(r -> configurations.recordRun(bucket, c.id(), started, DELIVERED, null, r.manifestKey()))
                .invoke(r -> outcome("delivered", "none").increment())
                .onFailure().call(err -> {
                    String reason = err instanceof S3Exception s3 ? s3.code().code() : "InternalError";
                    outcome("failed", reason).increment();
                    LOG.warnf("inventory %s of bucket %s: delivery to %s failed (%s: %s); retried at the next check", c.id(),
                            bucket, c.destinationBucket(), reason, err.getMessage());
                    return configurations.recordRun(bucket, c.id(), started, FAILED, reason + ": " + err.getMessage(), null)
                            .onFailure().recoverWithNull();
                });
    }

    private Counter outcome(String outcome, String reason) {
        return Counter.builder("sse.proxy.inventory.reports").tag("outcome", outcome).tag("reason", reason)
                .description("inventory report runs, by outcome (failed: the S3 error code that stopped the delivery)")
                .register(meters);
    }

    private Uni<Report> deliver(String bucket, InventoryConfiguration c, Instant started) {
        if (!writes.isResolvable()) {
            return Uni.createFrom().failure(new IllegalStateException("no service-principal writer is deployed"));
        }
        InternalWrites w = writes.get();
        return buckets.find(bucket).chain(src -> buckets.find(c.destinationBucket()).chain(dst -> {
            if (src.isEmpty()) {
                return Uni.createFrom().failure(S3Exception.noSuchBucket(bucket));
            }
            if (dst.isEmpty()) {
                return Uni.createFrom().failure(S3Exception.noSuchBucket(c.destinationBucket()));
            }
            if (c.destinationAccount().isPresent() && !c.destinationAccount().get().equals(dst.get().ownerId())) {
                // S3 checks the destination's owner when the configuration names one
                return Uni.createFrom().failure(S3Exception.accessDenied());
            }
            Run run = new Run(w, bucket, src.get().ownerId(), c, started);
            return scan.pages(bucket, c.filterPrefix().isEmpty() ? null : c.filterPrefix())
                    .onItem().transformToUniAndConcatenate(run::page)
                    .collect().last()
                    .chain(v -> run.finish());
        }));
    }

    /** One report being written: the open data file, and the files delivered so far. */
    private final class Run {
        private final InternalWrites w;
        private final String bucket;
        private final String sourceAccount;
        private final InventoryConfiguration c;
        private final Instant started;
        private final InventoryCsv csv;
        private final DataFileWriter file;
        private final List<InventoryManifest.DataFile> files = new ArrayList<>();
        private long objects;

        Run(InternalWrites w, String bucket, String sourceAccount, InventoryConfiguration c, Instant started) {
            this.w = w;
            this.bucket = bucket;
            this.sourceAccount = sourceAccount;
            this.c = c;
            this.started = started;
            this.csv = new InventoryCsv(c);
            this.file = new DataFileWriter(settings.maxRowsPerFile(), settings.maxFileSize().asLongValue());
        }

        /** Adds a page's rows; delivers each data file as it fills. */
        Uni<Void> page(List<ScannedObject> page) {
            List<byte[]> full = new ArrayList<>();
            for (ScannedObject o : page) {
                file.add(csv.row(o));
                objects++;
                if (file.full()) {
                    full.add(file.cut());
                }
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (byte[] f : full) {
                chain = chain.chain(() -> dataFile(f));
            }
            return chain;
        }

        private Uni<Void> dataFile(byte[] gz) {
            String key = InventoryManifest.dataKey(c, bucket, UUID.randomUUID().toString());
            return put(key, gz, "application/x-gzip")
                    .invoke(() -> files.add(new InventoryManifest.DataFile(key, gz.length, InventoryManifest.md5Hex(gz))));
        }

        Uni<Report> finish() {
            Uni<Void> last = file.hasRows() ? dataFile(file.cut()) : Uni.createFrom().voidItem();
            return last.chain(() -> {
                String folder = InventoryManifest.folder(c, bucket, started);
                byte[] manifest = InventoryManifest.json(c, bucket, clock.instant(), csv.schema(), files);
                byte[] checksum = InventoryManifest.md5Hex(manifest).getBytes(StandardCharsets.UTF_8);
                return put(folder + "manifest.json", manifest, "application/json")
                        .chain(() -> put(folder + "manifest.checksum", checksum, "text/plain"))
                        .chain(() -> put(InventoryManifest.symlinkKey(c, bucket, started),
                                InventoryManifest.symlink(c.destinationBucket(), files), "text/plain"))
                        .map(v -> new Report(bucket, c.id(), c.destinationBucket(), folder + "manifest.json", files.size(),
                                objects));
            });
        }

        private Uni<Void> put(String key, byte[] body, String contentType) {
            return w.putServiceObject(SERVICE, sourceAccount, "arn:aws:s3:::" + bucket, false, c.destinationBucket(), key,
                    body, contentType, encryption(c)).replaceWithVoid();
        }
    }

    /** The configuration's report encryption as a write asks for it (none: the destination's default). */
    static InternalWrites.Encryption encryption(InventoryConfiguration c) {
        if (c.encryption().isEmpty()) {
            return InternalWrites.Encryption.bucketDefault();
        }
        return switch (c.encryption().get()) {
            case SSE_S3 -> new InternalWrites.Encryption(Optional.of(SseMode.SSE_S3), Optional.empty(), Optional.empty());
            case SSE_KMS -> new InternalWrites.Encryption(Optional.of(SseMode.SSE_KMS), c.kmsKeyId(), Optional.empty());
        };
    }
}
