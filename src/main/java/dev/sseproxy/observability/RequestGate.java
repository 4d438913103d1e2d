package dev.sseproxy.observability;

import io.smallrye.mutiny.Uni;

/**
 * Admission before an S3 request is handled: a bean that must be asked before each request starts
 * (the audit trail's bounded queue holds a place for the request's event). {@link #admit()} completes
 * when the request may go on, or fails with the S3 error to answer (503 SlowDown); the place it took
 * is given back by the {@link RequestListener} side when the request's event is written.
 */
public interface RequestGate {
    Uni<Void> admit();
}
