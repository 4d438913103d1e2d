package dev.sseproxy.backend;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A backend answer whose body is still to be read: paused until piped. Call {@link #discard()}
 * when the body will not be read, so the connection is released.
 */
public record BackendStream(int status, MultiMap headers, ReadStream<Buffer> body, Runnable discardAction) {

    public void discard() {
        discardAction.run();
    }
}
