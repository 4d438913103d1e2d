package dev.sseproxy.audit;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.micrometer.core.instrument.Counter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit queue's admission places (overflow {@code wait}): every S3 request takes one before it
 * starts and gives it back when its event is written; a request that finds none waits up to the
 * admission wait for one, then is refused with 503 SlowDown. Waiters are woken in arrival order on
 * their own context.
 */
final class AuditAdmission {
    static final String SLOW_DOWN = "Please reduce your request rate.";

    private final Vertx vertx;
    private final int capacity;
    private final Duration admissionWait;
    private final Counter rejected;
    /** Places taken by admitted S3 requests whose event is not written yet. */
    private final AtomicInteger places = new AtomicInteger();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    AuditAdmission(Vertx vertx, int capacity, Duration admissionWait, Counter rejected) {
        this.vertx = vertx;
        this.capacity = capacity;
        this.admissionWait = admissionWait;
        this.rejected = rejected;
    }

    /** Completes once the request holds a place, or fails with SlowDown after the admission wait. */
    Uni<Void> admit() {
        if (takePlace()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(em -> {
            Waiter w = new Waiter(em, Vertx.currentContext());
            waiters.add(w);
            w.timer = vertx.setTimer(Math.max(1, admissionWait.toMillis()), t -> {
                if (w.claimed.compareAndSet(false, true)) {
                    waiters.remove(w);
                    rejected.increment();
                    em.fail(S3Exception.of(S3ErrorCode.SLOW_DOWN, SLOW_DOWN).withHeader("Retry-After", "1"));
                }
            });
            wakeWaiters(); // a place may have freed between the first try and now
        });
    }

    private boolean takePlace() {
        return places.getAndUpdate(v -> v < capacity ? v + 1 : v) < capacity;
    }

    /** Gives back {@code n} places (their events are written, or will never be) and admits waiters. */
    void release(int n) {
        if (n > 0) {
            places.addAndGet(-n);
            wakeWaiters();
        }
    }

    private void wakeWaiters() {
        Waiter w;
        while ((w = waiters.peek()) != null && takePlace()) {
            waiters.remove(w);
            if (!w.claimed.compareAndSet(false, true)) {
                places.decrementAndGet(); // it timed out meanwhile
                continue;
            }
            vertx.cancelTimer(w.timer);
            Waiter admitted = w;
            if (admitted.context != null) {
                admitted.context.runOnContext(v -> admitted.emitter.complete(null));
            } else {
                admitted.emitter.complete(null);
            }
        }
    }

    private static final class Waiter {
        final UniEmitter<? super Void> emitter;
        final Context context;
        final AtomicBoolean claimed = new AtomicBoolean();
        volatile long timer;

        Waiter(UniEmitter<? super Void> emitter, Context context) {
            this.emitter = emitter;
            this.context = context;
        }
    }
}
