package dev.sseproxy.bucketkey;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.crypto.KeyMaterial;
import io.smallrye.mutiny.Uni;
import dev.sseproxy.reactive.CallerContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Bucket keys in memory (DESIGN "Key hierarchy"): the data key a bucket's objects are wrapped under,
 * per bucket and KMS key, for a bounded lifetime. Both caches are single-flight (Caffeine's async
 * cache): a thousand concurrent writes to a cold bucket make one KMS call. Entries expire
 * {@code ttl} after they were loaded, never later, so a KMS outage stops reads of objects under an
 * uncached bucket key at once and of cached ones after at most that lifetime.
 *
 * <p>Cached key bytes are not wiped on eviction: a request may still be constructing its cipher
 * from them; they become garbage like any other heap object.
 */
@ApplicationScoped
public class BucketKeyCache {
    /** The bucket key in use for new objects of {@code bucket} under KMS key {@code kmsKey}. */
    public record Slot(String bucket, String kmsKey) {
    }

    /** A bucket key: its plaintext, the KMS's wrapped form (stored with each object) and its id. */
    public record BucketKey(KeyMaterial key, byte[] wrapped, int kmsKeyVersion, String id) {
    }

    private final AsyncCache<Slot, BucketKey> writes;
    private final AsyncCache<String, KeyMaterial> reads;

    @Inject
    public BucketKeyCache(SseProxyConfig config, io.micrometer.core.instrument.MeterRegistry meters) {
        this(config.kms().bucketKeyTtl(), System::nanoTime);
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, writes, "sse.proxy.bucket.keys.write");
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, reads, "sse.proxy.bucket.keys.read");
    }

    /** A cache whose entries live {@code ttl} as measured by {@code ticker} (nanoseconds; tests pass a fake one). */
    public BucketKeyCache(Duration ttl, com.github.benmanes.caffeine.cache.Ticker ticker) {
        writes = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).ticker(ticker).recordStats()
                .executor(Runnable::run).buildAsync();
        reads = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).ticker(ticker).recordStats()
                .executor(Runnable::run).buildAsync();
    }

    /** The slot's current bucket key, loading one (a KMS data key) when none is cached. */
    public Uni<BucketKey> forWrite(Slot slot, Supplier<Uni<BucketKey>> loader) {
        Executor caller = caller();
        return Uni.createFrom().completionStage(() -> writes.get(slot, (s, e) -> loader.get()
                .invoke(k -> reads.synchronous().put(readKey(slot.kmsKey(), k.id()), k.key()))
                .subscribeAsCompletionStage())).emitOn(caller);
    }

    /** The plaintext of the bucket key {@code id} under {@code kmsKey}, unwrapping it when not cached. */
    public Uni<KeyMaterial> forRead(String kmsKey, String id, Supplier<Uni<KeyMaterial>> loader) {
        Executor caller = caller();
        return Uni.createFrom().completionStage(() -> reads.get(readKey(kmsKey, id),
                (s, e) -> loader.get().subscribeAsCompletionStage())).emitOn(caller);
    }

    /** Drops every cached bucket key (a key was disabled or rotated). */
    public void invalidateAll() {
        writes.synchronous().invalidateAll();
        reads.synchronous().invalidateAll();
    }

    private static String readKey(String kmsKey, String id) {
        return kmsKey + "\n" + id;
    }

    /** Continues on the caller's Vert.x context (a KMS answer arrives on a worker thread). */
    private static Executor caller() {
        return CallerContext.capture();
    }
}
