package dev.sseproxy.kms;

import java.util.Objects;

/**
 * A ciphertext produced by the KMS and the key version that produced it. The bytes are opaque to
 * callers (Vault's {@code vault:v<N>:<base64>}, or the local KMS's {@code local:v<N>:<base64>}, as
 * UTF-8); store them as they are and hand them back to {@code decrypt} or {@code rewrap}.
 */
public record Wrapped(byte[] ciphertext, int keyVersion) {
    public Wrapped {
        Objects.requireNonNull(ciphertext, "ciphertext");
        if (keyVersion < 1) {
            throw new IllegalArgumentException("key versions start at 1");
        }
    }

    @Override
    public String toString() {
        return "Wrapped[ciphertext=" + ciphertext.length + " bytes, keyVersion=" + keyVersion + "]";
    }
}
