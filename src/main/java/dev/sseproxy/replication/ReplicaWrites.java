package dev.sseproxy.replication;

import dev.sseproxy.catalog.ReplicationQueue;
import io.smallrye.mutiny.Uni;

/**
 * The one thing the engine cannot do itself: read a source version decrypted and write it, encrypted anew, to
 * its destination through the proxy's own write path. Implemented in {@code dev.sseproxy.api} (the package
 * that holds the write pipeline). Failures are {@link dev.sseproxy.error.S3Exception}s as S3 would name them:
 * 403 AccessDenied (the destination's policy does not allow the source owner), 404 NoSuchVersion / NoSuchKey
 * (the source version is gone), NoSuchBucket (the destination is gone), others.
 */
public interface ReplicaWrites {
    /** What a replication did: the plaintext bytes written (0 when the replica was already there). */
    record Outcome(long bytes, boolean alreadyThere) {
    }

    /** Replicates the OBJECT row {@code item} acting as {@code sourceOwner}. */
    Uni<Outcome> replicate(ReplicationQueue.Item item, String sourceOwner);

    /** Replicates the DELETE_MARKER row {@code item}: a delete marker on the destination key. */
    Uni<Outcome> replicateDeleteMarker(ReplicationQueue.Item item, String sourceOwner);

    /** The reserved backend metadata a replica carries (hidden from clients): which source version it copies. */
    String REPLICA_OF = "x-amz-meta-sse-proxy-replica-of";

    /** The value of {@link #REPLICA_OF} for a row. */
    static String replicaOf(ReplicationQueue.Item item) {
        return item.bucket() + " " + (item.versionId() != null ? item.versionId() : "q" + item.id());
    }
}
