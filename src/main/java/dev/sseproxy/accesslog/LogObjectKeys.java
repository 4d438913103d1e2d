package dev.sseproxy.accesslog;

import dev.sseproxy.catalog.BucketLogging;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** The keys of log objects, as S3 names them (package documentation, "Log object keys"). */
final class LogObjectKeys {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter PARTITION = DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private LogObjectKeys() {
    }

    /**
     * The key of a log object of {@code sourceBucket} (owned by {@code sourceAccount}, in {@code region})
     * delivered at {@code delivered}, whose first record is of {@code firstEvent}.
     */
    static String key(BucketLogging c, String sourceAccount, String region, String sourceBucket, Instant delivered,
            Instant firstEvent, String unique) {
        String name = STAMP.format(delivered) + "-" + unique;
        if (!c.partitioned()) {
            return c.targetPrefix() + name;
        }
        Instant partition = c.deliveryTime() ? delivered : firstEvent;
        return c.targetPrefix() + sourceAccount + "/" + region + "/" + sourceBucket + "/" + PARTITION.format(partition)
                + "/" + STAMP.format(partition) + "-" + unique;
    }

    /** 16 upper-case hex digits. */
    static String unique(RandomGenerator random) {
        return HexFormat.of().withUpperCase().toHexDigits(random.nextLong());
    }
}
