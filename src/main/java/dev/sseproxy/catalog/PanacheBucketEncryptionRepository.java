package dev.sseproxy.catalog;

import dev.sseproxy.crypto.SseMode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Bucket default encryptions in PostgreSQL ({@code bucket_encryption}), through Panache. */
@ApplicationScoped
public class PanacheBucketEncryptionRepository implements BucketEncryptionRepository {

    @Override
    public Uni<Optional<Row>> find(String bucket) {
        return Panache.withSession(() -> BucketEncryptionEntity.<BucketEncryptionEntity>findById(bucket))
                .map(e -> Optional.ofNullable(e).map(PanacheBucketEncryptionRepository::toRow));
    }

    @Override
    public Uni<Void> save(String bucket, StoredConfig config, Instant now) {
        // two first PUTs racing: the loser's insert hits the primary key, and it updates on a second try
        return upsert(bucket, config, now).onFailure(PanacheKeyRepository::isUniqueViolation)
                .recoverWithUni(() -> upsert(bucket, config, now));
    }

    private Uni<Void> upsert(String bucket, StoredConfig config, Instant now) {
        return Panache.withTransaction(() -> BucketEncryptionEntity.<BucketEncryptionEntity>findById(bucket).chain(found -> {
            BucketEncryptionEntity e = found != null ? found : new BucketEncryptionEntity();
            e.bucket = bucket;
            e.explicit = true;
            e.sseAlgorithm = config.algorithm() == null ? null : config.algorithm().headerValue().orElseThrow();
            e.kmsMasterKeyId = config.kmsMasterKeyId();
            e.bucketKeyEnabled = config.bucketKeyEnabled();
            config.blockedEncryptionTypes().ifPresent(types -> e.blockedEncryptionTypes = String.join(",", types));
            e.updatedAt = now.truncatedTo(ChronoUnit.MICROS);
            return found != null ? Uni.createFrom().voidItem() : e.persist().replaceWithVoid();
        }));
    }

    @Override
    public Uni<Void> reset(String bucket, Instant now) {
        return Panache.withTransaction(() -> BucketEncryptionEntity.update("explicit = false, sseAlgorithm = null, "
                + "kmsMasterKeyId = null, bucketKeyEnabled = false, updatedAt = ?1 where bucket = ?2",
                now.truncatedTo(ChronoUnit.MICROS), bucket)).replaceWithVoid();
    }

    private static Row toRow(BucketEncryptionEntity e) {
        SseMode mode = e.sseAlgorithm == null ? null : SseMode.fromHeader(e.sseAlgorithm).orElseThrow(
                () -> new IllegalStateException("unknown sse_algorithm " + e.sseAlgorithm + " of bucket " + e.bucket));
        Optional<List<String>> blocked = Optional.ofNullable(e.blockedEncryptionTypes)
                .map(s -> s.isEmpty() ? List.of() : Arrays.asList(s.split(",")));
        return new Row(e.explicit, new StoredConfig(mode, e.kmsMasterKeyId, e.bucketKeyEnabled, blocked));
    }
}
