package dev.sseproxy.kms.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.KeyInfo;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.Plaintext;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A keystore file of format v1 moves into the shared keystore at start, once, and is never deleted. */
class KeystoreMigrationTest {
    static final Map<String, String> CTX = Map.of("aws:s3:arn", "arn:aws:s3:::b/k");
    final SecureRandom random = new SecureRandom();
    final byte[] master = bytes(32);
    final PgTestKeystore db = new PgTestKeystore();
    final ExecutorService workers = Executors.newFixedThreadPool(2);

    @TempDir
    Path dataDir;

    @AfterEach
    void close() {
        workers.shutdownNow();
        db.close();
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    Path file() {
        return LocalKeystore.defaultPath(dataDir.toString());
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    /** Two keys as an older sse-proxy kept them: "alpha" rotated once with version 1 retired, "beta" at version 1. */
    Keyring oldKeys() {
        LocalKey alpha = new LocalKey("alpha", List.of(new KeyVersion(1, 1_700_000_000L, bytes(32)),
                new KeyVersion(2, 1_700_000_100L, bytes(32))), 2);
        LocalKey beta = LocalKey.create("beta", new KeyVersion(1, 1_700_000_200L, bytes(32)));
        return Keyring.EMPTY.with(alpha).with(beta);
    }

    LocalKmsClient start() {
        return db.start(master, file(), workers, Clock.systemUTC());
    }

    void assertOpens(LocalKmsClient kms, LocalKey key, int version) {
        byte[] ct = LocalCiphertext.seal(key.version(version), key.name(), CTX, new byte[] {4, 2}, random);
        try (Plaintext p = await(kms.decrypt(KeyRef.of(key.name()), ct, CTX))) {
            assertArrayEquals(new byte[] {4, 2}, p.bytes());
        }
    }

    List<Path> kmsDir() throws IOException {
        try (Stream<Path> s = Files.list(file().getParent())) {
            return s.toList();
        }
    }

    @Test
    void theFileMovesIntoTheDatabaseAndIsRenamedNotDeleted() throws IOException {
        Keyring ring = oldKeys();
        new LocalKeystore(file(), master).save(ring);
        byte[] original = Files.readAllBytes(file());

        LocalKmsClient kms = start();
        assertEquals(new KeyInfo("alpha", 2, 2), await(kms.keyInfo("alpha")));
        assertEquals(new KeyInfo("beta", 1, 1), await(kms.keyInfo("beta")));
        assertOpens(kms, ring.keys().get("alpha"), 2);
        assertOpens(kms, ring.keys().get("beta"), 1);
        assertFalse(Files.exists(file()));
        List<Path> left = kmsDir();
        assertEquals(1, left.size(), left::toString);
        assertTrue(left.get(0).getFileName().toString().matches("keystore\\.migrated-\\d{8}T\\d{6}Z"), left::toString);
        assertArrayEquals(original, Files.readAllBytes(left.get(0)));

        LocalKmsClient again = start(); // no file: nothing to do
        assertOpens(again, ring.keys().get("alpha"), 2);
        assertEquals(1, kmsDir().size());
    }

    @Test
    void theSameFileAgainChangesNothingAndANewerDatabaseKeyIsKept() throws IOException {
        Keyring ring = oldKeys();
        new LocalKeystore(file(), master).save(ring);
        LocalKmsClient first = start();
        await(first.rotateKey("beta"));

        new LocalKeystore(file(), master).save(ring); // e.g. restored from a backup
        LocalKmsClient second = start();
        assertEquals(new KeyInfo("beta", 2, 1), await(second.keyInfo("beta")));
        assertOpens(second, ring.keys().get("beta"), 1);
        List<Path> left = kmsDir();
        assertEquals(2, left.size(), left::toString);
    }

    @Test
    void aKeyOfTheSameNameWithOtherMaterialStopsTheStartAndLeavesTheFile() throws IOException {
        LocalKmsClient other = start();
        await(other.createKey("beta")); // another node made its own "beta"
        Keyring ring = oldKeys();
        new LocalKeystore(file(), master).save(ring);

        KeystoreException e = assertThrows(KeystoreException.class, this::start);
        assertTrue(e.getMessage().contains("key 'beta' version 1"), e.getMessage());
        assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
        assertTrue(Files.exists(file()));
        assertEquals(new KeyInfo("beta", 1, 1), await(other.keyInfo("beta")));
        assertThrows(KmsException.InvalidCiphertext.class, () -> assertOpens(other, ring.keys().get("beta"), 1));
    }

    @Test
    void aFileUnderAnotherMasterKeyStopsTheStartBeforeAnythingIsRecorded() {
        new LocalKeystore(file(), bytes(32)).save(oldKeys());
        KeystoreException e = assertThrows(KeystoreException.class, this::start);
        assertTrue(e.getMessage().contains("does not open with the configured master key"), e.getMessage());
        assertTrue(Files.exists(file()));
        assertEquals("0", db.pool().query("SELECT count(*) FROM kms_local_master_key_check").execute().await().indefinitely()
                .iterator().next().getValue(0).toString());
    }
}
