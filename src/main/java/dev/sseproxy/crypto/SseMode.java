package dev.sseproxy.crypto;

/** The server-side encryption an object was stored with, as S3 reports it; names are stored in envelopes. */
public enum SseMode {
    /** Proxy-managed keys (AES256). */
    SSE_S3,
    /** A KMS key ({@code aws:kms}). */
    SSE_KMS,
    /** A KMS key, reported as dual-layer ({@code aws:kms:dsse}); stored with the same single AES-GCM layer as SSE_KMS. */
    DSSE_KMS,
    /** A customer-provided key. */
    SSE_C,
    /** No server-side encryption. */
    NONE
}
