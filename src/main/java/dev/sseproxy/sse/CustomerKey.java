package dev.sseproxy.sse;

import java.util.Arrays;
import java.util.Base64;

/**
 * An SSE-C key as the client sent it: 32 raw bytes and the base64 MD5 it claimed. Wipes on close;
 * never printed.
 */
public final class CustomerKey implements AutoCloseable {
    private final byte[] key;
    private final String md5Base64;

    CustomerKey(byte[] key, String md5Base64) {
        this.key = key;
        this.md5Base64 = md5Base64;
    }

    /** A copy of the 32 key bytes; the caller wipes it. */
    public byte[] keyBytes() {
        return key.clone();
    }

    /** The base64 MD5 of the key, echoed in responses as {@code -customer-key-MD5}. */
    public String md5Base64() {
        return md5Base64;
    }

    @Override
    public void close() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "CustomerKey[redacted, md5=" + md5Base64 + "]";
    }

    static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
