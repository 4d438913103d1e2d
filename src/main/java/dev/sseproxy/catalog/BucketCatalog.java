package dev.sseproxy.catalog;

import com.github.benmanes.caffeine.cache.AsyncCache;
import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.ObjectOwnership;
import dev.sseproxy.authz.PublicAccessBlock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Buckets and their owners; {@link #find} is cached for the request hot path (unknown names too),
 * bounded in bytes (see {@link LookupCaches}). Names longer than S3 allows are never looked up.
 */
@ApplicationScoped
public class BucketCatalog {
    /** The longest bucket name S3 allows; longer ones are answered without a lookup. */
    public static final int MAX_NAME_LENGTH = 63;
    /** At most this many bytes of cached lookups (about 50,000 buckets, or 40,000 unknown 63-character names). */
    static final long CACHE_BYTES = 16L * 1024 * 1024;
    static final Duration CACHE_TTL = Duration.ofMinutes(1);
    private final Clock clock;
    private final Function<String, Uni<Optional<Bucket>>> load;
    private final AsyncCache<String, Optional<Bucket>> cache;

    public BucketCatalog() {
        this(name -> Panache.withSession(() -> BucketEntity.<BucketEntity>findById(name))
                .map(e -> Optional.ofNullable(e).map(BucketEntity::toDomain)), Clock.systemUTC());
    }

    /** A catalog whose {@link #find} reads through {@code load}, with expiry measured by {@code clock}. */
    BucketCatalog(Function<String, Uni<Optional<Bucket>>> load, Clock clock) {
        this.load = load;
        this.clock = clock;
        this.cache = LookupCaches.bounded(CACHE_BYTES, CACHE_TTL,
                b -> 2 * (b.name().length() + b.ownerId().length() + b.region().length()) + 64
                        // a parsed policy: its text and, at most about as much again, its statements
                        + (b.policy() == null ? 0 : 4 * b.policy().text().length())
                        + (b.logging() == null ? 0 : 2 * b.logging().encode().length() + 64)
                        + (b.replication() == null ? 0 : 4 * b.replication().encode().length() + 64), clock);
    }

    public Uni<Optional<Bucket>> find(String name) {
        if (name.indexOf('\0') >= 0 || name.length() > MAX_NAME_LENGTH) {
            // PostgreSQL text cannot hold NUL (the query itself would fail), and no bucket has a
            // longer name: no such bucket can exist, and nothing is cached for the name
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().completionStage(() -> cache.get(name, (k, ex) -> load.apply(k).subscribeAsCompletionStage()));
    }

    /**
     * The bucket as this node's cache holds it now, without a lookup and without waiting: empty when it is
     * not cached, still loading, or unknown. For paths that must cost nothing (the access log listener,
     * after the request itself looked the bucket up).
     */
    public Optional<Bucket> cached(String name) {
        java.util.concurrent.CompletableFuture<Optional<Bucket>> f = cache.getIfPresent(name);
        if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
            return Optional.empty();
        }
        return f.getNow(Optional.empty());
    }

    /** Sets (null: turns off) a bucket's server access logging configuration. */
    public Uni<Void> updateLogging(String name, BucketLogging logging) {
        return update(name, b -> b.logging = logging == null ? null : logging.encode());
    }

    /** Sets (null: removes) a bucket's replication configuration. */
    public Uni<Void> updateReplication(String name, BucketReplication replication) {
        return update(name, b -> b.replication = replication == null ? null : replication.encode());
    }

    /** Drops this node's cached lookup of {@code name} (another node changed the bucket). */
    public void forget(String name) {
        cache.synchronous().invalidate(name);
    }

    /** Drops every cached lookup (this node may have missed changes made elsewhere). */
    public void forgetAll() {
        cache.synchronous().invalidateAll();
    }

    /** Bytes the lookup cache holds now, by its estimate (tests). */
    long cachedBytes() {
        cache.synchronous().cleanUp();
        return cache.synchronous().policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** Entries the lookup cache holds now (tests). */
    long cachedEntries() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    /** Registers a bucket; fails with {@link CatalogException} if the name is taken. */
    public Uni<Bucket> create(String name, String ownerId, String region) {
        return create(name, ownerId, region, null, null);
    }

    /** As above, with its ownership controls (null: none) and ACL (null: the owner's full control). */
    public Uni<Bucket> create(String name, String ownerId, String region, ObjectOwnership ownership,
            AccessControlList acl) {
        return create(name, ownerId, region, ownership, acl, null);
    }

    /** As above, with its own Block Public Access configuration (null: none). */
    public Uni<Bucket> create(String name, String ownerId, String region, ObjectOwnership ownership,
            AccessControlList acl, PublicAccessBlock publicAccessBlock) {
        return Panache.withTransaction(() -> BucketEntity.<BucketEntity>findById(name).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(ownerId.equals(existing.ownerId)
                        ? new CatalogException.BucketOwnedByYou(name) : new CatalogException.BucketTaken(name));
            }
            BucketEntity b = new BucketEntity();
            b.name = name;
            b.ownerId = ownerId;
            b.region = region;
            b.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            b.objectOwnership = ownership == null ? null : ownership.wireName();
            b.acl = acl == null ? null : acl.encode();
            b.publicAccessBlock = PublicAccessBlocks.encode(publicAccessBlock);
            return b.<BucketEntity>persist().map(BucketEntity::toDomain);
        })).eventually(() -> cache.synchronous().invalidate(name));
    }

    /**
     * Sets a bucket's ownership controls (null: none) and ACL (null: the default). Other nodes drop
     * their cached entry when the change feed tells them ({@code dev.sseproxy.cluster}), at the latest
     * when it expires (a minute).
     */
    public Uni<Void> updateAccess(String name, ObjectOwnership ownership, AccessControlList acl) {
        return Panache.withTransaction(() -> BucketEntity.<BucketEntity>findById(name).chain(b -> {
            if (b == null) {
                return Uni.createFrom().voidItem();
            }
            b.objectOwnership = ownership == null ? null : ownership.wireName();
            b.acl = acl == null ? null : acl.encode();
            return Uni.createFrom().voidItem();
        })).eventually(() -> cache.synchronous().invalidate(name));
    }

    /**
     * Sets (null: deletes) a bucket's policy, stored as given: the caller validated it
     * ({@code Policy.bucketPolicy}). Other nodes learn it from the change feed, as for {@link #updateAccess}.
     */
    public Uni<Void> updatePolicy(String name, String policy) {
        return update(name, b -> b.policy = policy);
    }

    /** Sets (null: deletes) a bucket's own Block Public Access configuration. */
    public Uni<Void> updatePublicAccessBlock(String name, PublicAccessBlock publicAccessBlock) {
        return update(name, b -> b.publicAccessBlock = PublicAccessBlocks.encode(publicAccessBlock));
    }

    /**
     * Sets a bucket's versioning status ({@code Enabled} or {@code Suspended}); other nodes learn it
     * from the change feed, as for {@link #updateAccess}.
     */
    public Uni<Void> updateVersioning(String name, String status) {
        return update(name, b -> b.versioning = status);
    }

    private Uni<Void> update(String name, java.util.function.Consumer<BucketEntity> change) {
        return Panache.withTransaction(() -> BucketEntity.<BucketEntity>findById(name).invoke(b -> {
            if (b != null) {
                change.accept(b);
            }
        })).replaceWithVoid().eventually(() -> cache.synchronous().invalidate(name));
    }

    public Uni<Void> delete(String name) {
        return Panache.withTransaction(() -> BucketEntity.deleteById(name)).replaceWithVoid()
                .eventually(() -> cache.synchronous().invalidate(name));
    }

    public Uni<List<Bucket>> ownedBy(String ownerId) {
        return Panache.withSession(() -> BucketEntity.<BucketEntity>list("ownerId = ?1 order by name", ownerId))
                .map(l -> l.stream().map(BucketEntity::toDomain).toList());
    }
}
