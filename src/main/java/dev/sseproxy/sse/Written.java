package dev.sseproxy.sse;

import dev.sseproxy.crypto.Envelope;
import java.util.Optional;

/**
 * What {@link SseService#write} stored, as the client is told: the quoted ETag, the SSE headers and
 * the checksum; and the backend's ETag of the object written when its answer said it (null after a
 * restamp, whose answer is a document).
 */
public record Written(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum, String backendEtag) {
    public Written(String etag, SseHeaders sse, Optional<Envelope.Checksum> checksum) {
        this(etag, sse, checksum, null);
    }
}
