package dev.sseproxy.sse;

import dev.sseproxy.crypto.Envelope;
import java.util.Optional;

/**
 * What {@link SseService#write} stored, as the client is told: the quoted ETag, the SSE headers and
 * the checksum; and the backend's ETag of the object written when its answer said it (null after a
 * restamp, whose answer is a document); and the version id the backend gave the object (null:
 * the bucket was never versioned; {@code null} the string: the null version of a suspended bucket).
 */
public record Written(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum, String backendEtag,
        String versionId) {
    public Written(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum) {
        this(etag, sse, checksum, null, null);
    }

    public Written(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum, String backendEtag) {
        this(etag, sse, checksum, backendEtag, null);
    }
}
