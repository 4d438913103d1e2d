package dev.sseproxy.catalog;

import com.github.benmanes.caffeine.cache.AsyncCache;
import dev.sseproxy.authz.PublicAccessBlock;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The account-level Block Public Access configurations (S3 Control {@code PutPublicAccessBlock}, V17),
 * cached per account (absent ones too) so the request path reads no database once warm. Other nodes
 * drop their entry when the change feed says {@code account-public-access-block:<account>}
 * ({@code dev.sseproxy.cluster}), at the latest when it expires.
 */
@ApplicationScoped
public class AccountPublicAccessBlocks {
    static final long CACHE_BYTES = 2L * 1024 * 1024;
    static final Duration CACHE_TTL = Duration.ofMinutes(1);
    private final Pool pool;
    private final AsyncCache<String, Optional<PublicAccessBlock>> cache;

    public AccountPublicAccessBlocks(Pool pool) {
        this.pool = pool;
        this.cache = LookupCaches.bounded(CACHE_BYTES, CACHE_TTL, p -> 32, Clock.systemUTC());
    }

    /** The account's configuration, or empty when it has none (cached). */
    public Uni<Optional<PublicAccessBlock>> find(String accountId) {
        if (accountId == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().completionStage(() -> cache.get(accountId, (k, ex) -> load(k).subscribeAsCompletionStage()));
    }

    private Uni<Optional<PublicAccessBlock>> load(String accountId) {
        return pool.preparedQuery("SELECT public_access_block FROM account_public_access_block WHERE account_id = $1")
                .execute(Tuple.of(accountId)).map(rows -> {
                    for (Row r : rows) {
                        return Optional.ofNullable(PublicAccessBlocks.decode(r.getString(0)));
                    }
                    return Optional.empty();
                });
    }

    /** Sets the account's configuration. */
    public Uni<Void> put(String accountId, PublicAccessBlock p) {
        return pool.preparedQuery("INSERT INTO account_public_access_block (account_id, public_access_block) "
                + "VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET public_access_block = excluded.public_access_block")
                .execute(Tuple.of(accountId, PublicAccessBlocks.encode(p))).replaceWithVoid()
                .eventually(() -> forget(accountId));
    }

    /** Deletes the account's configuration. */
    public Uni<Void> delete(String accountId) {
        return pool.preparedQuery("DELETE FROM account_public_access_block WHERE account_id = $1")
                .execute(Tuple.of(accountId)).replaceWithVoid().eventually(() -> forget(accountId));
    }

    /** Drops this node's cached entry of {@code accountId}. */
    public void forget(String accountId) {
        cache.synchronous().invalidate(accountId);
    }

    /** Drops every cached entry. */
    public void forgetAll() {
        cache.synchronous().invalidateAll();
    }
}
