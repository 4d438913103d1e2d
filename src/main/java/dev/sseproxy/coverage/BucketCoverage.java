package dev.sseproxy.coverage;

import java.time.Instant;
import java.util.Optional;

/**
 * One bucket of a coverage snapshot.
 *
 * @param account   the owning account (the catalog's)
 * @param scannedAt when this bucket's scan ended (a scan of one bucket refreshes only its entry)
 * @param error     why the bucket could not be listed at the backend (its tally is then empty)
 */
public record BucketCoverage(String bucket, String account, Instant scannedAt, Tally tally, Optional<String> error) {
}
