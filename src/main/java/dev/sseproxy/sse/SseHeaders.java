package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import java.util.Optional;

/**
 * The encryption a response reports (spec §2.1): the mode, the KMS key ARN, whether a bucket key
 * is in use, the SSE-C key MD5 and the user context as the client sent it (base64).
 */
public record SseHeaders(SseMode mode, Optional<String> kmsKeyArn, boolean bucketKey,
        Optional<String> customerKeyMd5, Optional<String> context) {

    public static SseHeaders none() {
        return new SseHeaders(null, Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    /** Without the context, which reads and the multipart part calls never echo. */
    public SseHeaders withoutContext() {
        return new SseHeaders(mode, kmsKeyArn, bucketKey, customerKeyMd5, Optional.empty());
    }
}
