package dev.sseproxy.sse;

import dev.sseproxy.backend.PooledBodies;
import dev.sseproxy.crypto.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The {@link FrameSink} of the body streams: each frame is written straight into a Netty buffer,
 * which is handed on whole. Pooled ({@link PooledBodies}: direct memory, released by the writer
 * once written) for a stream whose consumer releases, heap otherwise (a consumer that keeps or
 * copies the bytes). A buffer the stream asked for and never handed back is released by
 * {@link #discard()}, which the stream calls when it fails or its consumer goes away.
 */
final class FrameBuffers implements FrameSink {
    private final boolean pooled;
    private final Consumer<ByteBuf> out;
    private ByteBuf open;

    FrameBuffers(boolean pooled, Consumer<ByteBuf> out) {
        this.pooled = pooled;
        this.out = out;
    }

    @Override
    public ByteBuffer buffer(int size) {
        discard();
        open = pooled ? PooledBodies.allocate(size) : Unpooled.buffer(size, size);
        return open.nioBuffer(0, size);
    }

    @Override
    public void accept(ByteBuffer frame) {
        ByteBuf b = open;
        open = null;
        b.writerIndex(frame.limit());
        out.accept(b);
    }

    /** Releases the buffer handed out and not given back, if any. */
    void discard() {
        ByteBuf b = open;
        open = null;
        if (b != null) {
            b.release();
        }
    }
}
