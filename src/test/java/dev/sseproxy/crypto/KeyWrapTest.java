package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyWrapTest {
    static final KeyMaterial KEK = Frames.key(10);
    static final KeyMaterial KEY = Frames.key(11);
    static final ObjectIdentity ID = Frames.ID;
    static final byte[] AAD = Envelope.keyWrapAad(1, ID, Algorithm.AES256_GCM_64K, SseMode.SSE_KMS, WrappingScheme.BUCKET_KEY);

    @Test
    void wrappedKeyUnwrapsWithTheSameKekAndContext() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEY, AAD);
        assertEquals(KeyWrap.WRAPPED_LENGTH, wrapped.length);
        assertEquals(61, wrapped.length);
        try (KeyMaterial k = KeyWrap.unwrap(KEK, wrapped, AAD)) {
            assertArrayEquals(KEY.copyBytes(), k.copyBytes());
        }
    }

    @Test
    void wrappingUsesAFreshNonceEachTime() {
        assertFalse(Arrays.equals(KeyWrap.wrap(KEK, KEY, AAD), KeyWrap.wrap(KEK, KEY, AAD)));
    }

    @Test
    void wrongKekIsTampered() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEY, AAD);
        assertThrows(CryptoException.Tampered.class, () -> KeyWrap.unwrap(Frames.key(12), wrapped, AAD));
    }

    @Test
    void keyWrappedForAnotherObjectOrModeIsTampered() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEY, AAD);
        byte[] otherObject = Envelope.keyWrapAad(1, new ObjectIdentity("photos", "2024/dog.jpg"),
                Algorithm.AES256_GCM_64K, SseMode.SSE_KMS, WrappingScheme.BUCKET_KEY);
        byte[] otherMode = Envelope.keyWrapAad(1, ID, Algorithm.AES256_GCM_64K, SseMode.SSE_S3, WrappingScheme.BUCKET_KEY);
        assertThrows(CryptoException.Tampered.class, () -> KeyWrap.unwrap(KEK, wrapped, otherObject));
        assertThrows(CryptoException.Tampered.class, () -> KeyWrap.unwrap(KEK, wrapped, otherMode));
    }

    @Test
    void flippedByteAnywhereAfterTheVersionIsTampered() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEY, AAD);
        for (int i = 1; i < wrapped.length; i++) {
            byte[] w = wrapped.clone();
            w[i] ^= 1;
            assertThrows(CryptoException.Tampered.class, () -> KeyWrap.unwrap(KEK, w, AAD), "byte " + i);
        }
    }

    @Test
    void unknownVersionIsUnknownFormatAndWrongLengthIsTampered() {
        byte[] wrapped = KeyWrap.wrap(KEK, KEY, AAD);
        byte[] v2 = wrapped.clone();
        v2[0] = 2;
        assertThrows(CryptoException.UnknownFormat.class, () -> KeyWrap.unwrap(KEK, v2, AAD));
        assertThrows(CryptoException.UnknownFormat.class, () -> KeyWrap.unwrap(KEK, new byte[0], AAD));
        assertThrows(CryptoException.Tampered.class, () -> KeyWrap.unwrap(KEK, Arrays.copyOf(wrapped, 60), AAD));
    }
}
