package dev.sseproxy.api;

import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketReplication;
import dev.sseproxy.replication.ReplicaWrites;
import dev.sseproxy.replication.Replications;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The request path's replication steps (package documentation of {@code dev.sseproxy.replication}):
 * <ul>
 *   <li>a PutObject, PostObject, CopyObject or CompleteMultipartUpload that succeeds in a bucket whose cached
 *       row has a replication configuration queues its new version, once per destination, before the success
 *       status is sent ({@link S3Exchange#successEvent}, after the event notification); a DeleteObject without a
 *       version id that made a delete marker queues the marker where the rule replicates markers. The facts come
 *       from the response: {@code x-amz-version-id}, {@code x-amz-delete-marker}, the SSE headers (an SSE-C
 *       object never replicates; an SSE-KMS one only with {@code SseKmsEncryptedObjects}). The tags a filter
 *       looks at are PutObject's {@code x-amz-tagging}; for the other writes, the new version's tags are read
 *       from the backend, and only when a rule filters by tags.</li>
 *   <li>GET and HEAD of an object answer {@code x-amz-replication-status}: {@code REPLICA} for a replica (from
 *       its stored metadata, no lookup), and for a version of a bucket with a configuration its aggregated status
 *       (one query). A bucket without replication pays nothing: both look at the cached bucket row first.</li>
 * </ul>
 */
@ApplicationScoped
class ObjectReplications {
    private static final Set<String> WRITES = Set.of("PutObject", "PostObject", "CopyObject", "CompleteMultipartUpload");

    private final Replications replications;
    private final ObjectStore store;

    ObjectReplications(Replications replications, ObjectStore store) {
        this.replications = replications;
        this.store = store;
    }

    /** Gives the exchange its replication step when its bucket has a configuration and the operation can replicate. */
    void attach(S3Exchange ex, String operation) {
        Bucket b = ex.bucketRecord();
        if (b == null || b.replication() == null || (!WRITES.contains(operation) && !"DeleteObject".equals(operation))) {
            return;
        }
        ex.successEvent(doc -> enqueue(ex, b));
    }

    private Uni<Void> enqueue(S3Exchange ex, Bucket b) {
        MultiMap h = ex.response().headers();
        String versionId = h.get(Versions.HEADER);
        String op = ex.operation();
        if ("DeleteObject".equals(op)) {
            if (ex.queryParam("versionId") != null || !"true".equals(h.get(Versions.DELETE_MARKER))) {
                return Uni.createFrom().voidItem(); // deleting a version never replicates
            }
            return replications.enqueue(Replications.forDeleteMarker(b, ex.key(), versionId));
        }
        if (!WRITES.contains(op)) {
            return Uni.createFrom().voidItem();
        }
        String key = ex.writtenKey() != null ? ex.writtenKey() : ex.key();
        if (key == null) {
            return Uni.createFrom().voidItem();
        }
        boolean customerKey = h.get("x-amz-server-side-encryption-customer-algorithm") != null;
        String sse = h.get("x-amz-server-side-encryption");
        boolean byTags = b.replication().rules().stream().anyMatch(r -> r.enabled() && r.filter().byTags());
        Uni<Map<String, String>> tags;
        if (!byTags || customerKey) {
            tags = Uni.createFrom().item(Map.of());
        } else if ("PutObject".equals(op)) {
            tags = Uni.createFrom().item(parseTagging(ex.header("x-amz-tagging")));
        } else {
            tags = store.tagging(b.name(), key, versionId);
        }
        return tags.chain(t -> replications.enqueue(Replications.forWrite(b, key, t, versionId, sse, customerKey)));
    }

    /** {@code x-amz-tagging}'s URL-encoded {@code k=v&...} as a map (empty for none). */
    static Map<String, String> parseTagging(String header) {
        Map<String, String> out = new HashMap<>();
        if (header == null || header.isEmpty()) {
            return out;
        }
        for (String pair : header.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * Puts {@code x-amz-replication-status} on a GET or HEAD answer: REPLICA for a replica (its stored
     * metadata says so), else the version's aggregated status when the bucket has a configuration (one query;
     * nothing for a bucket without one, nor for a version that never replicated).
     */
    Uni<Void> status(S3Exchange ex, MultiMap backendHeaders) {
        if (backendHeaders.get(ReplicaWrites.REPLICA_OF) != null) {
            ex.response().headers().set(Replications.STATUS_HEADER, "REPLICA");
            return Uni.createFrom().voidItem();
        }
        Bucket b = ex.bucketRecord();
        BucketReplication c = b == null ? null : b.replication();
        if (c == null) {
            return Uni.createFrom().voidItem();
        }
        String versionId = backendHeaders.get(Versions.HEADER);
        return replications.status(b.name(), ex.key(), versionId).invoke(s -> {
            if (s != null) {
                ex.response().headers().set(Replications.STATUS_HEADER, s);
            }
        }).replaceWithVoid();
    }

}
