package dev.sseproxy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.MutableClock;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bucket lookups, unknown names included, are cached within a byte bound and for a TTL. */
class BucketCatalogCacheTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final AtomicInteger loads = new AtomicInteger();
    final Bucket known = new Bucket("known-bucket", "000000000007", "us-east-1", Instant.parse("2025-01-01T00:00:00Z"));

    BucketCatalog catalog() {
        return new BucketCatalog(name -> {
            loads.incrementAndGet();
            return Uni.createFrom().item(name.equals(known.name()) ? Optional.of(known) : Optional.empty());
        }, clock);
    }

    @Test
    void aKnownBucketIsLookedUpOncePerTtl() {
        BucketCatalog c = catalog();
        for (int i = 0; i < 10; i++) {
            assertEquals(known, c.find("known-bucket").await().indefinitely().orElseThrow());
        }
        assertEquals(1, loads.get());
        clock.advance(BucketCatalog.CACHE_TTL.plusSeconds(1));
        c.find("known-bucket").await().indefinitely();
        assertEquals(2, loads.get());
    }

    @Test
    void namesLongerThanS3AllowsAreNeverLookedUpNorCached() {
        BucketCatalog c = catalog();
        assertTrue(c.find("b".repeat(63)).await().indefinitely().isEmpty());
        assertEquals(1, loads.get());
        long bytes = c.cachedBytes();
        assertTrue(c.find("b".repeat(64)).await().indefinitely().isEmpty());
        assertTrue(c.find("c".repeat(4096)).await().indefinitely().isEmpty());
        assertEquals(1, loads.get());
        assertEquals(bytes, c.cachedBytes());
    }

    @Test
    void negativeLookupsAreBoundedInBytesAndCountAndExpire() {
        BucketCatalog c = catalog();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            assertTrue(c.find(String.format("x%062d", i)).await().indefinitely().isEmpty());
        }
        long bytes = c.cachedBytes();
        assertTrue(bytes <= BucketCatalog.CACHE_BYTES, bytes + " bytes cached");
        long entries = c.cachedEntries();
        assertTrue(entries <= BucketCatalog.CACHE_BYTES / LookupCaches.ENTRY_OVERHEAD, entries + " entries");
        assertTrue(entries < n, "not every unknown name stays: " + entries);
        assertEquals(known, c.find("known-bucket").await().indefinitely().orElseThrow());
        clock.advance(BucketCatalog.CACHE_TTL.plusSeconds(1));
        assertEquals(0, c.cachedEntries(), "every entry expired after the TTL");
    }
}
