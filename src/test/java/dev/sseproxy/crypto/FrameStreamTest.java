package dev.sseproxy.crypto;

import static dev.sseproxy.crypto.Frames.F;
import static dev.sseproxy.crypto.Frames.ID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameStreamTest {
    static final KeyMaterial KEY = Frames.key(1);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 3 * 65_536 + 1, 200_003})
    void encryptorOutputLengthIsCiphertextLengthAndDecryptsBack(int n) {
        byte[] pt = Frames.plaintext(n, n);
        byte[] ct = Frames.encrypt(KEY, ID, 1, pt);
        assertEquals(FrameFormat.ciphertextLength(n), ct.length);
        assertEquals(n, FrameFormat.plaintextLength(ct.length));
        assertArrayEquals(pt, Frames.decrypt(KEY, ID, 1, n, ct));
    }

    @Test
    void randomLengthsAndRandomSplitsRoundTrip() {
        Random r = new Random(11);
        for (int i = 0; i < 40; i++) {
            int n = r.nextInt(5 * F);
            byte[] pt = Frames.plaintext(n, i);
            byte[] ct = Frames.encrypt(KEY, ID, 3, pt, new Random(i));
            assertEquals(FrameFormat.ciphertextLength(n), ct.length, "n=" + n);
            assertArrayEquals(pt, Frames.decrypt(KEY, ID, 3, n, ct), "n=" + n);
        }
    }

    @Test
    void ciphertextDoesNotDependOnHowThePlaintextWasSplit() {
        byte[] pt = Frames.plaintext(3 * F + 77, 5);
        byte[] oneBuffer = Frames.encrypt(KEY, ID, 1, pt, new Random(1));
        byte[] byteByByte = encryptByteByByte(pt);
        assertArrayEquals(oneBuffer, byteByByte);
    }

    @Test
    void directBuffersWorkLikeHeapBuffers() {
        byte[] pt = Frames.plaintext(2 * F + 9, 6);
        ByteBuffer direct = ByteBuffer.allocateDirect(pt.length).put(pt).flip();
        FrameEncryptor enc = new FrameEncryptor(KEY, ID, 1, pt.length);
        Frames.Sink out = new Frames.Sink();
        enc.update(direct, out);
        enc.finish(out);
        assertArrayEquals(Frames.encrypt(KEY, ID, 1, pt), out.bytes());
        ByteBuffer ct = ByteBuffer.allocateDirect(out.bytes().length).put(out.bytes()).flip();
        FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, pt.length);
        Frames.Sink plain = new Frames.Sink();
        dec.update(ct, plain);
        dec.finish();
        assertArrayEquals(pt, plain.bytes());
    }

    @Test
    void encryptorEmitsOneBufferPerFrameAndHoldsBackOnlyTheFinalFrame() {
        FrameEncryptor enc = new FrameEncryptor(KEY, ID, 1, 2 * F + 1);
        Frames.Sink out = new Frames.Sink();
        enc.update(ByteBuffer.wrap(new byte[2 * F]), out);
        assertEquals(2, out.buffers, "the length is declared: both full frames are known not to be final");
        enc.update(ByteBuffer.wrap(new byte[1]), out);
        assertEquals(2, out.buffers, "the final frame waits for finish()");
        enc.finish(out);
        assertEquals(3, out.buffers);
        assertEquals(2 * F + 1, enc.plaintextBytes());
    }

    @Test
    void theFinalFrameIsHeldUntilFinishEvenWhenItIsFull() {
        FrameEncryptor enc = new FrameEncryptor(KEY, ID, 1, 2 * F);
        Frames.Sink out = new Frames.Sink();
        enc.update(ByteBuffer.wrap(new byte[2 * F]), out);
        assertEquals(1, out.buffers);
        enc.finish(out);
        assertEquals(2, out.buffers);
    }

    @Test
    void plaintextLongerOrShorterThanDeclaredFailsBeforeTheFinalFrameGoesOut() {
        FrameEncryptor longer = new FrameEncryptor(KEY, ID, 1, F + 1);
        Frames.Sink out = new Frames.Sink();
        assertThrows(IllegalStateException.class, () -> longer.update(ByteBuffer.wrap(new byte[F + 2]), out));
        assertEquals(1, out.buffers, "only the first, non-final frame went out");
        FrameEncryptor shorter = new FrameEncryptor(KEY, ID, 1, F + 1);
        Frames.Sink out2 = new Frames.Sink();
        shorter.update(ByteBuffer.wrap(new byte[F]), out2);
        assertThrows(IllegalStateException.class, () -> shorter.finish(out2));
        assertEquals(1, out2.buffers);
        FrameEncryptor empty = new FrameEncryptor(KEY, ID, 1, 0);
        assertThrows(IllegalStateException.class, () -> empty.update(ByteBuffer.wrap(new byte[1]), out2));
    }

    @Test
    void framesGoIntoTheSinksBuffersAndBackExactlyOnce() {
        byte[] pt = Frames.plaintext(3 * F + 11, 9);
        java.util.List<ByteBuffer> handedOut = new java.util.ArrayList<>();
        java.util.List<ByteBuffer> handedBack = new java.util.ArrayList<>();
        FrameSink sink = new FrameSink() {
            @Override
            public ByteBuffer buffer(int size) {
                assertEquals(handedOut.size(), handedBack.size(), "one buffer out at a time");
                ByteBuffer b = ByteBuffer.allocateDirect(size);
                handedOut.add(b);
                return b;
            }

            @Override
            public void accept(ByteBuffer frame) {
                assertEquals(handedOut.get(handedOut.size() - 1), frame);
                handedBack.add(frame);
            }
        };
        FrameEncryptor enc = new FrameEncryptor(KEY, ID, 1, pt.length);
        for (ByteBuffer piece : Frames.pieces(pt, new Random(3))) {
            enc.update(piece, sink);
        }
        enc.finish(sink);
        java.io.ByteArrayOutputStream ct = new java.io.ByteArrayOutputStream();
        for (ByteBuffer b : handedBack) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            ct.writeBytes(a);
        }
        assertArrayEquals(Frames.encrypt(KEY, ID, 1, pt), ct.toByteArray());
        handedOut.clear();
        handedBack.clear();
        FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, pt.length);
        for (ByteBuffer piece : Frames.pieces(ct.toByteArray(), new Random(4))) {
            dec.update(piece, sink);
        }
        dec.finish();
        assertEquals(4, handedBack.size());
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        for (ByteBuffer b : handedBack) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            plain.writeBytes(a);
        }
        assertArrayEquals(pt, plain.toByteArray());
    }

    @Test
    void decryptorEmitsAFrameAsSoonAsItIsComplete() {
        byte[] ct = Frames.encrypt(KEY, ID, 1, new byte[2 * F + 5]);
        FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, 2 * F + 5);
        Frames.Sink out = new Frames.Sink();
        dec.update(ByteBuffer.wrap(ct, 0, FrameFormat.FRAME_CIPHERTEXT_SIZE - 1), out);
        assertEquals(0, out.buffers);
        dec.update(ByteBuffer.wrap(ct, FrameFormat.FRAME_CIPHERTEXT_SIZE - 1, 1), out);
        assertEquals(1, out.buffers);
        assertEquals(F, out.bytes().length);
    }

    @Test
    void aShortObjectSplitAtAnyOffsetDecrypts() {
        // the gather buffer is made only for a frame that arrives in pieces, at that frame's size
        for (int n : new int[] {4096, F + 100}) {
            byte[] pt = Frames.plaintext(n, n);
            byte[] ct = Frames.encrypt(KEY, ID, 1, pt);
            for (int cut = 1; cut < ct.length; cut += 509) {
                FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, n);
                Frames.Sink out = new Frames.Sink();
                dec.update(ByteBuffer.wrap(ct, 0, cut), out);
                dec.update(ByteBuffer.wrap(ct, cut, ct.length - cut), out);
                dec.finish();
                assertArrayEquals(pt, out.bytes(), "n=" + n + " cut=" + cut);
            }
        }
    }

    @Test
    void decryptingARunFromAMiddleFrameToTheEndWorks() {
        byte[] pt = Frames.plaintext(4 * F + 3, 8);
        byte[] ct = Frames.encrypt(KEY, ID, 2, pt);
        int from = 2 * FrameFormat.FRAME_CIPHERTEXT_SIZE;
        FrameDecryptor dec = new FrameDecryptor(KEY, ID, 2, 2, pt.length);
        Frames.Sink out = new Frames.Sink();
        dec.update(ByteBuffer.wrap(ct, from, ct.length - from), out);
        dec.finish();
        assertArrayEquals(java.util.Arrays.copyOfRange(pt, 2 * F, pt.length), out.bytes());
    }

    @Test
    void spentEncryptorsAndDecryptorsRefuseMoreWork() {
        FrameEncryptor enc = new FrameEncryptor(KEY, ID, 1, 0);
        enc.finish(b -> { });
        assertThrows(IllegalStateException.class, () -> enc.update(ByteBuffer.allocate(1), b -> { }));
        FrameDecryptor dec = new FrameDecryptor(KEY, ID, 1, 0, 0);
        dec.update(ByteBuffer.wrap(Frames.encrypt(KEY, ID, 1, new byte[0])), b -> { });
        dec.finish();
        assertThrows(IllegalStateException.class, dec::finish);
    }

    @Test
    void partNumberZeroIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new FrameEncryptor(KEY, ID, 0, 0));
    }

    private static byte[] encryptByteByByte(byte[] pt) {
        FrameEncryptor enc = new FrameEncryptor(KEY, ID, 1, pt.length);
        Frames.Sink out = new Frames.Sink();
        for (byte b : pt) {
            enc.update(ByteBuffer.wrap(new byte[] {b}), out);
        }
        enc.finish(out);
        return out.bytes();
    }
}
