package dev.sseproxy.batch;

import io.smallrye.mutiny.Uni;

/** Spaces task starts {@code 1 / tasksPerSecond} apart (per job run). */
final class Pacer {
    private final long intervalNanos;
    private final io.vertx.core.Context context;
    private long next = System.nanoTime();

    /** Waits end on {@code context} (the run's duplicated context: the catalog reads need it). */
    Pacer(double perSecond, io.vertx.core.Context context) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1e9 / perSecond);
        this.context = context;
    }

    synchronized long reserve() {
        long now = System.nanoTime();
        long at = Math.max(now, next);
        next = at + intervalNanos;
        return at - now;
    }

    Uni<Void> slot(io.vertx.core.Vertx vertx) {
        long wait = reserve() / 1_000_000;
        if (wait <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(em -> vertx.setTimer(wait, t -> context.runOnContext(x -> em.complete(null))));
    }
}
