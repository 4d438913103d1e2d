package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import dev.sseproxy.reactive.CallerContext;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.config.S3Config.Era;
import dev.sseproxy.catalog.BucketEncryptionRepository;
import dev.sseproxy.catalog.BucketEncryptionRepository.Row;
import dev.sseproxy.catalog.StoredConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Bucket default encryption (spec §1): what PutBucketEncryption stored, and the default that applies
 * to new objects. Reads are cached for a short time; this node's changes drop its cache entry at once,
 * other nodes drop theirs when the change feed tells them ({@code dev.sseproxy.cluster}), at the latest
 * after {@code sse-proxy.s3.bucket-encryption-cache-ttl}.
 *
 * <p>A never-configured bucket uses SSE-S3 without bucket key; under era {@code 2026-04} a bucket whose
 * block list was never set also blocks SSE-C.
 */
@ApplicationScoped
public class BucketEncryptionStore {

    /** The bucket default that applies to new objects, and whether it was configured explicitly. */
    public record BucketEncryption(BucketEncryptionDefault effective, boolean explicit, Optional<StoredConfig> stored) {
    }

    private final BucketEncryptionRepository repository;
    private final Era era;
    private final Clock clock;
    private final AsyncCache<String, Optional<Row>> cache;

    @Inject
    public BucketEncryptionStore(BucketEncryptionRepository repository, SseProxyConfig config) {
        this(repository, config.s3().era(), config.s3().bucketEncryptionCacheTtl(), Clock.systemUTC());
    }

    /** A store emulating {@code era}, caching rows for {@code cacheTtl} as measured by {@code clock}. */
    public BucketEncryptionStore(BucketEncryptionRepository repository, Era era, Duration cacheTtl, Clock clock) {
        this.repository = repository;
        this.era = era;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheTtl)
                .ticker(() -> ChronoUnit.NANOS.between(Instant.EPOCH, clock.instant()))
                .executor(Runnable::run).buildAsync();
    }

    /** The era this store emulates. */
    public Era era() {
        return era;
    }

    /** The bucket's default encryption; a never-configured bucket gets the era's default, {@code explicit=false}. */
    public Uni<BucketEncryption> get(String bucket) {
        return Uni.createFrom().deferred(() -> {
            Executor caller = CallerContext.capture();
            return Uni.createFrom().completionStage(() -> cache.get(bucket,
                    (b, executor) -> repository.find(b).subscribeAsCompletionStage()))
                    .emitOn(caller).map(row -> resolve(row, era));
        });
    }

    /** Stores an explicit configuration; without a block list in {@code config} the stored one stays. */
    public Uni<Void> put(String bucket, StoredConfig config) {
        return changing(bucket, () -> repository.save(bucket, config, clock.instant()));
    }

    /** Resets the default to SSE-S3 / BucketKeyEnabled=false and keeps the block list (spec §1.3 [D]). */
    public Uni<Void> delete(String bucket) {
        return changing(bucket, () -> repository.reset(bucket, clock.instant()));
    }

    /** Drops this node's cached entry of a bucket that was deleted (its row went with it). */
    public void forget(String bucket) {
        cache.synchronous().invalidate(bucket);
    }

    /** Drops every cached entry (this node may have missed changes made elsewhere). */
    public void forgetAll() {
        cache.synchronous().invalidateAll();
    }

    private Uni<Void> changing(String bucket, Supplier<Uni<? extends Void>> change) {
        return Uni.createFrom().<Void>deferred(change).eventually(() -> forget(bucket));
    }

    /** The encryption a bucket with this stored row (or none) has in {@code era}. */
    static BucketEncryption resolve(Optional<Row> row, Era era) {
        Set<String> eraBlocked = era == Era.Y2026_04 ? Set.of(BucketEncryptionDefault.BLOCK_SSE_C) : Set.of();
        if (row.isEmpty()) {
            return new BucketEncryption(BucketEncryptionDefault.sseS3(eraBlocked), false, Optional.empty());
        }
        StoredConfig c = row.get().config();
        SseMode mode = c.algorithm() == null ? SseMode.SSE_S3 : c.algorithm();
        Set<String> blocked = c.blockedEncryptionTypes().<Set<String>>map(Set::copyOf).orElse(eraBlocked);
        BucketEncryptionDefault effective = new BucketEncryptionDefault(mode, mode.isKms() ? c.kmsMasterKeyId() : null,
                c.bucketKeyEnabled(), blocked);
        return new BucketEncryption(effective, row.get().explicit(), Optional.of(c));
    }
}
