package dev.sseproxy.bucketkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sseproxy.crypto.KeyMaterial;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BucketKeyCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final BucketKeyCache cache = new BucketKeyCache(Duration.ofMinutes(10), now::get);
    private final BucketKeyCache.Slot slot = new BucketKeyCache.Slot("b", "kms-key");

    @Test
    void concurrentWritesToAColdSlotLoadOnce() {
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<BucketKeyCache.BucketKey> gate = new CompletableFuture<>();
        List<CompletableFuture<BucketKeyCache.BucketKey>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add(cache.forWrite(slot, () -> {
                loads.incrementAndGet();
                return Uni.createFrom().completionStage(gate);
            }).subscribeAsCompletionStage());
        }
        gate.complete(key("id-1"));
        all.forEach(f -> assertEquals("id-1", f.join().id()));
        assertEquals(1, loads.get(), "single flight: one KMS call for a thousand writes");
    }

    @Test
    void aKeyLivesItsLifetimeAndNoLonger() {
        AtomicInteger loads = new AtomicInteger();
        cache.forWrite(slot, () -> Uni.createFrom().item(key("id-" + loads.incrementAndGet()))).await().indefinitely();
        now.addAndGet(Duration.ofMinutes(10).minusNanos(1).toNanos());
        assertEquals("id-1", cache.forWrite(slot, () -> Uni.createFrom().item(key("id-" + loads.incrementAndGet())))
                .await().indefinitely().id());
        now.addAndGet(1);
        assertEquals("id-2", cache.forWrite(slot, () -> Uni.createFrom().item(key("id-" + loads.incrementAndGet())))
                .await().indefinitely().id());
        assertEquals(2, loads.get());
    }

    @Test
    void readsOfAKeyThisNodeWroteWithMakeNoKmsCall() {
        BucketKeyCache.BucketKey k = key("id-r");
        cache.forWrite(slot, () -> Uni.createFrom().item(k)).await().indefinitely();
        KeyMaterial read = cache.forRead("kms-key", "id-r", () -> {
            throw new AssertionError("no unwrap expected");
        }).await().indefinitely();
        assertSame(k.key(), read);
    }

    @Test
    void invalidateAllDropsWritesAndReads() {
        AtomicInteger loads = new AtomicInteger();
        cache.forWrite(slot, () -> Uni.createFrom().item(key("id-" + loads.incrementAndGet()))).await().indefinitely();
        cache.invalidateAll();
        cache.forWrite(slot, () -> Uni.createFrom().item(key("id-" + loads.incrementAndGet()))).await().indefinitely();
        AtomicInteger unwraps = new AtomicInteger();
        cache.forRead("kms-key", "id-1", () -> {
            unwraps.incrementAndGet();
            return Uni.createFrom().item(KeyMaterial.random());
        }).await().indefinitely();
        assertEquals(2, loads.get());
        assertEquals(1, unwraps.get(), "the dropped key must be unwrapped again");
    }

    private static BucketKeyCache.BucketKey key(String id) {
        return new BucketKeyCache.BucketKey(KeyMaterial.random(), new byte[] {1, 2, 3}, 1, id);
    }
}
