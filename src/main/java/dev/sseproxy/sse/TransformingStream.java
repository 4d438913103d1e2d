package dev.sseproxy.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A stream that turns each buffer of a source stream into zero or more buffers of its own (a body
 * being verified, encrypted or decrypted). Flow control goes straight to the source: pausing,
 * resuming and fetching act on it, and each source buffer yields a bounded amount of output.
 * Subclasses implement {@link #onData} and {@link #onEnd}, hand output to {@link #emit}, finish
 * with {@link #end} and report a failure with {@link #fail} (after which input is ignored).
 */
public abstract class TransformingStream implements ReadStream<Buffer> {
    protected final ReadStream<Buffer> source;
    private Handler<Buffer> dataHandler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean failed;

    protected TransformingStream(ReadStream<Buffer> source) {
        this.source = source;
    }

    /** One buffer of the source; not called once the stream has failed. */
    protected abstract void onData(Buffer b);

    /** The source ended; call {@link #end} when all output went out. Not called once the stream has failed. */
    protected abstract void onEnd();

    /** The consumer went away (its data handler was unset, e.g. a pipe that ended or failed): free what is held. */
    protected void onDetach() {
    }

    protected final void emit(Buffer b) {
        if (dataHandler != null) {
            dataHandler.handle(b);
        }
    }

    protected final boolean hasDataHandler() {
        return dataHandler != null;
    }

    protected final void end() {
        if (endHandler != null) {
            endHandler.handle(null);
        }
    }

    protected void fail(Throwable e) {
        failed = true;
        if (exceptionHandler != null) {
            exceptionHandler.handle(e);
        }
    }

    protected final boolean failed() {
        return failed;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        source.exceptionHandler(handler == null ? null : this::fail);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        dataHandler = handler;
        if (handler == null) {
            onDetach();
        }
        source.handler(handler == null ? null : b -> {
            if (!failed) {
                onData(b);
            }
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        source.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        source.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        endHandler = handler;
        source.endHandler(handler == null ? null : v -> {
            if (!failed) {
                onEnd();
            }
        });
        return this;
    }
}
