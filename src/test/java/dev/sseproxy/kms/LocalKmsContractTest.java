package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.local.KeystoreException;
import dev.sseproxy.kms.local.LocalKmsClient;
import dev.sseproxy.kms.local.PgTestKeystore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract suite against the local KMS (keystore in a real PostgreSQL), plus what only its keystore can get wrong. */
class LocalKmsContractTest extends KmsContractTest {
    private final byte[] masterKey = random32();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private ExecutorService workers;
    private PgTestKeystore db;
    private LocalKmsClient kms;

    @BeforeEach
    void open() {
        workers = Executors.newFixedThreadPool(2);
        db = new PgTestKeystore();
        kms = openWith(masterKey);
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
        db.close();
    }

    @Override
    protected KmsClient kms() {
        return kms;
    }

    private LocalKmsClient openWith(byte[] master) {
        return db.start(master, workers, clock);
    }

    private static byte[] random32() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void keysSurviveARestart() {
        KeyRef key = newKey();
        await(kms.rotateKey(key.name()));
        Wrapped w = await(kms.encrypt(key, new byte[] {3, 1, 4}, CTX));

        LocalKmsClient restarted = openWith(masterKey);
        assertEquals(new KeyInfo(key.name(), 2, 1), await(restarted.keyInfo(key.name())));
        try (Plaintext p = await(restarted.decrypt(key, w.ciphertext(), CTX))) {
            assertArrayEquals(new byte[] {3, 1, 4}, p.bytes());
        }
    }

    @Test
    void aNodeWithAnotherMasterKeyDoesNotStart() {
        newKey();
        KeystoreException e = assertThrows(KeystoreException.class, () -> openWith(random32()));
        assertTrue(e.getMessage().contains("is not the master key the local KMS keystore in PostgreSQL is sealed under"),
                e.getMessage());
        assertTrue(e.getMessage().contains("SSE_PROXY_MASTER_KEY"), e.getMessage());
    }

    @Test
    void aDamagedKeyVersionDoesNotOpen() {
        KeyRef key = newKey();
        db.sql("UPDATE kms_local_key_version SET sealed_material = overlay(sealed_material placing '\\x00'::bytea from 40) "
                + "WHERE key_name = '" + key.name() + "'");
        KeystoreException e = assertThrows(KeystoreException.class, () -> await(openWith(masterKey).keyInfo(key.name())));
        assertTrue(e.getMessage().contains("does not open"), e.getMessage());
    }

    @Test
    void aKeyVersionMovedToAnotherNumberOrNameDoesNotOpen() {
        KeyRef key = newKey();
        await(kms.rotateKey(key.name()));
        KeyRef other = newKey();
        db.sql("UPDATE kms_local_key_version SET sealed_material = (SELECT sealed_material FROM kms_local_key_version "
                + "WHERE key_name = '" + key.name() + "' AND version = 1) WHERE key_name = '" + key.name() + "' AND version = 2");
        db.sql("UPDATE kms_local_key_version SET sealed_material = (SELECT sealed_material FROM kms_local_key_version "
                + "WHERE key_name = '" + key.name() + "' AND version = 1) WHERE key_name = '" + other.name() + "'");
        LocalKmsClient restarted = openWith(masterKey);
        assertThrows(KeystoreException.class, () -> await(restarted.keyInfo(key.name())));
        assertThrows(KeystoreException.class, () -> await(restarted.keyInfo(other.name())));
    }

    @Test
    void keyMaterialIsSealedInTheDatabase() {
        KeyRef key = newKey();
        assertEquals("1|61|1", db.pool().query("SELECT count(*), min(length(sealed_material)), min(get_byte(sealed_material, 0)) "
                + "FROM kms_local_key_version WHERE key_name = '" + key.name() + "'").execute().await().indefinitely()
                .iterator().next().deepToString().replaceAll("[\\[\\] ]", "").replace(',', '|'));
    }

    @Test
    void ciphertextsAreVersionedLocalStrings() {
        KeyRef key = newKey();
        await(kms.rotateKey(key.name()));
        try (DataKey dk = await(kms.generateDataKey(key, CTX))) {
            assertTrue(new String(dk.ciphertext(), StandardCharsets.US_ASCII).matches("local:v2:[A-Za-z0-9+/]+=*"));
        }
    }
}
