package dev.sseproxy.catalog;

import dev.sseproxy.crypto.SseMode;
import java.util.List;
import java.util.Optional;

/**
 * A configuration as GetBucketEncryption echoes it: the algorithm (null when the rule carried only a
 * block list, or after DeleteBucketEncryption), the KMSMasterKeyID exactly as sent (null when absent),
 * the bucket-key flag, and the blocked encryption types ({@code NONE} / {@code SSE-C}) in the order
 * sent, empty when never set.
 */
public record StoredConfig(SseMode algorithm, String kmsMasterKeyId, boolean bucketKeyEnabled,
        Optional<List<String>> blockedEncryptionTypes) {
    public StoredConfig {
        blockedEncryptionTypes = blockedEncryptionTypes.map(List::copyOf);
    }
}
