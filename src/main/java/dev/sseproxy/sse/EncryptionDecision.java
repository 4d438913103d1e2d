package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import java.util.Map;
import java.util.Optional;

/**
 * How a new object is to be encrypted. {@code kmsKeyId} is the key as requested (id, ARN, alias or
 * alias ARN; empty = the account's {@code aws/s3} key) and is resolved by the key registry;
 * {@code context} is the user encryption context (from {@code x-amz-server-side-encryption-context});
 * {@code fromBucketDefault} says whether the bucket default (not the request) chose the mode — the
 * audit trail's {@code SSEApplied} ({@code Default_SSE_S3} vs {@code SSE_S3}).
 */
public record EncryptionDecision(SseMode mode, Optional<String> kmsKeyId, boolean bucketKey,
        Map<String, String> context, Optional<CustomerKey> customerKey, boolean fromBucketDefault) {
    /**
     * CloudTrail's {@code SSEApplied} of the write (the audit package documentation): {@code SSE_S3},
     * {@code SSE_KMS}, {@code SSE_KMS_DSSE} or {@code SSE_C}, prefixed {@code Default_} when the bucket
     * default chose it.
     */
    public String sseApplied() {
        String name = switch (mode) {
            case SSE_S3 -> "SSE_S3";
            case SSE_KMS -> "SSE_KMS";
            case DSSE_KMS -> "SSE_KMS_DSSE";
            case SSE_C -> "SSE_C";
            case NONE -> null;
        };
        return name == null ? null : fromBucketDefault ? "Default_" + name : name;
    }
}
