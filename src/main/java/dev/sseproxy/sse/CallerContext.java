package dev.sseproxy.sse;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Brings results back to the Vert.x context of the caller: a cached lookup may complete on the
 * event loop of the request that loaded it, but Hibernate Reactive and the response must be used on
 * the context that opened the request. Outside Vert.x (unit tests) it runs tasks in place.
 */
final class CallerContext {
    private CallerContext() {
    }

    /** An executor for the current thread's Vert.x context, captured now. */
    static Executor capture() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return task -> {
            if (Context.isOnEventLoopThread() && Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(v -> task.run());
            }
        };
    }
}
