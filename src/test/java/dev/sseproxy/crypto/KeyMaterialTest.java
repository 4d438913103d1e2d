package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {

    @Test
    void printsAsRedacted() {
        try (KeyMaterial k = KeyMaterial.random()) {
            assertEquals("[redacted]", k.toString());
            assertEquals("key=[redacted]", "key=" + k);
        }
    }

    @Test
    void randomKeysAre32BytesAndDiffer() {
        try (KeyMaterial a = KeyMaterial.random(); KeyMaterial b = KeyMaterial.random()) {
            assertEquals(32, a.copyBytes().length);
            assertFalse(Arrays.equals(a.copyBytes(), b.copyBytes()));
        }
    }

    @Test
    void copiesAreIndependentOfTheKey() {
        byte[] raw = new byte[32];
        raw[0] = 7;
        KeyMaterial k = KeyMaterial.of(raw);
        raw[0] = 9;
        byte[] copy = k.copyBytes();
        assertEquals(7, copy[0]);
        copy[0] = 1;
        assertArrayEquals(new byte[] {7}, Arrays.copyOf(k.copyBytes(), 1));
    }

    @Test
    void closeWipesAndForbidsFurtherUse() throws Exception {
        KeyMaterial k = KeyMaterial.random();
        java.lang.reflect.Field f = KeyMaterial.class.getDeclaredField("bytes");
        f.setAccessible(true);
        byte[] inside = (byte[]) f.get(k);
        k.close();
        assertTrue(k.isClosed());
        assertArrayEquals(new byte[32], inside);
        assertThrows(IllegalStateException.class, k::copyBytes);
        assertThrows(IllegalStateException.class, () -> new FrameEncryptor(k, Frames.ID, 1, 0));
    }

    @Test
    void wrongLengthsAreRejectedWithoutEchoingBytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyMaterial.of(new byte[16]));
        assertEquals("key material must be 32 bytes", e.getMessage());
    }

    @Test
    void identityWithAnUnpairedSurrogateIsRejectedNotMangled() {
        assertThrows(IllegalArgumentException.class, () -> new ObjectIdentity("b", "bad\uD800key").encode());
    }
}
