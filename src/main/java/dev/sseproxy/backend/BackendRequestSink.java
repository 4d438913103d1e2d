package dev.sseproxy.backend;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.streams.WriteStream;

/**
 * The backend request as the destination of a streamed body, telling its own failures apart: a
 * failure of the connection to the backend (closed, reset) reaches the pipe as
 * {@link BackendException.Unavailable} (503), while a failure of the client's body (bad
 * signature, checksum, truncation) keeps its own type. Without it both reached the caller as the
 * same raw exception, and a backend connection closed under a streamed PUT became a 500. Pooled
 * body buffers ({@link PooledBodies}) are released once written.
 */
final class BackendRequestSink implements WriteStream<Buffer> {
    private final HttpClientRequest req;

    BackendRequestSink(HttpClientRequest req) {
        this.req = req;
    }

    static Throwable backendFailure(Throwable err) {
        return err instanceof BackendException ? err
                : new BackendException.Unavailable("backend connection failed while sending the body", err);
    }

    @Override
    public BackendRequestSink exceptionHandler(Handler<Throwable> handler) {
        req.exceptionHandler(handler == null ? null : err -> handler.handle(backendFailure(err)));
        return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
        return PooledBodies.write(req, data).recover(err -> Future.failedFuture(backendFailure(err)));
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data).onComplete(handler);
    }

    @Override
    public Future<Void> end() {
        return req.end().recover(err -> Future.failedFuture(backendFailure(err)));
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        end().onComplete(handler);
    }

    @Override
    public BackendRequestSink setWriteQueueMaxSize(int maxSize) {
        req.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return req.writeQueueFull();
    }

    @Override
    public BackendRequestSink drainHandler(Handler<Void> handler) {
        req.drainHandler(handler);
        return this;
    }
}
