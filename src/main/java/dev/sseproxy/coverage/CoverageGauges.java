package dev.sseproxy.coverage;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The snapshot this node serves, as Prometheus gauges (names in the package documentation). They are
 * set when a snapshot is made or loaded and never computed at scrape time; the rows of a bucket that
 * is no longer in the snapshot are removed.
 */
@ApplicationScoped
public class CoverageGauges {
    private final MultiGauge objects;
    private final MultiGauge bytes;
    private final MultiGauge keyObjects;
    private final MultiGauge keyBytes;
    private volatile double scannedAt = Double.NaN;
    private volatile double duration = Double.NaN;

    public CoverageGauges(MeterRegistry meters) {
        objects = MultiGauge.builder("sse.proxy.coverage.objects")
                .description("Objects of the bucket with this encryption status, at the last coverage scan").register(meters);
        bytes = MultiGauge.builder("sse.proxy.coverage.bytes")
                .description("Bytes (plaintext sizes) of the bucket with this encryption status, at the last coverage scan")
                .register(meters);
        keyObjects = MultiGauge.builder("sse.proxy.coverage.kms.key.objects")
                .description("Objects of the bucket under this KMS key (with or without a bucket key), at the last coverage scan")
                .register(meters);
        keyBytes = MultiGauge.builder("sse.proxy.coverage.kms.key.bytes")
                .description("Bytes of the bucket under this KMS key (with or without a bucket key), at the last coverage scan")
                .register(meters);
        Gauge.builder("sse.proxy.coverage.scan.timestamp.seconds", this, g -> g.scannedAt)
                .description("When the coverage scan this node serves ended (Unix time; NaN before the first)")
                .register(meters);
        Gauge.builder("sse.proxy.coverage.scan.duration.seconds", this, g -> g.duration)
                .description("How long the coverage scan this node serves took").register(meters);
    }

    /** Shows this snapshot, replacing the previous one's rows. */
    public synchronized void show(CoverageSnapshot s) {
        List<MultiGauge.Row<?>> obj = new ArrayList<>();
        List<MultiGauge.Row<?>> byt = new ArrayList<>();
        List<MultiGauge.Row<?>> kObj = new ArrayList<>();
        List<MultiGauge.Row<?>> kByt = new ArrayList<>();
        for (BucketCoverage b : s.buckets()) {
            b.tally().byStatus().forEach((status, c) -> {
                Tags tags = Tags.of("bucket", b.bucket(), "status", status.wire());
                obj.add(MultiGauge.Row.of(tags, c.objects()));
                byt.add(MultiGauge.Row.of(tags, c.bytes()));
            });
            for (Tally.KeyUsage k : b.tally().byKmsKey()) {
                Tags tags = Tags.of("bucket", b.bucket(), "key_arn", k.keyArn(), "bucket_key", Boolean.toString(k.bucketKey()));
                kObj.add(MultiGauge.Row.of(tags, k.objects()));
                kByt.add(MultiGauge.Row.of(tags, k.bytes()));
            }
        }
        objects.register(obj, true);
        bytes.register(byt, true);
        keyObjects.register(kObj, true);
        keyBytes.register(kByt, true);
        scannedAt = s.scannedAt().toEpochMilli() / 1000.0;
        duration = s.durationMillis() / 1000.0;
    }
}
