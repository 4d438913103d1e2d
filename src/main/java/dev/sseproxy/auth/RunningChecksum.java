package dev.sseproxy.auth;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * An incrementally computed checksum of one of the {@link ChecksumAlgorithm}s. Not thread-safe.
 */
public interface RunningChecksum {

    /** Adds the remaining bytes of {@code data} without moving its position or limit. */
    void update(ByteBuffer data);

    /** Adds {@code length} bytes of {@code data} starting at {@code offset}. */
    void update(byte[] data, int offset, int length);

    /** The big-endian digest of everything added so far. */
    byte[] digest();

    /** Base64 of {@link #digest()}, the wire form of {@code x-amz-checksum-*} values. */
    default String base64() {
        return Base64.getEncoder().encodeToString(digest());
    }
}
