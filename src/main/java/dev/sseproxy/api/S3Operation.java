package dev.sseproxy.api;

import io.smallrye.mutiny.Uni;

/** One S3 operation: handles an authenticated, routed exchange and writes its response. */
public interface S3Operation {

    /** AWS's operation name, e.g. {@code PutObject} (for logs, metrics and later the audit trail). */
    String name();

    /**
     * The operation's name for a request with this HTTP method, known before {@link #handle} runs, so a
     * request refused before it (AccessDenied) is recorded under AWS's name; operations that serve
     * several methods override it.
     */
    default String name(String method) {
        return name();
    }

    /** Whether the addressed bucket must exist and belong to the requester before {@link #handle}. */
    default boolean needsOwnedBucket() {
        return true;
    }

    Uni<Void> handle(S3Exchange ex);
}
