package dev.sseproxy.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PooledBodiesTest {
    /** A destination whose writes complete only when the test says so, like a socket that is slow to drain. */
    static final class SlowSink implements WriteStream<Buffer> {
        final List<Promise<Void>> pending = new ArrayList<>();
        boolean throwOnWrite;

        @Override
        public Future<Void> write(Buffer data) {
            if (throwOnWrite) {
                throw new IllegalStateException("Response is closed");
            }
            Promise<Void> p = Promise.promise();
            pending.add(p);
            return p.future();
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            write(data).onComplete(handler);
        }

        @Override
        public Future<Void> end() {
            return Future.succeededFuture();
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            handler.handle(Future.succeededFuture());
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }

    @Test
    void aPooledBufferIsReleasedOnlyOnceItsWriteCompleted() {
        SlowSink sink = new SlowSink();
        WriteStream<Buffer> dst = PooledBodies.releasing(sink);
        ByteBuf ok = PooledBodies.allocate(100).writerIndex(100);
        ByteBuf failed = PooledBodies.allocate(100).writerIndex(100);
        dst.write(Buffer.buffer(ok));
        dst.write(Buffer.buffer(failed));
        assertEquals(1, ok.refCnt(), "still owned while the write is pending");
        assertEquals(1, failed.refCnt());
        sink.pending.get(0).complete();
        sink.pending.get(1).fail("connection reset");
        assertEquals(0, ok.refCnt());
        assertEquals(0, failed.refCnt(), "a failed write releases too");
    }

    @Test
    void aWriteThatThrowsReleasesAndOtherBuffersAreLeftAlone() {
        SlowSink sink = new SlowSink();
        sink.throwOnWrite = true;
        ByteBuf pooled = PooledBodies.allocate(10).writerIndex(10);
        assertThrows(IllegalStateException.class, () -> PooledBodies.releasing(sink).write(Buffer.buffer(pooled)));
        assertEquals(0, pooled.refCnt());
        sink.throwOnWrite = false;
        ByteBuf heap = Unpooled.buffer(10).writerIndex(10);
        ByteBuf unpooledDirect = Unpooled.directBuffer(10).writerIndex(10);
        WriteStream<Buffer> dst = PooledBodies.releasing(sink);
        dst.write(Buffer.buffer(heap));
        dst.write(Buffer.buffer(unpooledDirect));
        dst.write(Buffer.buffer("vert.x's own heap buffer"));
        sink.pending.forEach(Promise::complete);
        assertEquals(1, heap.refCnt(), "not ours: never released");
        assertEquals(1, unpooledDirect.refCnt());
        unpooledDirect.release();
    }
}
