package dev.sseproxy.crypto;

import static dev.sseproxy.crypto.FrameFormat.ciphertextLength;
import static dev.sseproxy.crypto.FrameFormat.plaintextLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameFormatTest {
    static final long F = FrameFormat.FRAME_SIZE;

    @Test
    void ciphertextLengthAddsOneTagPerFrameAndAnEmptyPartHasOneFrame() {
        assertEquals(16, ciphertextLength(0));
        assertEquals(17, ciphertextLength(1));
        assertEquals(F + 16, ciphertextLength(F - 1) + 1);
        assertEquals(F + 16, ciphertextLength(F));
        assertEquals(F + 1 + 32, ciphertextLength(F + 1));
        assertEquals(3 * F + 48, ciphertextLength(3 * F));
        assertEquals(5L * 1024 * 1024 * 1024 + 16 * 81_920, ciphertextLength(5L * 1024 * 1024 * 1024));
    }

    @Test
    void anExactMultipleOfTheFrameSizeEndsWithItsLastFullFrame() {
        assertEquals(2, FrameFormat.frameCount(2 * F));
        assertEquals(1, FrameFormat.finalFrameIndex(2 * F));
        assertEquals((int) F, FrameFormat.framePlaintextSize(2 * F, 1));
        assertEquals(1, FrameFormat.framePlaintextSize(2 * F + 1, 2));
    }

    @Test
    void plaintextLengthInvertsCiphertextLengthAroundEveryFrameEdge() {
        for (long frames = 0; frames < 5; frames++) {
            for (long d = -2; d <= 2; d++) {
                long n = Math.max(0, frames * F + d);
                assertEquals(n, plaintextLength(ciphertextLength(n)), "n=" + n);
            }
        }
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long n = (long) (r.nextDouble() * (1L << 40));
            assertEquals(n, plaintextLength(ciphertextLength(n)), "n=" + n);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 15, 65_553, 65_552 + 10, 65_552 + 16, 2 * 65_552 + 5})
    void lengthsNoPlaintextEncryptsToAreTampered(long ciphertextLength) {
        assertThrows(CryptoException.Tampered.class, () -> plaintextLength(ciphertextLength));
    }

    @Test
    void everyCiphertextLengthIsEitherExactlyOneImageOrRejected() {
        long valid = 0;
        for (long c = 0; c <= 3 * (F + 16) + 40; c++) {
            try {
                long n = plaintextLength(c);
                assertEquals(c, ciphertextLength(n));
                valid++;
            } catch (CryptoException.Tampered expected) {
                // impossible length
            }
        }
        assertEquals(3 * F + 40 - 16 + 1, valid, "one valid ciphertext length per plaintext length");
    }

    @Test
    void nonceIsPartNumberThenFrameIndexBigEndian() {
        assertEquals("00000007" + "0000000000000102", java.util.HexFormat.of().formatHex(FrameFormat.nonce(7, 258)));
    }

    @Test
    void negativeOrHugeLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ciphertextLength(-1));
        assertThrows(IllegalArgumentException.class, () -> ciphertextLength(Long.MAX_VALUE));
    }
}
