package dev.sseproxy.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key: an object key, a bucket key or a key-encryption key. Wipes its bytes on
 * {@link #close()}, prints as {@code [redacted]} and never appears in an exception message.
 * Wiping is best effort: the JDK's cipher objects keep their own expanded copy until collected.
 */
public final class KeyMaterial implements AutoCloseable {
    /** Key length in bytes. */
    public static final int LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    private volatile boolean closed;

    private KeyMaterial(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh random key from a {@link SecureRandom}. */
    public static KeyMaterial random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new KeyMaterial(b);
    }

    /** A key holding a copy of {@code bytes} (32 bytes); the caller still owns and should wipe its array. */
    public static KeyMaterial of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("key material must be " + LENGTH + " bytes");
        }
        return new KeyMaterial(bytes.clone());
    }

    /** A copy of the key bytes; the caller must wipe it. */
    public byte[] copyBytes() {
        checkOpen();
        return bytes.clone();
    }

    /** The key as a JCE key for AES; package-private so key bytes leave only through {@link #copyBytes()}. */
    SecretKeySpec secretKey() {
        checkOpen();
        return new SecretKeySpec(bytes, "AES");
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /** Overwrites the key bytes with zeros; later use throws {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "[redacted]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("key material already closed");
        }
    }
}
