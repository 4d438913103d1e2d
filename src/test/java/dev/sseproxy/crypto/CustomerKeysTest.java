package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * SSE-C verifier and KEK. The known answers were computed outside this code base, with Python's
 * {@code hmac} module, from the layout in package-info.java alone:
 * {@code salt + hmac.new(key, b"sse-proxy/ssec-verifier/v1" + salt, sha256).digest()}.
 */
class CustomerKeysTest {
    static final HexFormat HEX = HexFormat.of();
    static final KeyMaterial CUSTOMER_KEY = KnownAnswerTest.key(0);
    static final byte[] SALT = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

    @Test
    void verifierHasKnownBytes() {
        byte[] v = CustomerKeys.verifier(CUSTOMER_KEY, SALT);
        assertEquals(48, v.length);
        assertEquals("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
                + "6afc1531e4adb1aac90998cb41089e3126918ed813540ab80a023a33064bd3a8", HEX.formatHex(v));
    }

    @Test
    void kekHasKnownBytes() {
        try (KeyMaterial kek = CustomerKeys.kek(CUSTOMER_KEY, CustomerKeys.verifier(CUSTOMER_KEY, SALT))) {
            assertEquals("22e49acabd23a181e57b6768fa13e8de7f75869fb2552ae5600f6dff21a22348", HEX.formatHex(kek.copyBytes()));
        }
    }

    @Test
    void theKeyThatMadeTheVerifierMatchesIt() {
        byte[] v = CustomerKeys.verifier(CUSTOMER_KEY, CustomerKeys.newSalt());
        assertTrue(CustomerKeys.matches(KnownAnswerTest.key(0), v));
    }

    @Test
    void wrongKeyDoesNotMatch() {
        byte[] v = CustomerKeys.verifier(CUSTOMER_KEY, SALT);
        assertFalse(CustomerKeys.matches(KnownAnswerTest.key(1), v));
    }

    @Test
    void alteredVerifierDoesNotMatch() {
        byte[] v = CustomerKeys.verifier(CUSTOMER_KEY, SALT);
        for (int i = 0; i < v.length; i++) {
            byte[] w = v.clone();
            w[i] ^= 1;
            assertFalse(CustomerKeys.matches(CUSTOMER_KEY, w), "byte " + i);
        }
    }

    @Test
    void malformedVerifierMatchesNothingAndDoesNotThrow() {
        byte[] v = CustomerKeys.verifier(CUSTOMER_KEY, SALT);
        assertFalse(CustomerKeys.matches(CUSTOMER_KEY, null));
        assertFalse(CustomerKeys.matches(CUSTOMER_KEY, new byte[0]));
        assertFalse(CustomerKeys.matches(CUSTOMER_KEY, Arrays.copyOf(v, 16)));
        assertFalse(CustomerKeys.matches(CUSTOMER_KEY, Arrays.copyOf(v, 47)));
        assertFalse(CustomerKeys.matches(CUSTOMER_KEY, Arrays.copyOf(v, 49)));
    }

    @Test
    void saltsAreFreshAnd16Bytes() {
        byte[] a = CustomerKeys.newSalt();
        assertEquals(16, a.length);
        assertFalse(Arrays.equals(a, CustomerKeys.newSalt()));
    }

    @Test
    void oneKeyGivesDifferentVerifiersAndKeksUnderDifferentSalts() {
        byte[] v1 = CustomerKeys.verifier(CUSTOMER_KEY, SALT);
        byte[] v2 = CustomerKeys.verifier(CUSTOMER_KEY, CustomerKeys.newSalt());
        assertFalse(Arrays.equals(Arrays.copyOfRange(v1, 16, 48), Arrays.copyOfRange(v2, 16, 48)));
        try (KeyMaterial k1 = CustomerKeys.kek(CUSTOMER_KEY, v1); KeyMaterial k2 = CustomerKeys.kek(CUSTOMER_KEY, v2)) {
            assertFalse(Arrays.equals(k1.copyBytes(), k2.copyBytes()));
        }
    }

    @Test
    void kekIsNotTheVerifiersMac() {
        byte[] v = CustomerKeys.verifier(CUSTOMER_KEY, SALT);
        try (KeyMaterial kek = CustomerKeys.kek(CUSTOMER_KEY, v)) {
            assertFalse(Arrays.equals(kek.copyBytes(), Arrays.copyOfRange(v, 16, 48)));
            assertFalse(Arrays.equals(kek.copyBytes(), CUSTOMER_KEY.copyBytes()));
        }
    }

    @Test
    void objectKeyWrappedUnderTheKekOpensOnlyWithTheRightCustomerKey() {
        byte[] aad = Envelope.keyWrapAad(Envelope.VERSION, Frames.ID, Algorithm.AES256_GCM_64K, SseMode.SSE_C, WrappingScheme.SSE_C_DERIVED);
        byte[] v = CustomerKeys.verifier(CUSTOMER_KEY, CustomerKeys.newSalt());
        byte[] wrapped;
        try (KeyMaterial kek = CustomerKeys.kek(CUSTOMER_KEY, v); KeyMaterial objectKey = Frames.key(3)) {
            wrapped = KeyWrap.wrap(kek, objectKey, aad);
        }
        try (KeyMaterial kek = CustomerKeys.kek(KnownAnswerTest.key(0), v); KeyMaterial k = KeyWrap.unwrap(kek, wrapped, aad)) {
            assertArrayEquals(Frames.key(3).copyBytes(), k.copyBytes());
        }
        try (KeyMaterial wrongKek = CustomerKeys.kek(KnownAnswerTest.key(1), v)) {
            assertThrows(CryptoException.Tampered.class, () -> KeyWrap.unwrap(wrongKek, wrapped, aad));
        }
    }

    @Test
    void badLengthsAreRejectedWithoutEchoingBytes() {
        IllegalArgumentException salt = assertThrows(IllegalArgumentException.class,
                () -> CustomerKeys.verifier(CUSTOMER_KEY, new byte[15]));
        assertEquals("SSE-C salt must be 16 bytes", salt.getMessage());
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> CustomerKeys.kek(CUSTOMER_KEY, new byte[47]));
        assertEquals("SSE-C verifier must be 48 bytes", v.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CustomerKeys.kek(CUSTOMER_KEY, null));
    }

    @Test
    void closedKeyIsRefused() {
        KeyMaterial k = KeyMaterial.random();
        k.close();
        assertThrows(IllegalStateException.class, () -> CustomerKeys.verifier(k, SALT));
    }

    @Test
    void verifierDoesNotAliasTheSalt() {
        byte[] salt = SALT.clone();
        byte[] v = CustomerKeys.verifier(CUSTOMER_KEY, salt);
        salt[0] = 0;
        assertNotEquals(0, v[0]);
    }
}
