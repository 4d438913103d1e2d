package dev.sseproxy.kms;

import java.util.Objects;

/**
 * A fresh 256-bit data key from {@link KmsClient#generateDataKey}: its plaintext (wiped by
 * {@link #close()}), its ciphertext under the KMS key (opaque bytes to store with the object) and
 * the KMS key version that wrapped it.
 */
public record DataKey(Plaintext plaintext, byte[] ciphertext, int keyVersion) implements AutoCloseable {
    /** Length of every data key, in bytes. */
    public static final int LENGTH = 32;

    public DataKey {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(ciphertext, "ciphertext");
        if (plaintext.length() != LENGTH) {
            throw new IllegalArgumentException("a data key is " + LENGTH + " bytes");
        }
        if (keyVersion < 1) {
            throw new IllegalArgumentException("key versions start at 1");
        }
    }

    /** The wrapped form alone, to store. */
    public Wrapped wrapped() {
        return new Wrapped(ciphertext, keyVersion);
    }

    @Override
    public void close() {
        plaintext.close();
    }

    @Override
    public String toString() {
        return "DataKey[plaintext=[redacted], ciphertext=" + ciphertext.length + " bytes, keyVersion=" + keyVersion + "]";
    }
}
