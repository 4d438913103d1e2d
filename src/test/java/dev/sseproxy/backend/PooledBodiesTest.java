package dev.sseproxy.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class PooledBodiesTest {

    @Test
    void bodyBuffersComeFromChunksThatHoldManyFramesWhateverNettysDefaultOrder() {
        // Quarkus runs with io.netty.allocator.maxOrder=3 (64 KiB chunks): one frame per chunk
        assertEquals(4 * 1024 * 1024, PooledBodies.ALLOCATOR.metric().chunkSize());
        ByteBuf frame = PooledBodies.allocate(65_536);
        try {
            assertTrue(frame.isDirect());
            assertEquals(65_536, frame.capacity());
            assertEquals(65_536, frame.maxCapacity());
        } finally {
            frame.release();
        }
    }

    @Test
    void aCompositeOfBodyBuffersIsReleasedWithItsPiecesOnceWritten() {
        ByteBuf a = PooledBodies.allocate(65_536).writerIndex(65_536);
        ByteBuf b = PooledBodies.allocate(65_536).writerIndex(100);
        CompositeByteBuf c = PooledBodies.composite().addComponent(true, a).addComponent(true, b);
        for (int i = 0; i < 40; i++) {
            // never consolidated into a copy, however many pieces
            c.addComponent(true, PooledBodies.allocate(16).writerIndex(16));
        }
        assertEquals(42, c.numComponents());
        assertEquals(65_536 + 100 + 40 * 16, c.readableBytes());
        assertTrue(c.isDirect() && c.alloc() instanceof PooledByteBufAllocator);
        PooledBodies.release(Buffer.buffer(c));
        assertEquals(0, c.refCnt());
        assertEquals(0, a.refCnt());
        assertEquals(0, b.refCnt());
    }
}
