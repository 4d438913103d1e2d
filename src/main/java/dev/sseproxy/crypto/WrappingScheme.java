package dev.sseproxy.crypto;

/** How an object key is wrapped; names are stored in envelopes. */
public enum WrappingScheme {
    /** Under a bucket key (SSE-S3, or SSE-KMS with S3 Bucket Keys); the envelope carries the wrapped bucket key. */
    BUCKET_KEY,
    /** Under a per-object KMS data key (SSE-KMS without a bucket key). */
    KMS_DATA_KEY,
    /** Under a key derived from the customer's SSE-C key. */
    SSE_C_DERIVED
}
