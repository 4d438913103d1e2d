package dev.sseproxy.crypto;

import java.nio.ByteBuffer;

/**
 * The frame layout of the package specification ("Body: frames"): lengths, nonces and associated
 * data. Pure functions only; {@link FrameEncryptor} and {@link FrameDecryptor} do the encryption.
 */
public final class FrameFormat {
    /** Plaintext bytes per frame (64 KiB); only a part's final frame may be shorter. */
    public static final int FRAME_SIZE = 65_536;
    /** GCM tag bytes at the end of every frame. */
    public static final int TAG_SIZE = 16;
    /** Stored bytes of every non-final frame. */
    public static final int FRAME_CIPHERTEXT_SIZE = FRAME_SIZE + TAG_SIZE;
    /** The version byte that opens every frame's associated data. */
    public static final byte VERSION = 1;
    /** Algorithm id recorded in the envelope for this format. */
    public static final String ALGORITHM_ID = "AES256-GCM-64K";
    /** Largest plaintext length accepted, so that lengths never overflow. */
    public static final long MAX_PLAINTEXT_LENGTH = 1L << 60;
    static final int NONCE_SIZE = 12;
    static final byte FINAL = 1;
    static final byte NOT_FINAL = 0;

    private FrameFormat() {
    }

    /** Stored length of a part of {@code plaintextLength} bytes: {@code n + 16 * frameCount(n)}. */
    public static long ciphertextLength(long plaintextLength) {
        return plaintextLength + (long) TAG_SIZE * frameCount(plaintextLength);
    }

    /**
     * Plaintext length of a part stored in {@code ciphertextLength} bytes; the exact inverse of
     * {@link #ciphertextLength(long)}.
     *
     * @throws CryptoException.Tampered for a length no plaintext encrypts to (truncated or extended)
     */
    public static long plaintextLength(long ciphertextLength) {
        if (ciphertextLength == TAG_SIZE) {
            return 0;
        }
        if (ciphertextLength <= TAG_SIZE) {
            throw new CryptoException.Tampered("ciphertext length " + ciphertextLength + " is not a valid frame sequence");
        }
        long frames = ceilDiv(ciphertextLength, FRAME_CIPHERTEXT_SIZE);
        long last = ciphertextLength - (frames - 1) * FRAME_CIPHERTEXT_SIZE;
        if (last <= TAG_SIZE) {
            throw new CryptoException.Tampered("ciphertext length " + ciphertextLength + " ends in a frame with no plaintext");
        }
        return ciphertextLength - TAG_SIZE * frames;
    }

    /** Frames in a part of {@code plaintextLength} bytes: {@code max(1, ceil(n / 65536))}. */
    public static long frameCount(long plaintextLength) {
        checkLength(plaintextLength);
        return Math.max(1, ceilDiv(plaintextLength, FRAME_SIZE));
    }

    /** Index of the final frame of a part of {@code plaintextLength} bytes. */
    public static long finalFrameIndex(long plaintextLength) {
        return frameCount(plaintextLength) - 1;
    }

    /** Plaintext bytes in frame {@code index} of a part of {@code plaintextLength} bytes. */
    public static int framePlaintextSize(long plaintextLength, long index) {
        long finalIndex = finalFrameIndex(plaintextLength);
        if (index < 0 || index > finalIndex) {
            throw new IllegalArgumentException("frame " + index + " outside a part of " + plaintextLength + " bytes");
        }
        return index < finalIndex ? FRAME_SIZE : (int) (plaintextLength - finalIndex * FRAME_SIZE);
    }

    /** {@code BE32(partNumber) || BE64(frameIndex)}. */
    static byte[] nonce(int partNumber, long frameIndex) {
        return ByteBuffer.allocate(NONCE_SIZE).putInt(partNumber).putLong(frameIndex).array();
    }

    /** {@code 0x01 || flags || identity}, flags {@code 0x01} for the final frame. */
    static byte[] associatedData(ObjectIdentity identity, boolean finalFrame) {
        byte[] id = identity.encode();
        return ByteBuffer.allocate(2 + id.length).put(VERSION).put(finalFrame ? FINAL : NOT_FINAL).put(id).array();
    }

    static void checkPartNumber(int partNumber) {
        if (partNumber < 1) {
            throw new IllegalArgumentException("part number must be 1 or more, was " + partNumber);
        }
    }

    static void checkLength(long plaintextLength) {
        if (plaintextLength < 0 || plaintextLength > MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("plaintext length out of range: " + plaintextLength);
        }
    }

    private static long ceilDiv(long a, long b) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
