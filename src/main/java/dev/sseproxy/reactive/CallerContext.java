package dev.sseproxy.reactive;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Brings results back to the Vert.x context of the caller. The KMS port completes on worker
 * threads, but Hibernate Reactive must be called on the context that opened the request, so every
 * step after a KMS call (and every result the registry hands back) goes through this executor.
 * Outside Vert.x (unit tests) it runs tasks in place.
 */
public final class CallerContext {
    private CallerContext() {
    }

    /** An executor for the current thread's Vert.x context, captured now. */
    public static Executor capture() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return task -> {
            // Quarkus makes the request's context current on worker threads too: only the event loop will do
            if (Context.isOnEventLoopThread() && Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(v -> task.run());
            }
        };
    }
}
