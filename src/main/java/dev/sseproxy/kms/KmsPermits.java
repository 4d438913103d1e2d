package dev.sseproxy.kms;

import io.smallrye.mutiny.Uni;

/**
 * Where {@link RateLimitedKmsClient} gets a permit for each KMS call: the node-local
 * {@link KmsRateLimiter}, or the cluster-wide {@link SharedKmsRateLimiter} that falls back to it.
 */
public interface KmsPermits {
    /**
     * One permit for a call on behalf of {@code accountId} (null: the proxy's own call): the
     * nanoseconds to wait before making the call (0: at once), or {@link KmsRateLimiter#REJECTED}, in
     * which case nothing was taken.
     */
    Uni<Long> acquire(String accountId);
}
