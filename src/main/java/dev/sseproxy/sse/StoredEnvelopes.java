package dev.sseproxy.sse;

import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendReply;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.backend.S3Paths;
import dev.sseproxy.crypto.Envelope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Envelopes as the backend stores them: read from an answer's headers, and rewritten in place. */
public final class StoredEnvelopes {
    /** The entity headers a stored object keeps (and a metadata-replacing copy must repeat). */
    public static final List<String> ENTITY = List.of("content-type", "cache-control", "content-disposition",
            "content-encoding", "content-language", "expires");

    private StoredEnvelopes() {
    }

    /** The envelope in a backend answer's headers; empty for a legacy (plaintext) object. */
    public static Optional<Envelope> fromHeaders(MultiMap backendHeaders) {
        Map<String, String> meta = new HashMap<>();
        backendHeaders.forEach(e -> {
            String n = e.getKey().toLowerCase(Locale.ROOT);
            if (n.startsWith(Envelope.PREFIX)) {
                meta.put(n, e.getValue());
            }
        });
        return meta.isEmpty() ? Optional.empty() : Envelope.fromMetadata(meta);
    }

    /**
     * Rewrites the envelope of a stored object without touching its data: a metadata-only copy of
     * the object onto itself, guarded by its backend ETag so a concurrent overwrite is never
     * stamped with this envelope. {@code stored} are the object's other headers (entity headers and
     * user metadata), which a REPLACE copy must repeat.
     */
    public static Uni<BackendReply> restamp(ObjectStore store, String bucket, String key, String backendEtag,
            MultiMap stored, Map<String, String> envelope) {
        BackendCall call = BackendCall.of("PUT", bucket, key)
                .header("x-amz-copy-source", "/" + bucket + "/" + S3Paths.encode(key, false))
                .header("x-amz-metadata-directive", "REPLACE")
                .header("x-amz-copy-source-if-match", backendEtag);
        stored.forEach(e -> {
            String n = e.getKey().toLowerCase(Locale.ROOT);
            if ((ENTITY.contains(n) || n.startsWith("x-amz-meta-")) && !n.startsWith(Envelope.PREFIX)) {
                call.headers().add(n, e.getValue());
            }
        });
        envelope.forEach(call::header);
        return store.exchange(call);
    }
}
