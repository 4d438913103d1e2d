package dev.sseproxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.streams.WriteStream;

/**
 * Body buffers in Netty's pooled direct memory: what the encrypting and decrypting streams emit,
 * so that a frame goes from the cipher to the socket without a copy into a heap array and back out
 * into direct memory. Vert.x never releases the {@code ByteBuf} of a {@link Buffer} it writes (it
 * hands Netty an unreleasable view), so whoever writes one releases it <b>once the write
 * completed</b> (succeeded or failed; never earlier: Netty may still be sending the bytes):
 * {@link #releasing(WriteStream)} wraps a destination that does so, and {@link BackendRequestSink}
 * does it for request bodies. Such a buffer is recognised by being direct and from Netty's pooled
 * allocator, or by being a backend body piece read in place ({@link BackendPieces}: GetObject's
 * body as the backend connection read it); Vert.x copies everything else it reads into heap buffers,
 * and {@link #release} leaves every other buffer alone. A stream that emits them releases what it
 * holds when it fails. Run an IT with {@code -Dio.netty.leakDetection.level=paranoid} and grep the
 * proxy log for {@code LEAK} after changing any of this.
 *
 * <p><b>A pool of their own.</b> Quarkus starts the JVM with {@code io.netty.allocator.maxOrder=3}:
 * Netty's pools (its default one and Vert.x's) then have 64 KiB chunks, so a 64 KiB frame takes a
 * chunk of its own, created (4 KiB pages zeroed by {@code allocateDirect}) and destroyed with it, and a
 * larger buffer is not pooled at all (the 64 MiB GET profile: 3-5% of the proxy's CPU in
 * {@code allocateDirect}, zeroing and {@code Cleaner}s). Bodies take buffers from {@link #ALLOCATOR}, a
 * pool with 4 MiB chunks (8 KiB pages, order 9: Netty's own default), one arena per core, no heap
 * arenas; and the backend connections read into it ({@link #readInto}). A GET holds a few hundred KiB of
 * it at a time (a read, a batch of frames, the client socket's write queue), so a chunk fills past a
 * quarter (where Netty would destroy it once empty again) only under many concurrent bodies.
 */
public final class PooledBodies {
    /** The pool of body buffers (see the class documentation). */
    static final PooledByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true, 0,
            Runtime.getRuntime().availableProcessors(), 8192, 9, 256, 64, false);

    private PooledBodies() {
    }

    /** A pooled direct buffer of exactly {@code size} bytes (capacity fixed), refCnt 1: the caller owns it. */
    public static ByteBuf allocate(int size) {
        return ALLOCATOR.directBuffer(size, size);
    }

    /**
     * A composite of pooled buffers, each added by {@code addComponent(true, b)} and released with it; it
     * never consolidates (a copy) however many are added.
     */
    public static CompositeByteBuf composite() {
        return ALLOCATOR.compositeDirectBuffer(Integer.MAX_VALUE);
    }

    /**
     * Makes a backend connection read into {@link #ALLOCATOR} (Netty takes the channel's allocator at
     * each read; Vert.x copies what it reads into heap buffers and releases the read buffer at once,
     * except the body pieces {@link BackendPieces} hands on in place, which this also sets up).
     */
    static void readInto(HttpConnection connection) {
        if (connection instanceof ConnectionBase c) {
            c.channel().config().setAllocator(ALLOCATOR);
            BackendPieces.install(c.channel());
        }
    }

    /**
     * Releases {@code b}'s pooled direct memory if it is such a buffer or a backend body piece read in
     * place ({@link BackendPieces}), and not released already; else nothing.
     */
    public static void release(Buffer b) {
        if (b instanceof BufferImpl impl) {
            ByteBuf raw = impl.byteBuf();
            if (BackendPieces.release(raw)) {
                return;
            }
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
