package dev.sseproxy.coverage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of a coverage scan: every bucket of the catalog (in name order) and the totals.
 *
 * @param id             the stored row's id (0 before it is stored)
 * @param scannedAt      when the scan that made this snapshot ended
 * @param durationMillis how long that scan took
 * @param node           the node that ran it
 */
public record CoverageSnapshot(long id, Instant scannedAt, long durationMillis, String node,
        List<BucketCoverage> buckets, Tally totals) {
    public CoverageSnapshot {
        buckets = List.copyOf(buckets);
    }

    /** A snapshot of these buckets, totals computed. */
    public static CoverageSnapshot of(Instant scannedAt, long durationMillis, String node, List<BucketCoverage> buckets) {
        return new CoverageSnapshot(0, scannedAt, durationMillis, node, buckets,
                Tally.sum(buckets.stream().map(BucketCoverage::tally).toList()));
    }

    public CoverageSnapshot withId(long id) {
        return new CoverageSnapshot(id, scannedAt, durationMillis, node, buckets, totals);
    }

    public Optional<BucketCoverage> bucket(String name) {
        return buckets.stream().filter(b -> b.bucket().equals(name)).findFirst();
    }
}
