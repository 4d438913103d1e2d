package dev.sseproxy.api;

import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids: 16 upper-case hex characters like S3's, and an opaque x-amz-id-2 derived from them. */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        return HexFormat.of().withUpperCase().formatHex(longBytes(ThreadLocalRandom.current().nextLong()));
    }

    static String hostId(String requestId) {
        return Base64.getEncoder().encodeToString(("sse-proxy/" + requestId).getBytes());
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }
}
