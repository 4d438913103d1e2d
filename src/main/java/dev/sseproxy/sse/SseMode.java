package dev.sseproxy.sse;

import java.util.Optional;

/** The server-side encryption modes, with their wire names. */
public enum SseMode {
    SSE_S3("AES256"), SSE_KMS("aws:kms"), DSSE_KMS("aws:kms:dsse"), SSE_C(null);

    private final String headerValue;

    SseMode(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The {@code x-amz-server-side-encryption} value; empty for SSE-C, which has none. */
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
