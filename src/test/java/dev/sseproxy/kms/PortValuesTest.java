package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortValuesTest {

    @Test
    void plaintextIsWipedOnCloseAndPrintsRedacted() {
        byte[] secret = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        Plaintext p = Plaintext.copyOf(secret);
        assertEquals("[redacted]", p.toString());
        byte[] live = p.bytes();
        assertArrayEquals(secret, live);
        p.close();
        assertArrayEquals(new byte[32], live);
        assertTrue(p.isClosed());
        assertThrows(IllegalStateException.class, p::bytes);
    }

    @Test
    void dataKeyPrintsNoKeyMaterialAndWipesOnClose() {
        byte[] key = new byte[32];
        key[0] = 0x5a;
        DataKey dk = new DataKey(Plaintext.wrap(key), new byte[] {1, 2, 3}, 2);
        assertEquals("DataKey[plaintext=[redacted], ciphertext=3 bytes, keyVersion=2]", dk.toString());
        assertEquals(2, dk.wrapped().keyVersion());
        dk.close();
        assertEquals(0, key[0]);
    }

    @Test
    void dataKeyMustBe256Bits() {
        assertThrows(IllegalArgumentException.class, () -> new DataKey(Plaintext.wrap(new byte[16]), new byte[1], 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse-proxy-sse-s3", "a", "key_1.v2", "A-Z_0"})
    void transitStyleNamesAreAccepted(String name) {
        assertEquals(name, KeyRef.of(name).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../sys/seal", "a/b", "-a", "a-", "a b", "k?x", ".hidden", "ключ"})
    void namesThatCouldLeaveTheirPathSegmentAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> KeyRef.of(name));
    }

    @Test
    void keyInfoRejectsAMinimumAboveTheLatestVersion() {
        assertThrows(IllegalArgumentException.class, () -> new KeyInfo("k", 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new KeyInfo("k", 1, 0));
    }
}
