package dev.sseproxy.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.function.Consumer;

/** Test helpers: whole-buffer encryption and decryption through the streaming API, in random splits. */
final class Frames {
    static final int F = FrameFormat.FRAME_SIZE;
    static final ObjectIdentity ID = new ObjectIdentity("photos", "2024/cat.jpg");

    private Frames() {
    }

    static KeyMaterial key(int seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return KeyMaterial.of(b);
    }

    static byte[] plaintext(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] encrypt(KeyMaterial key, ObjectIdentity id, int part, byte[] plaintext) {
        return encrypt(key, id, part, plaintext, new Random(1));
    }

    /** Encrypts in random-sized pieces (1 byte to 3 frames) so every buffering path runs. */
    static byte[] encrypt(KeyMaterial key, ObjectIdentity id, int part, byte[] plaintext, Random splits) {
        FrameEncryptor enc = new FrameEncryptor(key, id, part, plaintext.length);
        Sink out = new Sink();
        for (ByteBuffer piece : pieces(plaintext, splits)) {
            enc.update(piece, out);
        }
        enc.finish(out);
        return out.bytes();
    }

    /** Decrypts a whole part (run to the final frame) in random-sized pieces. */
    static byte[] decrypt(KeyMaterial key, ObjectIdentity id, int part, long partPlaintextLength, byte[] ciphertext) {
        FrameDecryptor dec = new FrameDecryptor(key, id, part, 0, partPlaintextLength);
        Sink out = new Sink();
        for (ByteBuffer piece : pieces(ciphertext, new Random(2))) {
            dec.update(piece, out);
        }
        dec.finish();
        return out.bytes();
    }

    static java.util.List<ByteBuffer> pieces(byte[] data, Random splits) {
        java.util.List<ByteBuffer> list = new java.util.ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int n = Math.min(data.length - pos, 1 + pieceSize(splits));
            list.add(ByteBuffer.wrap(data, pos, n).slice());
            pos += n;
        }
        return list;
    }

    private static int pieceSize(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(16);
            case 1 -> r.nextInt(F);
            case 2 -> F + r.nextInt(32) - 16;
            default -> r.nextInt(3 * F);
        };
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Collects emitted buffers, counting them. */
    static final class Sink implements Consumer<ByteBuffer> {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffers;

        @Override
        public void accept(ByteBuffer b) {
            buffers++;
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.writeBytes(a);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
