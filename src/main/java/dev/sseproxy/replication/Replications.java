package dev.sseproxy.replication;

import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketReplication;
import dev.sseproxy.catalog.ReplicationQueue;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The request path's side of replication (package documentation, "What replicates" and "Status"): which rows a
 * successful write or delete queues, their insertion (before the client hears of the write), and the
 * {@code x-amz-replication-status} of a source version.
 */
@ApplicationScoped
public class Replications {
    /** {@code x-amz-replication-status}. */
    public static final String STATUS_HEADER = "x-amz-replication-status";

    private final ReplicationQueue queue;
    private final ReplicationMetrics metrics;
    private final ReplicationWorker worker;

    public Replications(ReplicationQueue queue, ReplicationMetrics metrics, ReplicationWorker worker) {
        this.queue = queue;
        this.metrics = metrics;
        this.worker = worker;
    }

    /**
     * The rows a new object version queues: one per destination whose rule selects it, none for an SSE-C
     * object ({@code customerKey}), none for an SSE-KMS / DSSE-KMS one ({@code sse} {@code aws:kms} /
     * {@code aws:kms:dsse}) unless its rule enables {@code SseKmsEncryptedObjects}.
     */
    public static List<ReplicationQueue.Entry> forWrite(Bucket b, String key, Map<String, String> tags, String versionId,
            String sse, boolean customerKey) {
        BucketReplication c = b.replication();
        if (c == null || customerKey) {
            return List.of();
        }
        boolean kms = sse != null && sse.startsWith("aws:kms");
        List<ReplicationQueue.Entry> out = new ArrayList<>(1);
        for (BucketReplication.Rule r : c.rulesFor(key, tags)) {
            if (kms && !r.sseKmsEncryptedObjects()) {
                continue;
            }
            out.add(entry(b, key, versionId, ReplicationQueue.OBJECT, r));
        }
        return out;
    }

    /**
     * The rows a delete marker queues: one per destination whose rule (the one that would replicate an
     * untagged object with this key) enables {@code DeleteMarkerReplication} and does not filter by tags.
     */
    public static List<ReplicationQueue.Entry> forDeleteMarker(Bucket b, String key, String markerVersionId) {
        BucketReplication c = b.replication();
        if (c == null) {
            return List.of();
        }
        List<ReplicationQueue.Entry> out = new ArrayList<>(1);
        for (BucketReplication.Rule r : c.rulesFor(key, Map.of())) {
            if (r.deleteMarkerReplication() && !r.filter().byTags()) {
                out.add(entry(b, key, markerVersionId, ReplicationQueue.DELETE_MARKER, r));
            }
        }
        return out;
    }

    private static ReplicationQueue.Entry entry(Bucket b, String key, String versionId, String kind, BucketReplication.Rule r) {
        BucketReplication.Destination d = r.destination();
        Integer threshold = d.replicationTimeMinutes() != null ? d.replicationTimeMinutes() : d.metricsMinutes();
        return new ReplicationQueue.Entry(b.name(), key, versionId, kind, r.id(), d.bucket(), d.replicaKmsKeyId(), threshold);
    }

    /** Inserts the rows; completes once they are committed (the caller then acknowledges the write). */
    public Uni<Void> enqueue(List<ReplicationQueue.Entry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return queue.enqueue(entries).invoke(() -> {
            metrics.queued(entries.size());
            worker.wake();
        });
    }

    /** The status of a source version from its rows (null: it never replicated, no header). */
    public Uni<String> status(String bucket, String key, String versionId) {
        return queue.states(bucket, key, versionId).map(Replications::aggregate);
    }

    /** FAILED if any destination failed, else PENDING if any is pending, else COMPLETED; null for none. */
    public static String aggregate(List<String> states) {
        if (states.isEmpty()) {
            return null;
        }
        if (states.contains(ReplicationQueue.FAILED)) {
            return "FAILED";
        }
        return states.contains(ReplicationQueue.PENDING) ? "PENDING" : "COMPLETED";
    }
}
