package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KmsClient} adapter owes its callers. Subclasses provide the adapter:
 * {@code LocalKmsContractTest}, {@code VaultTransitKmsContractTest} (the Transit test server) and
 * {@code RealVaultKmsContractTest} (a real Vault/OpenBao, when VAULT_ADDR and VAULT_TOKEN are set).
 */
abstract class KmsContractTest {
    static final Map<String, String> CTX = Map.of("aws:s3:arn", "arn:aws:s3:::bucket-a/object");

    /** The adapter under test; the same instance for the whole test method. */
    protected abstract KmsClient kms();

    /** A key name no other test uses. */
    protected String freshKeyName() {
        return "contract-" + UUID.randomUUID();
    }

    protected KeyRef newKey() {
        String name = freshKeyName();
        KeyInfo info = await(kms().createKey(name));
        assertEquals(new KeyInfo(name, 1, 1), info);
        return KeyRef.of(name);
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(20));
    }

    static <E extends Throwable> E fails(Class<E> type, Uni<?> uni) {
        return assertThrows(type, () -> await(uni));
    }

    /** The ciphertext with one base64 character of its payload changed. */
    static byte[] tampered(byte[] ciphertext) {
        String s = new String(ciphertext, StandardCharsets.US_ASCII);
        int i = s.lastIndexOf(':') + 10;
        char c = s.charAt(i);
        return (s.substring(0, i) + (c == 'A' ? 'B' : 'A') + s.substring(i + 1)).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void generatedDataKeyDecryptsBackToItsPlaintext() {
        KeyRef key = newKey();
        try (DataKey dk = await(kms().generateDataKey(key, CTX))) {
            assertEquals(32, dk.plaintext().length());
            assertEquals(1, dk.keyVersion());
            assertFalse(new String(dk.ciphertext(), StandardCharsets.ISO_8859_1)
                    .contains(new String(dk.plaintext().bytes(), StandardCharsets.ISO_8859_1)));
            try (Plaintext back = await(kms().decrypt(key, dk.ciphertext(), CTX))) {
                assertArrayEquals(dk.plaintext().bytes(), back.bytes());
            }
        }
    }

    @Test
    void everyDataKeyIsFresh() {
        KeyRef key = newKey();
        try (DataKey a = await(kms().generateDataKey(key, CTX)); DataKey b = await(kms().generateDataKey(key, CTX))) {
            assertFalse(java.util.Arrays.equals(a.plaintext().bytes(), b.plaintext().bytes()));
            assertFalse(java.util.Arrays.equals(a.ciphertext(), b.ciphertext()));
        }
    }

    @Test
    void encryptThenDecryptWithTheSameContextReturnsThePlaintext() {
        KeyRef key = newKey();
        byte[] secret = "account secret 1234".getBytes(StandardCharsets.UTF_8);
        Wrapped w = await(kms().encrypt(key, secret, CTX));
        assertEquals(1, w.keyVersion());
        try (Plaintext p = await(kms().decrypt(key, w.ciphertext(), CTX))) {
            assertArrayEquals(secret, p.bytes());
        }
    }

    @Test
    void contextEntriesInAnotherOrderStillDecrypt() {
        KeyRef key = newKey();
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        Wrapped w = await(kms().encrypt(key, new byte[] {7, 7, 7}, ab));
        try (Plaintext p = await(kms().decrypt(key, w.ciphertext(), ba))) {
            assertArrayEquals(new byte[] {7, 7, 7}, p.bytes());
        }
    }

    @Test
    void decryptWithAnotherContextIsInvalidCiphertext() {
        KeyRef key = newKey();
        try (DataKey dk = await(kms().generateDataKey(key, CTX))) {
            fails(KmsException.InvalidCiphertext.class,
                    kms().decrypt(key, dk.ciphertext(), Map.of("aws:s3:arn", "arn:aws:s3:::bucket-b/object")));
            fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, dk.ciphertext(), Map.of()));
        }
    }

    @Test
    void ciphertextMadeWithoutContextNeedsTheEmptyContext() {
        KeyRef key = newKey();
        Wrapped w = await(kms().encrypt(key, new byte[] {1}, Map.of()));
        fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, w.ciphertext(), CTX));
        try (Plaintext p = await(kms().decrypt(key, w.ciphertext(), Map.of()))) {
            assertArrayEquals(new byte[] {1}, p.bytes());
        }
    }

    @Test
    void tamperedCiphertextIsInvalidCiphertext() {
        KeyRef key = newKey();
        try (DataKey dk = await(kms().generateDataKey(key, CTX))) {
            fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, tampered(dk.ciphertext()), CTX));
        }
    }

    @Test
    void truncatedOrForeignBytesAreInvalidCiphertext() {
        KeyRef key = newKey();
        try (DataKey dk = await(kms().generateDataKey(key, CTX))) {
            byte[] ct = dk.ciphertext();
            fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, java.util.Arrays.copyOf(ct, ct.length - 8), CTX));
            fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, "not a ciphertext".getBytes(), CTX));
            fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, new byte[0], CTX));
        }
    }

    @Test
    void ciphertextOfAnotherKeyDoesNotDecrypt() {
        KeyRef one = newKey();
        KeyRef other = newKey();
        try (DataKey dk = await(kms().generateDataKey(one, CTX))) {
            fails(KmsException.InvalidCiphertext.class, kms().decrypt(other, dk.ciphertext(), CTX));
        }
    }

    @Test
    void unknownKeyIsNotFound() {
        KeyRef missing = KeyRef.of(freshKeyName());
        fails(KmsException.NotFound.class, kms().generateDataKey(missing, CTX));
        fails(KmsException.NotFound.class, kms().encrypt(missing, new byte[] {1}, CTX));
        fails(KmsException.NotFound.class, kms().keyInfo(missing.name()));
        fails(KmsException.NotFound.class, kms().rotateKey(missing.name()));
    }

    @Test
    void createKeyIsIdempotent() {
        KeyRef key = newKey();
        await(kms().rotateKey(key.name()));
        assertEquals(new KeyInfo(key.name(), 2, 1), await(kms().createKey(key.name())));
    }

    @Test
    void afterRotationNewDataKeysCarryTheNewVersionAndOldCiphertextsStillDecrypt() {
        KeyRef key = newKey();
        try (DataKey v1 = await(kms().generateDataKey(key, CTX))) {
            assertEquals(new KeyInfo(key.name(), 2, 1), await(kms().rotateKey(key.name())));
            try (DataKey v2 = await(kms().generateDataKey(key, CTX))) {
                assertEquals(2, v2.keyVersion());
                assertEquals(2, await(kms().encrypt(key, new byte[] {1}, CTX)).keyVersion());
                try (Plaintext p1 = await(kms().decrypt(key, v1.ciphertext(), CTX));
                        Plaintext p2 = await(kms().decrypt(key, v2.ciphertext(), CTX))) {
                    assertArrayEquals(v1.plaintext().bytes(), p1.bytes());
                    assertArrayEquals(v2.plaintext().bytes(), p2.bytes());
                }
            }
        }
    }

    @Test
    void ciphertextRelabelledWithAnotherVersionIsInvalidCiphertext() {
        KeyRef key = newKey();
        await(kms().rotateKey(key.name()));
        try (DataKey v2 = await(kms().generateDataKey(key, CTX))) {
            byte[] relabelled = new String(v2.ciphertext(), StandardCharsets.US_ASCII).replaceFirst(":v2:", ":v1:")
                    .getBytes(StandardCharsets.US_ASCII);
            assertNotEquals(new String(v2.ciphertext()), new String(relabelled));
            fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, relabelled, CTX));
        }
    }

    @Test
    void rewrapMovesACiphertextToTheLatestVersion() {
        KeyRef key = newKey();
        byte[] secret = {9, 8, 7, 6};
        Wrapped v1 = await(kms().encrypt(key, secret, CTX));
        await(kms().rotateKey(key.name()));
        await(kms().rotateKey(key.name()));
        Wrapped v3 = await(kms().rewrap(key, v1.ciphertext(), CTX));
        assertEquals(3, v3.keyVersion());
        assertFalse(java.util.Arrays.equals(v1.ciphertext(), v3.ciphertext()));
        try (Plaintext p = await(kms().decrypt(key, v3.ciphertext(), CTX))) {
            assertArrayEquals(secret, p.bytes());
        }
    }

    @Test
    void rewrapChecksTheContextAndTheCiphertext() {
        KeyRef key = newKey();
        Wrapped w = await(kms().encrypt(key, new byte[] {5}, CTX));
        fails(KmsException.InvalidCiphertext.class, kms().rewrap(key, w.ciphertext(), Map.of("other", "ctx")));
        fails(KmsException.InvalidCiphertext.class, kms().rewrap(key, tampered(w.ciphertext()), CTX));
    }

    @Test
    void keyInfoReflectsRotationAndRetiredVersions() {
        KeyRef key = newKey();
        assertEquals(new KeyInfo(key.name(), 1, 1), await(kms().keyInfo(key.name())));
        await(kms().rotateKey(key.name()));
        await(kms().rotateKey(key.name()));
        assertEquals(new KeyInfo(key.name(), 3, 1), await(kms().keyInfo(key.name())));
        assertEquals(new KeyInfo(key.name(), 3, 2), await(kms().setMinDecryptionVersion(key.name(), 2)));
        assertEquals(new KeyInfo(key.name(), 3, 2), await(kms().keyInfo(key.name())));
    }

    @Test
    void ciphertextOfARetiredVersionNoLongerDecryptsButItsRewrapDoes() {
        KeyRef key = newKey();
        Wrapped v1 = await(kms().encrypt(key, new byte[] {4, 2}, CTX));
        await(kms().rotateKey(key.name()));
        Wrapped v2 = await(kms().rewrap(key, v1.ciphertext(), CTX));
        await(kms().setMinDecryptionVersion(key.name(), 2));
        fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, v1.ciphertext(), CTX));
        try (Plaintext p = await(kms().decrypt(key, v2.ciphertext(), CTX))) {
            assertArrayEquals(new byte[] {4, 2}, p.bytes());
        }
    }

    @Test
    void failuresNameTheKeyButNeverTheSecret() {
        KeyRef key = newKey();
        try (DataKey dk = await(kms().generateDataKey(key, CTX))) {
            String b64 = java.util.Base64.getEncoder().encodeToString(dk.plaintext().bytes());
            KmsException e = fails(KmsException.InvalidCiphertext.class, kms().decrypt(key, tampered(dk.ciphertext()), CTX));
            assertTrue(e.getMessage().contains(key.name()), e.getMessage());
            assertFalse(e.getMessage().contains(b64));
            assertFalse(e.getMessage().contains(new String(dk.ciphertext(), StandardCharsets.US_ASCII)));
        }
    }
}
