package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Optional;

/**
 * Where bucket default encryptions are kept (PostgreSQL: {@link PanacheBucketEncryptionRepository}); used
 * by {@code sse.BucketEncryptionStore}, which caches them. An interface so that the store's tests keep rows
 * in a map.
 */
public interface BucketEncryptionRepository {

    /** A stored row: the configuration and whether a PutBucketEncryption set it (false after a DELETE). */
    record Row(boolean explicit, StoredConfig config) {
    }

    /** The bucket's row; empty when the bucket was never configured. */
    Uni<Optional<Row>> find(String bucket);

    /**
     * Stores {@code config} as the bucket's explicit configuration. An empty block list in
     * {@code config} keeps the stored one (or none, on a first PUT).
     */
    Uni<Void> save(String bucket, StoredConfig config, Instant now);

    /** Resets the bucket to the SSE-S3 default (not explicit) and keeps its block list; no-op without a row. */
    Uni<Void> reset(String bucket, Instant now);
}
