package dev.sseproxy.catalog;

import dev.sseproxy.kms.registry.KeyManager;
import dev.sseproxy.kms.registry.KeyRepository;
import dev.sseproxy.kms.registry.KeyState;
import dev.sseproxy.kms.registry.KmsAlias;
import dev.sseproxy.kms.registry.KmsKey;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The key registry's rows in PostgreSQL ({@code kms_key}, {@code kms_alias}), through Panache. */
@ApplicationScoped
public class PanacheKeyRepository implements KeyRepository {
    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public Uni<Optional<KmsKey>> findKey(String accountId, UUID keyId) {
        return Panache.withSession(() -> KmsKeyEntity.<KmsKeyEntity>find("keyId = ?1 and accountId = ?2", keyId,
                accountId).firstResult()).map(e -> Optional.ofNullable(e).map(PanacheKeyRepository::toKey));
    }

    @Override
    public Uni<Optional<KmsKey>> findKeyByAlias(String accountId, String aliasName) {
        return Panache.withSession(() -> KmsKeyEntity.<KmsKeyEntity>find("accountId = ?1 and keyId in "
                + "(select a.keyId from KmsAliasEntity a where a.accountId = ?1 and a.aliasName = ?2)",
                accountId, aliasName).firstResult()).map(e -> Optional.ofNullable(e).map(PanacheKeyRepository::toKey));
    }

    @Override
    public Uni<Boolean> insertKey(KmsKey key) {
        return inserted(Panache.withTransaction(() -> toEntity(key).persist()));
    }

    @Override
    public Uni<Boolean> insertAwsManagedKey(KmsKey key, KmsAlias alias) {
        return inserted(Panache.withTransaction(() -> toEntity(key).persist()
                .chain(() -> Panache.getSession()).chain(s -> s.flush())
                .chain(() -> toEntity(alias).persist())));
    }

    @Override
    public Uni<Boolean> updateState(UUID keyId, KeyState expectedState, KeyState newState, Instant deletionDate) {
        return Panache.withTransaction(() -> KmsKeyEntity.update("keyState = :state, deletionDate = :deletion "
                + "where keyId = :id and keyState = :expected", Parameters.with("state", newState.awsName())
                .and("deletion", deletionDate).and("id", keyId).and("expected", expectedState.awsName())))
                .map(n -> n == 1);
    }

    @Override
    public Uni<Boolean> updatePolicy(UUID keyId, String policy) {
        return Panache.withTransaction(() -> KmsKeyEntity.update("policy = ?1 where keyId = ?2", policy, keyId))
                .map(n -> n == 1);
    }

    @Override
    public Uni<List<KmsKey>> listKeys(String accountId, UUID afterKeyId, int limit) {
        return Panache.withSession(() -> (afterKeyId == null
                ? KmsKeyEntity.<KmsKeyEntity>find("accountId = ?1", Sort.by("keyId"), accountId)
                : KmsKeyEntity.<KmsKeyEntity>find("accountId = ?1 and keyId > ?2", Sort.by("keyId"), accountId,
                        afterKeyId)).page(0, limit).list())
                .map(l -> l.stream().map(PanacheKeyRepository::toKey).toList());
    }

    @Override
    public Uni<Optional<KmsAlias>> findAlias(String accountId, String aliasName) {
        return Panache.withSession(() -> KmsAliasEntity.<KmsAliasEntity>findById(
                new KmsAliasEntity.Key(accountId, aliasName)))
                .map(e -> Optional.ofNullable(e).map(PanacheKeyRepository::toAlias));
    }

    @Override
    public Uni<Boolean> insertAlias(KmsAlias alias) {
        return inserted(Panache.withTransaction(() -> toEntity(alias).persist()));
    }

    @Override
    public Uni<Boolean> deleteAlias(String accountId, String aliasName) {
        return Panache.withTransaction(() -> KmsAliasEntity.delete("accountId = ?1 and aliasName = ?2", accountId,
                aliasName)).map(n -> n > 0);
    }

    @Override
    public Uni<List<KmsAlias>> listAliases(String accountId, UUID keyId, String afterName, int limit) {
        StringBuilder where = new StringBuilder("accountId = :account");
        Parameters params = Parameters.with("account", accountId);
        if (keyId != null) {
            where.append(" and keyId = :key");
            params = params.and("key", keyId);
        }
        if (afterName != null) {
            where.append(" and aliasName > :after");
            params = params.and("after", afterName);
        }
        Parameters p = params;
        return Panache.withSession(() -> KmsAliasEntity.<KmsAliasEntity>find(where.toString(), Sort.by("aliasName"), p)
                .page(0, limit).list()).map(l -> l.stream().map(PanacheKeyRepository::toAlias).toList());
    }

    @Override
    public Uni<Integer> purgeDeleted(Instant now) {
        // aliases go with their key (on delete cascade)
        return Panache.withTransaction(() -> KmsKeyEntity.delete("keyState = ?1 and deletionDate <= ?2",
                KeyState.PENDING_DELETION.awsName(), now)).map(Long::intValue);
    }

    /** True when the insert committed, false when a unique constraint refused it. */
    private static Uni<Boolean> inserted(Uni<?> insert) {
        return insert.map(x -> true).onFailure(PanacheKeyRepository::isUniqueViolation).recoverWithItem(false);
    }

    static boolean isUniqueViolation(Throwable t) {
        for (Throwable e = t; e != null; e = e.getCause()) {
            if (e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
            if (e instanceof org.hibernate.exception.ConstraintViolationException c
                    && UNIQUE_VIOLATION.equals(c.getSQLState())) {
                return true;
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return false;
    }

    private static KmsKey toKey(KmsKeyEntity e) {
        return new KmsKey(e.keyId, e.accountId, e.arn, e.backendKeyName, e.description, KeyManager.valueOf(e.keyManager),
                KeyState.fromAwsName(e.keyState), e.deletionDate, e.policy, e.createdAt);
    }

    private static KmsKeyEntity toEntity(KmsKey k) {
        KmsKeyEntity e = new KmsKeyEntity();
        e.keyId = k.keyId();
        e.accountId = k.accountId();
        e.arn = k.arn();
        e.backendKeyName = k.backendKeyName();
        e.description = k.description();
        e.keyManager = k.keyManager().name();
        e.keyState = k.state().awsName();
        e.deletionDate = k.deletionDate();
        e.policy = k.policy();
        e.createdAt = k.createdAt();
        return e;
    }

    private static KmsAlias toAlias(KmsAliasEntity e) {
        return new KmsAlias(e.accountId, e.aliasName, e.keyId, e.createdAt);
    }

    private static KmsAliasEntity toEntity(KmsAlias a) {
        KmsAliasEntity e = new KmsAliasEntity();
        e.accountId = a.accountId();
        e.aliasName = a.aliasName();
        e.keyId = a.keyId();
        e.createdAt = a.createdAt();
        return e;
    }
}
