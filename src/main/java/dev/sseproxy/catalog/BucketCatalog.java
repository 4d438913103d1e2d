package dev.sseproxy.catalog;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.ObjectOwnership;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Buckets and their owners; {@link #find} is cached for the request hot path. */
@ApplicationScoped
public class BucketCatalog {
    private final Clock clock = Clock.systemUTC();
    private final AsyncCache<String, Optional<Bucket>> cache = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(1)).buildAsync();

    public Uni<Optional<Bucket>> find(String name) {
        if (name.indexOf('\0') >= 0) {
            // PostgreSQL text cannot hold NUL (the query itself would fail): no such bucket can exist
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().completionStage(() -> cache.get(name,
                (k, ex) -> Panache.withSession(() -> BucketEntity.<BucketEntity>findById(k))
                        .map(e -> Optional.ofNullable(e).map(BucketEntity::toDomain))
                        .subscribeAsCompletionStage()));
    }

    /** Registers a bucket; fails with {@link CatalogException} if the name is taken. */
    public Uni<Bucket> create(String name, String ownerId, String region) {
        return create(name, ownerId, region, null, null);
    }

    /** As above, with its ownership controls (null: none) and ACL (null: the owner's full control). */
    public Uni<Bucket> create(String name, String ownerId, String region, ObjectOwnership ownership,
            AccessControlList acl) {
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
            return b.<BucketEntity>persist().map(BucketEntity::toDomain);
        })).eventually(() -> cache.synchronous().invalidate(name));
    }

    /**
     * Sets a bucket's ownership controls (null: none) and ACL (null: the default). Other nodes see the
     * change when their cached entry expires (at most a minute).
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

    public Uni<Void> delete(String name) {
        return Panache.withTransaction(() -> BucketEntity.deleteById(name)).replaceWithVoid()
                .eventually(() -> cache.synchronous().invalidate(name));
    }

    public Uni<List<Bucket>> ownedBy(String ownerId) {
        return Panache.withSession(() -> BucketEntity.<BucketEntity>list("ownerId = ?1 order by name", ownerId))
                .map(l -> l.stream().map(BucketEntity::toDomain).toList());
    }
}
