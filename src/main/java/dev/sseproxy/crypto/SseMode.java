package dev.sseproxy.crypto;

import java.util.Optional;

/**
 * The server-side encryption of an object, as S3 reports it and as a write asks for it: the one
 * enum of the SSE modes (the decision of {@code dev.sseproxy.sse}, the bucket default, the
 * envelope, which stores the names, the inventory and the response headers all use it), with the
 * {@code x-amz-server-side-encryption} wire names.
 */
public enum SseMode {
    /** Proxy-managed keys ({@code AES256}). */
    SSE_S3("AES256"),
    /** A KMS key ({@code aws:kms}). */
    SSE_KMS("aws:kms"),
    /** A KMS key, reported as dual-layer ({@code aws:kms:dsse}); stored with the same single AES-GCM layer as SSE_KMS. */
    DSSE_KMS("aws:kms:dsse"),
    /** A customer-provided key (no {@code x-amz-server-side-encryption} value). */
    SSE_C(null),
    /** No server-side encryption (a legacy plaintext object; never the mode of a write). */
    NONE(null);

    private final String headerValue;

    SseMode(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The {@code x-amz-server-side-encryption} value; empty for SSE-C and NONE, which have none. */
    public Optional<String> headerValue() {
        return Optional.ofNullable(headerValue);
    }

    public boolean isKms() {
        return this == SSE_KMS || this == DSSE_KMS;
    }

    /** The mode named by an {@code x-amz-server-side-encryption} value (case-sensitive, as S3). */
    public static Optional<SseMode> fromHeader(String value) {
        for (SseMode m : values()) {
            if (m.headerValue != null && m.headerValue.equals(value)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
