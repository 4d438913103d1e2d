package dev.sseproxy.api;

import io.vertx.core.buffer.Buffer;

/** One buffer as a stream (a service object's body, held in memory). */
final class OneBuffer implements io.vertx.core.streams.ReadStream<Buffer> {
    private Buffer data;
    private io.vertx.core.Handler<Buffer> handler;
    private io.vertx.core.Handler<Void> end;
    private boolean paused = true;

    OneBuffer(Buffer data) {
        this.data = data;
    }

    public OneBuffer exceptionHandler(io.vertx.core.Handler<Throwable> h) {
        return this;
    }

    public OneBuffer handler(io.vertx.core.Handler<Buffer> h) {
        handler = h;
        if (h != null) {
            paused = false;
            drain();
        }
        return this;
    }

    public OneBuffer pause() {
        paused = true;
        return this;
    }

    public OneBuffer resume() {
        paused = false;
        drain();
        return this;
    }

    public OneBuffer fetch(long n) {
        return resume();
    }

    public OneBuffer endHandler(io.vertx.core.Handler<Void> h) {
        end = h;
        drain();
        return this;
    }

    private void drain() {
        if (paused || handler == null) {
            return;
        }
        if (data != null) {
            Buffer b = data;
            data = null;
            if (b.length() > 0) {
                handler.handle(b);
            }
        }
        if (data == null && end != null && !paused) {
            io.vertx.core.Handler<Void> e = end;
            end = null;
            e.handle(null);
        }
    }
}
