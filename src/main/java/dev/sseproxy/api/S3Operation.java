package dev.sseproxy.api;

import io.smallrye.mutiny.Uni;

/** One S3 operation: handles an authenticated, routed exchange and writes its response. */
public interface S3Operation {

    /** AWS's operation name, e.g. {@code PutObject} (for logs, metrics and later the audit trail). */
    String name();

    /** Whether the addressed bucket must exist and belong to the requester before {@link #handle}. */
    default boolean needsOwnedBucket() {
        return true;
    }

    Uni<Void> handle(S3Exchange ex);
}
