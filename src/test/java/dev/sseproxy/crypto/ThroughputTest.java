package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Prints single-thread throughput; asserts only that the bytes went through, never a timing. */
class ThroughputTest {
    static final int CHUNK = 1 << 20;
    static final int MIB = 64;

    @Test
    void encryptAndDecryptThroughputIsPrinted() {
        KeyMaterial key = Frames.key(4);
        byte[] chunk = Frames.plaintext(CHUNK, 4);
        byte[] ciphertext = Frames.encrypt(key, Frames.ID, 1, chunk);
        run(key, chunk, ciphertext, 64);
        long bestEncrypt = Long.MAX_VALUE;
        long bestDecrypt = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long[] nanos = run(key, chunk, ciphertext, MIB);
            bestEncrypt = Math.min(bestEncrypt, nanos[0]);
            bestDecrypt = Math.min(bestDecrypt, nanos[1]);
        }
        System.out.printf("crypto throughput (1 thread, best of 5 x %d MiB, 64 KiB frames): encrypt %.0f MiB/s, decrypt %.0f MiB/s%n",
                MIB, MIB / (bestEncrypt / 1e9), MIB / (bestDecrypt / 1e9));
    }

    /** Encrypts {@code mib} MiB as one stream, then decrypts one part's ciphertext {@code mib} times. */
    private static long[] run(KeyMaterial key, byte[] chunk, byte[] ciphertext, int mib) {
        long[] out = new long[1];
        long t0 = System.nanoTime();
        FrameEncryptor enc = new FrameEncryptor(key, Frames.ID, 1, (long) mib * CHUNK);
        for (int i = 0; i < mib; i++) {
            enc.update(ByteBuffer.wrap(chunk), b -> out[0] += b.remaining());
        }
        enc.finish(b -> out[0] += b.remaining());
        long t1 = System.nanoTime();
        assertEquals(FrameFormat.ciphertextLength((long) mib * CHUNK), out[0]);
        long[] plain = new long[1];
        for (int i = 0; i < mib; i++) {
            FrameDecryptor dec = new FrameDecryptor(key, Frames.ID, 1, 0, CHUNK);
            dec.update(ByteBuffer.wrap(ciphertext), b -> plain[0] += b.remaining());
            dec.finish();
        }
        long t2 = System.nanoTime();
        assertEquals((long) mib * CHUNK, plain[0]);
        return new long[] {t1 - t0, t2 - t1};
    }
}
