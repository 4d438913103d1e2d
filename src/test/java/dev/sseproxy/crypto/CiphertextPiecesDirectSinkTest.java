package dev.sseproxy.crypto;

import static dev.sseproxy.crypto.Frames.F;
import static dev.sseproxy.crypto.Frames.ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GET path's shape: ciphertext pieces decrypted into direct buffers (the sink's pooled memory),
 * through this thread's arrays. A piece is either in a heap array (Vert.x's copy of a backend read, at
 * an offset into its array) or direct (read in place, {@code backend.BackendPieces}: a slice of one
 * region of memory, from which the sink's buffers come too, as in Netty's pool).
 */
class CiphertextPiecesDirectSinkTest {
    /** One region of direct memory that pieces and the sink's buffers are cut from, as a pool chunk. */
    static final ByteBuffer REGION = ByteBuffer.allocateDirect(4 * 1024 * 1024);
    static int regionAt;

    static synchronized ByteBuffer cut(int size) {
        if (regionAt + size > REGION.capacity()) {
            regionAt = 0;
        }
        ByteBuffer b = REGION.duplicate().position(regionAt).limit(regionAt + size).slice();
        regionAt += size + 64;
        return b;
    }

    static final KeyMaterial KEY = Frames.key(3);
    static final int C = FrameFormat.FRAME_CIPHERTEXT_SIZE;

    /** A sink of direct buffers that records what it was handed. */
    static final class DirectSink implements FrameSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int handed;
        private ByteBuffer open;

        @Override
        public ByteBuffer buffer(int size) {
            open = cut(size);
            return open;
        }

        @Override
        public void accept(ByteBuffer frame) {
            assertEquals(open, frame);
            handed++;
            byte[] a = new byte[frame.remaining()];
            frame.get(a);
            out.writeBytes(a);
        }
    }

    /** {@code data[from, to)} as a heap buffer whose array holds other bytes before and after it. */
    static ByteBuffer piece(boolean direct, byte[] data, int from, int to) {
        if (direct) {
            ByteBuffer b = cut(to - from);
            b.put(data, from, to - from).flip();
            return b;
        }
        return heapPiece(data, from, to);
    }

    static ByteBuffer heapPiece(byte[] data, int from, int to) {
        byte[] array = new byte[to - from + 13];
        System.arraycopy(data, from, array, 7, to - from);
        return ByteBuffer.wrap(array, 7, to - from).slice();
    }

    @ParameterizedTest(name = "direct pieces: {0}")
    @ValueSource(booleans = {false, true})
    void aRunSplitInTwoAtAnyOffsetDecryptsIntoDirectBuffers(boolean direct) {
        byte[] pt = Frames.plaintext(2 * F + 100, 21);
        byte[] ct = Frames.encrypt(KEY, ID, 1, pt);
        for (int split : splits(ct.length)) {
            FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, pt.length);
            DirectSink sink = new DirectSink();
            dec.update(piece(direct, ct, 0, split), sink);
            dec.update(piece(direct, ct, split, ct.length), sink);
            dec.finish();
            assertArrayEquals(pt, sink.out.toByteArray(), "split at " + split);
            assertEquals(3, sink.handed, "split at " + split);
        }
    }

    /** Every offset within 40 bytes of a frame edge (tags included), and every 997th of the others. */
    private static java.util.SortedSet<Integer> splits(int length) {
        java.util.SortedSet<Integer> s = new java.util.TreeSet<>();
        for (int i = 0; i <= length; i += 997) {
            s.add(i);
        }
        for (int edge = 0; edge < length + C; edge += C) {
            int e = Math.min(edge, length);
            for (int i = Math.max(0, e - 40); i <= Math.min(length, e + 40); i++) {
                s.add(i);
            }
        }
        return s;
    }

    @ParameterizedTest(name = "direct pieces: {0}")
    @ValueSource(booleans = {false, true})
    void piecesOfAQuarterMegabyteHandOnTheFramesTheyComplete(boolean direct) {
        byte[] pt = Frames.plaintext(8 * F, 22);
        byte[] ct = Frames.encrypt(KEY, ID, 1, pt);
        FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, pt.length);
        DirectSink sink = new DirectSink();
        int[] handedAfter = new int[3];
        for (int i = 0, pos = 0; pos < ct.length; i++, pos += 256 * 1024) {
            dec.update(piece(direct, ct, pos, Math.min(ct.length, pos + 256 * 1024)), sink);
            handedAfter[i] = sink.handed;
        }
        dec.finish();
        assertArrayEquals(pt, sink.out.toByteArray());
        // 65,552-byte frames in 262,144-byte pieces: the first piece completes 3, the second 4 more
        assertArrayEquals(new int[] {3, 7, 8}, handedAfter);
    }

    @ParameterizedTest(name = "direct pieces: {0}")
    @ValueSource(booleans = {false, true})
    void aTamperedFrameFailsAndNothingOfItIsHandedOn(boolean direct) {
        byte[] pt = Frames.plaintext(3 * F, 23);
        byte[] ct = Frames.encrypt(KEY, ID, 1, pt);
        for (int at : new int[] {C + 5, 2 * C - 1, 2 * C - 16}) {
            byte[] bad = ct.clone();
            bad[at] ^= 1;
            FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, pt.length);
            DirectSink sink = new DirectSink();
            assertThrows(CryptoException.Tampered.class, () -> dec.update(piece(direct, bad, 0, bad.length), sink));
            assertEquals(1, sink.handed, "byte " + at);
            assertArrayEquals(java.util.Arrays.copyOf(pt, F), sink.out.toByteArray());
        }
    }

    @ParameterizedTest(name = "direct pieces: {0}")
    @ValueSource(booleans = {false, true})
    void framesSwappedInPiecesFail(boolean direct) {
        byte[] pt = Frames.plaintext(3 * F, 24);
        byte[] ct = Frames.encrypt(KEY, ID, 1, pt);
        byte[] swapped = ct.clone();
        System.arraycopy(ct, C, swapped, 0, C);
        System.arraycopy(ct, 0, swapped, C, C);
        FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, pt.length);
        DirectSink sink = new DirectSink();
        assertThrows(CryptoException.Tampered.class, () -> dec.update(piece(direct, swapped, 0, swapped.length), sink));
        assertEquals(0, sink.handed);
    }
}
