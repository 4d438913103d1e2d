package dev.sseproxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.streams.WriteStream;

/**
 * Body buffers in Netty's pooled direct memory: what the encrypting and decrypting streams emit,
 * so that a frame goes from the cipher to the socket without a copy into a heap array and back out
 * into direct memory. Vert.x never releases the {@code ByteBuf} of a {@link Buffer} it writes (it
 * hands Netty an unreleasable view), so whoever writes one releases it <b>once the write
 * completed</b> (succeeded or failed; never earlier: Netty may still be sending the bytes):
 * {@link #releasing(WriteStream)} wraps a destination that does so, and {@link BackendRequestSink}
 * does it for request bodies. Such a buffer is recognised by being direct and from Netty's pooled
 * allocator; nothing else in the proxy hands those to a write (Vert.x copies what it reads into
 * heap buffers), and {@link #release} leaves every other buffer alone. A stream that emits them
 * releases what it holds when it fails. Run an IT with {@code -Dio.netty.leakDetection.level=paranoid}
 * and grep the proxy log for {@code LEAK} after changing any of this.
 */
public final class PooledBodies {
    private PooledBodies() {
    }

    /** A pooled direct buffer of exactly {@code size} bytes (capacity fixed), refCnt 1: the caller owns it. */
    public static ByteBuf allocate(int size) {
        return PooledByteBufAllocator.DEFAULT.directBuffer(size, size);
    }

    /** Releases {@code b}'s pooled direct memory if it is such a buffer (and not released already); else nothing. */
    public static void release(Buffer b) {
        if (b instanceof BufferImpl impl) {
            ByteBuf raw = impl.byteBuf();
            if (raw.isDirect() && raw.alloc() instanceof PooledByteBufAllocator && raw.refCnt() > 0) {
                raw.release();
            }
        }
    }

    /** Writes {@code data} to {@code dst} and releases it once the write completed (or threw). */
    public static Future<Void> write(WriteStream<Buffer> dst, Buffer data) {
        Future<Void> f;
        try {
            f = dst.write(data);
        } catch (RuntimeException e) {
            release(data);
            throw e;
        }
        return f.onComplete(r -> release(data));
    }

    /** {@code dst}, releasing each pooled buffer written to it once its write completed. */
    public static WriteStream<Buffer> releasing(WriteStream<Buffer> dst) {
        return new WriteStream<>() {
            @Override
            public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
                dst.exceptionHandler(handler);
                return this;
            }

            @Override
            public Future<Void> write(Buffer data) {
                return PooledBodies.write(dst, data);
            }

            @Override
            public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
                write(data).onComplete(handler);
            }

            @Override
            public Future<Void> end() {
                return dst.end();
            }

            @Override
            public void end(Handler<AsyncResult<Void>> handler) {
                dst.end(handler);
            }

            @Override
            public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
                dst.setWriteQueueMaxSize(maxSize);
                return this;
            }

            @Override
            public boolean writeQueueFull() {
                return dst.writeQueueFull();
            }

            @Override
            public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
                dst.drainHandler(handler);
                return this;
            }
        };
    }
}
