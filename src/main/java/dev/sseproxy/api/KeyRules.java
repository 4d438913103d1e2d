package dev.sseproxy.api;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import java.nio.charset.StandardCharsets;

/** Object key rules: at most 1,024 UTF-8 bytes. */
final class KeyRules {
    static final int MAX_KEY_BYTES = 1024;

    private KeyRules() {
    }

    static void check(String key) {
        int n = key.getBytes(StandardCharsets.UTF_8).length;
        if (n > MAX_KEY_BYTES) {
            throw S3Exception.of(S3ErrorCode.KEY_TOO_LONG).withDetail("Size", Integer.toString(n))
                    .withDetail("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES));
        }
    }
}
