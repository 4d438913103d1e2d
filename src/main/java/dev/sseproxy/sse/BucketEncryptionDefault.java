package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import java.util.Set;

/**
 * A bucket's default encryption as stored: algorithm, KMS key id exactly as configured (nullable),
 * bucket-key flag and the blocked encryption types ({@code NONE} / {@code SSE-C}).
 */
public record BucketEncryptionDefault(SseMode algorithm, String kmsMasterKeyId, boolean bucketKeyEnabled,
        Set<String> blockedEncryptionTypes) {

    public static final String BLOCK_SSE_C = "SSE-C";

    /** What a never-configured bucket uses: SSE-S3, no bucket key, with the given block list. */
    public static BucketEncryptionDefault sseS3(Set<String> blocked) {
        return new BucketEncryptionDefault(SseMode.SSE_S3, null, false, Set.copyOf(blocked));
    }

    public boolean blocksSseC() {
        return blockedEncryptionTypes.contains(BLOCK_SSE_C);
    }
}
