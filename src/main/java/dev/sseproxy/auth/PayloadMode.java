package dev.sseproxy.auth;

import java.util.Optional;

/**
 * How the request body is protected, from {@code x-amz-content-sha256} (spec section 9.1).
 */
public enum PayloadMode {
    /** {@code UNSIGNED-PAYLOAD}: plain body, not signed. */
    UNSIGNED("UNSIGNED-PAYLOAD"),
    /** A hex SHA-256 of the plain body, signed. */
    SIGNED(null),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: aws-chunked, every chunk signed. */
    STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: signed chunks and a signed trailer. */
    STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: unsigned chunks and an unsigned trailer. */
    STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER");

    private final String marker;

    PayloadMode(String marker) {
        this.marker = marker;
    }

    /** The literal {@code x-amz-content-sha256} value, empty for {@link #SIGNED}. */
    public Optional<String> marker() {
        return Optional.ofNullable(marker);
    }

    /** True when the body uses aws-chunked framing. */
    public boolean isStreaming() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
    }

    /** True when every chunk carries a signature to verify. */
    public boolean hasChunkSignatures() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
    }

    /** True when a trailer follows the final chunk. */
    public boolean hasTrailer() {
        return this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
    }

    /**
     * Parses an {@code x-amz-content-sha256} value.
     *
     * @throws AuthException UNSUPPORTED_ALGORITHM for the SigV4a (ECDSA) markers,
     *                       INVALID_CONTENT_SHA256 for anything else unknown
     */
    public static PayloadMode parse(String value) {
        for (PayloadMode mode : values()) {
            if (mode.marker != null && mode.marker.equals(value)) {
                return mode;
            }
        }
        if (value.startsWith("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")) {
            throw new AuthException(AuthException.Kind.UNSUPPORTED_ALGORITHM);
        }
        if (isSha256Hex(value)) {
            return SIGNED;
        }
        throw new AuthException(AuthException.Kind.INVALID_CONTENT_SHA256);
    }

    static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (SigV4.hexDigit(value.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
