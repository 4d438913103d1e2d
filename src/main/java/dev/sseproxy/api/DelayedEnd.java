package dev.sseproxy.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.Supplier;

/** A stream whose end is told only once {@code before} completed (the seam of {@link #copyInPlace}). */
final class DelayedEnd implements io.vertx.core.streams.ReadStream<Buffer> {
    private final io.vertx.core.streams.ReadStream<Buffer> in;
    private final Supplier<Uni<Void>> before;
    private io.vertx.core.Handler<Throwable> failed;

    DelayedEnd(io.vertx.core.streams.ReadStream<Buffer> in, Supplier<Uni<Void>> before) {
        this.in = in;
        this.before = before;
    }

    public DelayedEnd exceptionHandler(io.vertx.core.Handler<Throwable> h) {
        failed = h;
        in.exceptionHandler(h);
        return this;
    }

    public DelayedEnd handler(io.vertx.core.Handler<Buffer> h) {
        in.handler(h);
        return this;
    }

    public DelayedEnd pause() {
        in.pause();
        return this;
    }

    public DelayedEnd resume() {
        in.resume();
        return this;
    }

    public DelayedEnd fetch(long n) {
        in.fetch(n);
        return this;
    }

    public DelayedEnd endHandler(io.vertx.core.Handler<Void> h) {
        if (h == null) {
            in.endHandler(null);
            return this;
        }
        io.vertx.core.Context ctx = Vertx.currentContext();
        in.endHandler(v -> before.get().subscribe().with(x -> run(ctx, () -> h.handle(null)),
                e -> run(ctx, () -> {
                    if (failed != null) {
                        failed.handle(e);
                    }
                })));
        return this;
    }

    private static void run(io.vertx.core.Context ctx, Runnable r) {
        if (ctx == null) {
            r.run();
        } else {
            ctx.runOnContext(v -> r.run());
        }
    }
}
