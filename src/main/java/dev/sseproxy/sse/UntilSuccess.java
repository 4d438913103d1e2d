package dev.sseproxy.sse;

import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * A one-time asynchronous step (creating the proxy's SSE-S3 key at the KMS) whose success is kept and
 * shared, and whose failure is not: the callers waiting on a failed attempt get its failure, and the
 * next caller starts a new attempt. A plain {@code memoize().indefinitely()} keeps a failure forever:
 * one throttled {@code CreateKey} at start made every SSE-S3 write of that node answer 503 SlowDown
 * until a restart (seen in ClusterRateLimitIT, whose KMS allows 5 calls a second).
 */
final class UntilSuccess<T> {
    private final Supplier<Uni<T>> attempt;
    private volatile Uni<T> current;

    UntilSuccess(Supplier<Uni<T>> attempt) {
        this.attempt = attempt;
    }

    Uni<T> get() {
        Uni<T> u = current;
        if (u != null) {
            return u;
        }
        synchronized (this) {
            if (current == null) {
                @SuppressWarnings("unchecked")
                Uni<T>[] self = new Uni[1];
                self[0] = Uni.createFrom().<T>deferred(attempt::get).onFailure().invoke(e -> forget(self[0]))
                        .memoize().indefinitely();
                current = self[0];
            }
            return current;
        }
    }

    private synchronized void forget(Uni<T> failed) {
        if (current == failed) {
            current = null;
        }
    }
}
