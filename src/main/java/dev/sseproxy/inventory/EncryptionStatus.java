package dev.sseproxy.inventory;

import dev.sseproxy.crypto.SseMode;

/**
 * An object's encryption as S3 Inventory's {@code EncryptionStatus} field and S3 Batch Operations'
 * {@code MatchAnyObjectEncryption} filter name it.
 */
public enum EncryptionStatus {
    NOT_SSE("NOT-SSE"),
    SSE_S3("SSE-S3"),
    SSE_KMS("SSE-KMS"),
    SSE_C("SSE-C"),
    DSSE_KMS("DSSE-KMS");

    private final String wire;

    EncryptionStatus(String wire) {
        this.wire = wire;
    }

    /** The value in inventory reports and coverage JSON ({@code NOT-SSE}, {@code SSE-KMS}, ...). */
    public String wire() {
        return wire;
    }

    /** Whether the object is encrypted at rest by the proxy (anything but NOT-SSE). */
    public boolean encrypted() {
        return this != NOT_SSE;
    }

    /** The status of an envelope's mode; {@link SseMode#NONE} is NOT-SSE. */
    public static EncryptionStatus of(SseMode mode) {
        return switch (mode) {
            case SSE_S3 -> SSE_S3;
            case SSE_KMS -> SSE_KMS;
            case DSSE_KMS -> DSSE_KMS;
            case SSE_C -> SSE_C;
            case NONE -> NOT_SSE;
        };
    }

    /** The status named {@code wire}, case-sensitive as S3 writes it; empty when none is. */
    public static java.util.Optional<EncryptionStatus> fromWire(String wire) {
        for (EncryptionStatus s : values()) {
            if (s.wire.equals(wire)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
