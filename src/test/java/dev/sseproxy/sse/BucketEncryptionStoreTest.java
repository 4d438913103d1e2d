package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.kms.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.config.S3Config.Era;
import dev.sseproxy.sse.BucketEncryptionStore.BucketEncryption;
import dev.sseproxy.catalog.BucketEncryptionRepository;
import dev.sseproxy.catalog.StoredConfig;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The store's semantics over an in-memory repository: era defaults, PUT / DELETE, the cache. */
class BucketEncryptionStoreTest {
    static final Duration TTL = Duration.ofSeconds(5);

    final Repo repo = new Repo();
    final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));

    BucketEncryptionStore store(Era era) {
        return new BucketEncryptionStore(repo, era, TTL, clock);
    }

    static BucketEncryption get(BucketEncryptionStore s, String bucket) {
        return s.get(bucket).await().indefinitely();
    }

    static StoredConfig kms(String key, boolean bucketKey) {
        return new StoredConfig(SseMode.SSE_KMS, key, bucketKey, Optional.empty());
    }

    @Test
    void neverConfiguredBucketIsSseS3AndBlocksSseCIn2026() {
        BucketEncryption e = get(store(Era.Y2026_04), "b");
        assertEquals(BucketEncryptionDefault.sseS3(Set.of("SSE-C")), e.effective());
        assertTrue(e.effective().blocksSseC());
        assertFalse(e.explicit());
        assertTrue(e.stored().isEmpty());
    }

    @Test
    void neverConfiguredBucketAllowsSseCIn2023AndBefore() {
        for (Era era : List.of(Era.Y2023, Era.PRE_2023)) {
            BucketEncryption e = get(store(era), "b");
            assertEquals(SseMode.SSE_S3, e.effective().algorithm());
            assertFalse(e.effective().blocksSseC(), era::name);
            assertFalse(e.explicit());
        }
    }

    @Test
    void putIsReadBackWithTheKeyExactlyAsSentAndTheEraBlockWhenNoneWasSent() {
        BucketEncryptionStore s = store(Era.Y2026_04);
        s.put("b", kms("1234abcd-12ab-34cd-56ef-1234567890ab", true)).await().indefinitely();
        BucketEncryption e = get(s, "b");
        assertTrue(e.explicit());
        assertEquals(new BucketEncryptionDefault(SseMode.SSE_KMS, "1234abcd-12ab-34cd-56ef-1234567890ab", true,
                Set.of("SSE-C")), e.effective());
        assertEquals(kms("1234abcd-12ab-34cd-56ef-1234567890ab", true), e.stored().orElseThrow());
    }

    @Test
    void ruleWithOnlyABlockListKeepsSseS3AndSetsTheBlockList() {
        BucketEncryptionStore s = store(Era.Y2026_04);
        s.put("b", new StoredConfig(null, null, false, Optional.of(List.of("NONE")))).await().indefinitely();
        BucketEncryption e = get(s, "b");
        assertEquals(SseMode.SSE_S3, e.effective().algorithm());
        assertFalse(e.effective().blocksSseC());
        assertTrue(e.explicit());
    }

    @Test
    void putWithoutBlockListKeepsTheStoredOne() {
        BucketEncryptionStore s = store(Era.Y2026_04);
        s.put("b", new StoredConfig(SseMode.SSE_S3, null, false, Optional.of(List.of("NONE")))).await().indefinitely();
        s.put("b", kms(null, false)).await().indefinitely();
        BucketEncryption e = get(s, "b");
        assertEquals(SseMode.SSE_KMS, e.effective().algorithm());
        assertNull(e.effective().kmsMasterKeyId());
        assertEquals(Optional.of(List.of("NONE")), e.stored().orElseThrow().blockedEncryptionTypes());
        assertFalse(e.effective().blocksSseC());
    }

    @Test
    void deleteResetsToSseS3AndKeepsTheBlockList() {
        BucketEncryptionStore s = store(Era.Y2026_04);
        s.put("b", new StoredConfig(SseMode.SSE_KMS, "alias/x", true, Optional.of(List.of("NONE"))))
                .await().indefinitely();
        s.delete("b").await().indefinitely();
        s.delete("b").await().indefinitely();
        BucketEncryption e = get(s, "b");
        assertEquals(BucketEncryptionDefault.sseS3(Set.of("NONE")), e.effective());
        assertFalse(e.explicit());
    }

    @Test
    void deleteOfANeverConfiguredBucketLeavesTheEraDefault() {
        BucketEncryptionStore s = store(Era.Y2026_04);
        s.delete("b").await().indefinitely();
        BucketEncryption e = get(s, "b");
        assertEquals(BucketEncryptionDefault.sseS3(Set.of("SSE-C")), e.effective());
        assertFalse(e.explicit());
    }

    @Test
    void readsAreCachedUntilTheTtlAndThisNodesChangesApplyAtOnce() {
        BucketEncryptionStore s = store(Era.Y2023);
        get(s, "b");
        get(s, "b");
        assertEquals(1, repo.finds);
        s.put("b", kms("k", false)).await().indefinitely();
        assertEquals("k", get(s, "b").effective().kmsMasterKeyId());

        // another node's change: seen once the TTL has passed
        repo.rows.remove("b");
        assertEquals("k", get(s, "b").effective().kmsMasterKeyId());
        clock.advance(TTL.plusMillis(1));
        assertEquals(SseMode.SSE_S3, get(s, "b").effective().algorithm());
    }

    @Test
    void forgetDropsTheCachedEntryOfADeletedBucket() {
        BucketEncryptionStore s = store(Era.Y2023);
        s.put("b", kms("k", false)).await().indefinitely();
        get(s, "b");
        repo.rows.remove("b"); // the row cascades with the bucket
        s.forget("b");
        assertFalse(get(s, "b").explicit());
    }

    @Test
    void failedReadsAreNotCached() {
        BucketEncryptionStore s = store(Era.Y2023);
        repo.fail = true;
        assertThrows(IllegalStateException.class, () -> get(s, "b"));
        repo.fail = false;
        assertFalse(get(s, "b").explicit());
    }

    /** Rows in a map, as PanacheBucketEncryptionRepository keeps them in PostgreSQL. */
    static final class Repo implements BucketEncryptionRepository {
        final Map<String, Row> rows = new HashMap<>();
        int finds;
        boolean fail;

        @Override
        public Uni<Optional<Row>> find(String bucket) {
            finds++;
            if (fail) {
                return Uni.createFrom().failure(new IllegalStateException("database down"));
            }
            return Uni.createFrom().item(Optional.ofNullable(rows.get(bucket)));
        }

        @Override
        public Uni<Void> save(String bucket, StoredConfig config, Instant now) {
            Optional<List<String>> blocked = config.blockedEncryptionTypes().isPresent() ? config.blockedEncryptionTypes()
                    : Optional.ofNullable(rows.get(bucket)).flatMap(r -> r.config().blockedEncryptionTypes());
            rows.put(bucket, new Row(true, new StoredConfig(config.algorithm(), config.kmsMasterKeyId(),
                    config.bucketKeyEnabled(), blocked)));
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> reset(String bucket, Instant now) {
            rows.computeIfPresent(bucket, (b, r) -> new Row(false,
                    new StoredConfig(null, null, false, r.config().blockedEncryptionTypes())));
            return Uni.createFrom().voidItem();
        }
    }
}
