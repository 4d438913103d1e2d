package dev.sseproxy.kms;

import java.util.Arrays;
import java.util.Objects;

/**
 * Secret bytes returned by the KMS (a data key, or what {@code decrypt} recovered). The holder owns
 * its array: {@link #close()} overwrites it with zeros, and it prints as {@code [redacted]}.
 * Equality is identity, so secrets are never compared by content by accident.
 */
public final class Plaintext implements AutoCloseable {
    private final byte[] bytes;
    private volatile boolean closed;

    private Plaintext(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes ownership of {@code bytes} (no copy): the caller must not keep using the array. */
    public static Plaintext wrap(byte[] bytes) {
        return new Plaintext(Objects.requireNonNull(bytes, "bytes"));
    }

    /** A holder over a copy of {@code bytes}. */
    public static Plaintext copyOf(byte[] bytes) {
        return new Plaintext(bytes.clone());
    }

    /**
     * The live array (no copy, so no stray copies are left behind); valid until {@link #close()}.
     *
     * @throws IllegalStateException once closed
     */
    public byte[] bytes() {
        if (closed) {
            throw new IllegalStateException("plaintext already wiped");
        }
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Overwrites the bytes with zeros. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "[redacted]";
    }
}
