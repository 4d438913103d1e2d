package dev.sseproxy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretSealerTest {
    static final byte[] KEY = new byte[32];
    static final byte[] AAD = "AKIDEXAMPLE".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealedSecretOpensWithTheSameKeyAndOwner() {
        SecretSealer s = new SecretSealer(KEY);
        byte[] secret = "wJalrXUtnFEMI/K7MDENG".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(secret, s.open(s.seal(secret, AAD), AAD));
    }

    @Test
    void flippedByteOrOtherOwnerOrOtherKeyIsTampered() {
        SecretSealer s = new SecretSealer(KEY);
        byte[] sealed = s.seal("secret".getBytes(StandardCharsets.UTF_8), AAD);
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThrows(CryptoException.Tampered.class, () -> s.open(flipped, AAD));
        assertThrows(CryptoException.Tampered.class, () -> s.open(sealed, "OTHER".getBytes(StandardCharsets.UTF_8)));
        byte[] other = new byte[32];
        other[0] = 1;
        assertThrows(CryptoException.Tampered.class, () -> new SecretSealer(other).open(sealed, AAD));
    }

    @Test
    void unknownVersionIsRejected() {
        SecretSealer s = new SecretSealer(KEY);
        byte[] sealed = s.seal("secret".getBytes(StandardCharsets.UTF_8), AAD);
        sealed[0] = 2;
        assertThrows(CryptoException.UnknownFormat.class, () -> s.open(sealed, AAD));
    }
}
