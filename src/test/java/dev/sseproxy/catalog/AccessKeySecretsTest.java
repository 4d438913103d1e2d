package dev.sseproxy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.crypto.SecretSealer;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.local.PgTestKeystore;
import dev.sseproxy.kms.local.LocalKmsClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Access-key secrets sealed by the (local) KMS, bound to access key id and account; legacy rows. */
class AccessKeySecretsTest {
    static final KeyRef KEY = KeyRef.of("sse-proxy-secrets");
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    final PgTestKeystore keystore = new PgTestKeystore();

    @AfterEach
    void closeKeystore() {
        keystore.close();
    }
    final byte[] masterKey = random32();

    static byte[] random32() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** A proxy start: opens the keystore under the data dir, as KmsClientProducer does. */
    LocalKmsClient startKms() {
        return keystore.start(masterKey, Runnable::run, Clock.systemUTC());
    }

    AccessKeySecrets secrets(LocalKmsClient kms) {
        return new AccessKeySecrets(kms, KEY, masterKey::clone);
    }

    @Test
    void sealedSecretOpensForItsAccessKeyAndAccount() {
        AccessKeySecrets s = secrets(startKms());
        s.ensureKey().await().indefinitely();
        byte[] stored = s.seal("AKID1", "000000000042", SECRET).await().indefinitely();
        assertEquals(AccessKeySecrets.KMS_SEALED, stored[0]);
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("EXAMPLEKEY"));
        assertFalse(AccessKeySecrets.isLegacy(stored));
        assertEquals(SECRET, s.open("AKID1", "000000000042", stored).await().indefinitely());
    }

    @Test
    void sealedSecretMovedToAnotherKeyOrAccountDoesNotOpen() {
        AccessKeySecrets s = secrets(startKms());
        s.ensureKey().await().indefinitely();
        byte[] stored = s.seal("AKID1", "000000000042", SECRET).await().indefinitely();
        assertThrows(KmsException.InvalidCiphertext.class, () -> s.open("AKID2", "000000000042", stored).await().indefinitely());
        assertThrows(KmsException.InvalidCiphertext.class, () -> s.open("AKID1", "000000000043", stored).await().indefinitely());
        byte[] flipped = stored.clone();
        flipped[flipped.length - 3] ^= 1;
        assertThrows(KmsException.InvalidCiphertext.class, () -> s.open("AKID1", "000000000042", flipped).await().indefinitely());
    }

    @Test
    void ensureKeyIsIdempotentAndSecretsSurviveARestart() {
        AccessKeySecrets first = secrets(startKms());
        first.ensureKey().await().indefinitely();
        byte[] stored = first.seal("AKID1", "000000000001", SECRET).await().indefinitely();
        first.ensureKey().await().indefinitely();

        LocalKmsClient restarted = startKms();
        AccessKeySecrets second = secrets(restarted);
        second.ensureKey().await().indefinitely();
        assertEquals(1, restarted.keyInfo(KEY.name()).await().indefinitely().latestVersion());
        assertEquals(SECRET, second.open("AKID1", "000000000001", stored).await().indefinitely());
    }

    @Test
    void withoutEnsureKeySealingFailsAsNotFound() {
        AccessKeySecrets s = secrets(startKms());
        assertThrows(KmsException.NotFound.class, () -> s.seal("AKID1", "000000000001", SECRET).await().indefinitely());
    }

    @Test
    void legacyRowOpensOnlyThroughTheMigrationPath() {
        AccessKeySecrets s = secrets(startKms());
        byte[] legacy = new SecretSealer(masterKey).seal(SECRET.getBytes(StandardCharsets.UTF_8),
                "AKID1".getBytes(StandardCharsets.UTF_8));
        assertTrue(AccessKeySecrets.isLegacy(legacy));
        assertEquals(SECRET, s.openLegacy("AKID1", legacy));
        assertThrows(CryptoException.Tampered.class, () -> s.openLegacy("AKID2", legacy));
        assertThrows(CryptoException.UnknownFormat.class, () -> s.open("AKID1", "000000000001", legacy).await().indefinitely());
    }

    @Test
    void unknownLeadingByteIsUnknownFormat() {
        AccessKeySecrets s = secrets(startKms());
        s.ensureKey().await().indefinitely();
        byte[] stored = s.seal("AKID1", "000000000001", SECRET).await().indefinitely();
        byte[] v3 = stored.clone();
        v3[0] = 3;
        assertThrows(CryptoException.UnknownFormat.class, () -> s.open("AKID1", "000000000001", v3).await().indefinitely());
        assertThrows(CryptoException.UnknownFormat.class,
                () -> s.open("AKID1", "000000000001", new byte[0]).await().indefinitely());
        assertThrows(CryptoException.UnknownFormat.class,
                () -> s.open("AKID1", "000000000001", Arrays.copyOf(stored, 1)).await().indefinitely());
    }

    @Test
    void contextNamesUseAccessKeyAndAccount() {
        assertEquals(java.util.Map.of("sse-proxy:use", "access-key-secret", "access-key-id", "AKID1",
                "account-id", "000000000001"), AccessKeySecrets.context("AKID1", "000000000001"));
    }
}
