package dev.sseproxy.kms.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.catalog.LocalKeystoreRows;
import dev.sseproxy.kms.KeyInfo;
import dev.sseproxy.kms.KeyRef;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.kms.Plaintext;
import dev.sseproxy.kms.Wrapped;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two nodes (two clients on one real PostgreSQL keystore, one master key) share keys and lose no version. */
class SharedKeystoreTest {
    static final Map<String, String> CTX = Map.of("k", "v");

    final byte[] master = random32();
    final PgTestKeystore db = new PgTestKeystore();
    final ExecutorService workers = Executors.newFixedThreadPool(4);
    final AtomicLong nanosB = new AtomicLong();
    final LocalKmsClient a = db.start(master, workers, Clock.systemUTC());
    final LocalKmsClient b = new LocalKmsClient(new SharedKeystore(new LocalKeystoreRows(db.pool()), master), workers, Clock.systemUTC(), nanosB::get);

    @AfterEach
    void close() {
        workers.shutdownNow();
        db.close();
    }

    static byte[] random32() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(30));
    }

    static String name() {
        return "shared-" + UUID.randomUUID();
    }

    static byte[] decrypt(LocalKmsClient kms, String key, Wrapped w) {
        try (Plaintext p = await(kms.decrypt(KeyRef.of(key), w.ciphertext(), CTX))) {
            return p.bytes().clone();
        }
    }

    @Test
    void aKeyCreatedOnOneNodeIsUsableAtOnceOnTheOtherAndAbsenceIsNotCached() {
        String key = name();
        assertThrows(KmsException.NotFound.class, () -> await(b.encrypt(KeyRef.of(key), new byte[] {1}, CTX)));
        await(a.createKey(key));
        Wrapped w = await(b.encrypt(KeyRef.of(key), new byte[] {1, 2}, CTX));
        assertArrayEquals(new byte[] {1, 2}, decrypt(a, key, w));
    }

    @Test
    void twoNodesCreatingOneKeyEndUpWithTheSameKey() {
        String key = name();
        CompletableFuture<KeyInfo> one = a.createKey(key).subscribeAsCompletionStage();
        CompletableFuture<KeyInfo> two = b.createKey(key).subscribeAsCompletionStage();
        assertEquals(new KeyInfo(key, 1, 1), one.join());
        assertEquals(new KeyInfo(key, 1, 1), two.join());
        assertArrayEquals(new byte[] {7}, decrypt(b, key, await(a.encrypt(KeyRef.of(key), new byte[] {7}, CTX))));
        assertArrayEquals(new byte[] {8}, decrypt(a, key, await(b.encrypt(KeyRef.of(key), new byte[] {8}, CTX))));
    }

    @Test
    void concurrentRotationsOnTwoNodesLoseNoVersion() {
        String key = name();
        await(a.createKey(key));
        List<CompletableFuture<KeyInfo>> rotations = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rotations.add(a.rotateKey(key).subscribeAsCompletionStage());
            rotations.add(b.rotateKey(key).subscribeAsCompletionStage());
        }
        rotations.forEach(CompletableFuture::join);
        assertEquals(new KeyInfo(key, 21, 1), await(a.keyInfo(key)));
        assertEquals(new KeyInfo(key, 21, 1), await(b.keyInfo(key)));
        assertEquals("21", db.pool().query("SELECT count(*) FROM kms_local_key_version WHERE key_name = '" + key + "'")
                .execute().await().indefinitely().iterator().next().getValue(0).toString());
    }

    @Test
    void aVersionRotatedElsewhereDecryptsAtOnceAndIsUsedForEncryptionAfterTheRefresh() {
        String key = name();
        await(a.createKey(key));
        assertEquals(1, await(b.encrypt(KeyRef.of(key), new byte[] {1}, CTX)).keyVersion()); // b caches version 1
        await(a.rotateKey(key));
        Wrapped v2 = await(a.encrypt(KeyRef.of(key), "two".getBytes(StandardCharsets.UTF_8), CTX));
        assertEquals(2, v2.keyVersion());
        assertEquals("two", new String(decrypt(b, key, v2), StandardCharsets.UTF_8));

        await(a.rotateKey(key));
        assertEquals(2, await(b.encrypt(KeyRef.of(key), new byte[] {1}, CTX)).keyVersion(), "cached until the refresh");
        nanosB.addAndGet(LocalKmsClient.REFRESH_AFTER.toNanos() + 1);
        int version = await(b.encrypt(KeyRef.of(key), new byte[] {1}, CTX)).keyVersion(); // starts the reload
        for (int i = 0; i < 200 && version != 3; i++) {
            sleep();
            version = await(b.encrypt(KeyRef.of(key), new byte[] {1}, CTX)).keyVersion();
        }
        assertEquals(3, version);
    }

    @Test
    void aMinimumDecryptionVersionSetOnOneNodeHoldsOnTheOtherAfterTheRefresh() {
        String key = name();
        await(a.createKey(key));
        Wrapped v1 = await(b.encrypt(KeyRef.of(key), new byte[] {1}, CTX));
        await(a.rotateKey(key));
        await(a.setMinDecryptionVersion(key, 2));
        assertThrows(KmsException.InvalidCiphertext.class, () -> decrypt(a, key, v1));
        nanosB.addAndGet(LocalKmsClient.REFRESH_AFTER.toNanos() + 1);
        boolean refused = false;
        for (int i = 0; i < 200 && !refused; i++) {
            try {
                decrypt(b, key, v1);
                sleep();
            } catch (KmsException.InvalidCiphertext e) {
                refused = true;
            }
        }
        assertTrue(refused);
        assertEquals(new KeyInfo(key, 2, 2), await(b.keyInfo(key)));
    }

    @Test
    void aColdKeyLoadIsOneQuery() {
        String key = name();
        await(a.createKey(key));
        for (int i = 0; i < 20; i++) {
            await(a.rotateKey(key));
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            LocalKmsClient cold = new LocalKmsClient(new SharedKeystore(new LocalKeystoreRows(db.pool()), master), workers, Clock.systemUTC());
            long t = System.nanoTime();
            await(cold.encrypt(KeyRef.of(key), new byte[] {1}, CTX));
            best = Math.min(best, System.nanoTime() - t);
        }
        System.out.printf("cold load of a key with 21 versions: best of 20 %.2f ms%n", best / 1e6);
        assertTrue(best < Duration.ofSeconds(1).toNanos(), "well under a second: " + best);
    }

    @Test
    void openingTheKeystoreAtStartIsTwoQueries() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            db.start(master, workers, Clock.systemUTC());
            best = Math.min(best, System.nanoTime() - t);
        }
        System.out.printf("opening the shared keystore at start (master key check, no file): best of 20 %.2f ms%n", best / 1e6);
        assertTrue(best < Duration.ofSeconds(1).toNanos(), "well under a second: " + best);
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
