package dev.sseproxy.sse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.backend.PooledBodies;
import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.crypto.FrameEncryptor;
import dev.sseproxy.crypto.FrameFormat;
import dev.sseproxy.crypto.KeyMaterial;
import dev.sseproxy.crypto.ObjectIdentity;
import dev.sseproxy.crypto.PartTable;
import dev.sseproxy.crypto.RangeMath;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.streams.ReadStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The GET body: backend pieces in, verified plaintext out, the frames each piece completes handed on
 * as one buffer (pooled), nothing of a tampered frame or of its piece handed on, and every pooled
 * buffer released by whoever holds it.
 */
class DecryptingBodyTest {
    static final int F = FrameFormat.FRAME_SIZE;
    static final int C = FrameFormat.FRAME_CIPHERTEXT_SIZE;
    static final ObjectIdentity ID = new ObjectIdentity("b", "k");
    static final byte[] KEY = new byte[32];

    /** A source whose pieces the test pushes. */
    static final class Source implements ReadStream<Buffer> {
        Handler<Buffer> handler;
        Handler<Void> endHandler;

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> h) {
            handler = h;
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> h) {
            endHandler = h;
            return this;
        }
    }

    /** What the body handed on, released as a writer would once written. */
    static final class Taken {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<ByteBuf> buffers = new ArrayList<>();
        Throwable failure;
        boolean ended;

        void take(Buffer b) {
            bytes.writeBytes(b.getBytes());
            buffers.add(((BufferImpl) b).byteBuf());
            PooledBodies.release(b);
        }
    }

    static byte[] plaintext(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static byte[] encrypt(byte[] pt) {
        FrameEncryptor enc = new FrameEncryptor(KeyMaterial.of(KEY.clone()), ID, 1, pt.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        enc.update(java.nio.ByteBuffer.wrap(pt), b -> out.writeBytes(bytes(b)));
        enc.finish(b -> out.writeBytes(bytes(b)));
        return out.toByteArray();
    }

    static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    static Taken run(byte[] ct, RangeMath.Plan plan, int pieceSize) {
        Source src = new Source();
        Taken t = new Taken();
        DecryptingBody body = new DecryptingBody(src, KeyMaterial.of(KEY.clone()), ID, plan).pooled();
        body.exceptionHandler(e -> t.failure = e);
        body.endHandler(v -> t.ended = true);
        body.handler(t::take);
        for (int pos = 0; pos < ct.length && t.failure == null; pos += pieceSize) {
            // heap pieces, as Vert.x hands the backend's body on
            src.handler.handle(Buffer.buffer(java.util.Arrays.copyOfRange(ct, pos, Math.min(ct.length, pos + pieceSize))));
        }
        if (t.failure == null) {
            src.endHandler.handle(null);
        }
        return t;
    }

    @Test
    void theFramesOfEachPieceGoOnAsOneBufferAndEveryBufferIsReleased() {
        byte[] pt = plaintext(8 * F + 1000);
        Taken t = run(encrypt(pt), RangeMath.whole(PartTable.single(pt.length)), 256 * 1024);
        assertNull(t.failure);
        assertTrue(t.ended);
        assertArrayEquals(pt, t.bytes.toByteArray());
        // 9 frames of 65,552 (the last 1,016) bytes in 262,144-byte pieces: 3, 4 and 2 frames complete
        assertEquals(3, t.buffers.size());
        t.buffers.forEach(b -> assertEquals(0, b.refCnt()));
    }

    @Test
    void anyPieceSizeGivesThePlaintextBack() {
        byte[] pt = plaintext(3 * F + 17);
        byte[] ct = encrypt(pt);
        for (int piece : new int[] {1000, C - 1, C, C + 1, 64 * 1024, 200_000, ct.length}) {
            Taken t = run(ct, RangeMath.whole(PartTable.single(pt.length)), piece);
            assertNull(t.failure, "pieces of " + piece);
            assertArrayEquals(pt, t.bytes.toByteArray(), "pieces of " + piece);
            t.buffers.forEach(b -> assertEquals(0, b.refCnt()));
        }
    }

    @Test
    void aRangeAcrossFramesIsCutToItsWindow() {
        byte[] pt = plaintext(6 * F);
        long from = F - 10;
        long to = 4 * F + 9;
        Taken t = runRange(pt, from, to);
        assertNull(t.failure);
        assertArrayEquals(java.util.Arrays.copyOfRange(pt, (int) from, (int) to + 1), t.bytes.toByteArray());
    }

    private static Taken runRange(byte[] pt, long from, long to) {
        byte[] ct = encrypt(pt);
        RangeMath.Plan plan = RangeMath.range(PartTable.single(pt.length), from, to);
        long start = plan.ciphertextStart();
        long end = plan.ciphertextEndInclusive();
        return run(java.util.Arrays.copyOfRange(ct, (int) start, (int) end + 1), plan, 256 * 1024);
    }

    @Test
    void aTamperedFrameFailsTheBodyAndNothingOfItsPieceGoesOn() {
        byte[] pt = plaintext(8 * F);
        byte[] ct = encrypt(pt);
        // frame 5 (index 4) lies in the second 256 KiB piece, after frames 3 and 4 completed in it
        ct[4 * C + 100] ^= 1;
        Taken t = run(ct, RangeMath.whole(PartTable.single(pt.length)), 256 * 1024);
        assertInstanceOf(CryptoException.Tampered.class, t.failure);
        assertEquals(1, t.buffers.size());
        assertArrayEquals(java.util.Arrays.copyOf(pt, 3 * F), t.bytes.toByteArray());
        t.buffers.forEach(b -> assertEquals(0, b.refCnt()));
    }
}
