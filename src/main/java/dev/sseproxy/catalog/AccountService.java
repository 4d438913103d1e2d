package dev.sseproxy.catalog;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.crypto.SecretSealer;
import dev.sseproxy.kms.MasterKeyProvider;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Accounts and access keys. Secrets are sealed by the master key before they reach PostgreSQL;
 * lookups for request authentication are cached (bounded, short-lived, invalidated on change).
 */
@ApplicationScoped
public class AccountService {
    private static final String ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final SecretSealer sealer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AsyncCache<String, Optional<Credential>> credentials = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).buildAsync();

    public AccountService(MasterKeyProvider masterKey) {
        this.sealer = new SecretSealer(masterKey.masterKey());
        this.clock = Clock.systemUTC();
    }

    /** The active credential for an access key id, if any (cached). */
    public Uni<Optional<Credential>> credential(String accessKeyId) {
        return Uni.createFrom().completionStage(() -> credentials.get(accessKeyId,
                (k, ex) -> loadCredential(k).subscribeAsCompletionStage()));
    }

    private Uni<Optional<Credential>> loadCredential(String accessKeyId) {
        return Panache.withSession(() -> AccessKeyEntity.<AccessKeyEntity>findById(accessKeyId))
                .map(e -> Optional.ofNullable(e).filter(k -> "Active".equals(k.status)).map(this::open));
    }

    private Credential open(AccessKeyEntity e) {
        byte[] secret = sealer.open(e.secretSealed, e.accessKeyId.getBytes(StandardCharsets.UTF_8));
        return new Credential(e.accessKeyId, e.accountId, new String(secret, StandardCharsets.UTF_8));
    }

    public Uni<Account> createAccount(String name) {
        return Panache.withTransaction(() -> {
            AccountEntity a = new AccountEntity();
            a.id = newAccountId();
            a.name = name;
            a.createdAt = now();
            return a.<AccountEntity>persist().map(AccountEntity::toDomain);
        });
    }

    public Uni<List<Account>> listAccounts() {
        return Panache.withSession(() -> AccountEntity.<AccountEntity>listAll()
                .map(l -> l.stream().map(AccountEntity::toDomain).toList()));
    }

    public Uni<Optional<Account>> account(String id) {
        return Panache.withSession(() -> AccountEntity.<AccountEntity>findById(id))
                .map(e -> Optional.ofNullable(e).map(AccountEntity::toDomain));
    }

    /** Creates a new access key for an account; the secret is returned once and stored sealed. */
    public Uni<Credential> createAccessKey(String accountId) {
        String akid = "AK" + randomString(ALPHANUM, 18);
        String secret = randomString(SECRET_CHARS, 40);
        return Panache.withTransaction(() -> AccountEntity.<AccountEntity>findById(accountId)
                .onItem().ifNull().failWith(() -> new CatalogException.NotFound("account " + accountId))
                .chain(a -> persistKey(akid, accountId, secret)))
                .map(k -> new Credential(akid, accountId, secret));
    }

    public Uni<Void> deleteAccessKey(String accessKeyId) {
        return Panache.withTransaction(() -> AccessKeyEntity.deleteById(accessKeyId))
                .invoke(deleted -> credentials.synchronous().invalidate(accessKeyId))
                .chain(deleted -> deleted ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new CatalogException.NotFound("access key " + accessKeyId)));
    }

    /** Creates the root account and key, or brings the key's secret in line with the configuration. */
    public Uni<Void> bootstrapRoot(String accountId, String accessKey, String secretKey) {
        return Panache.withTransaction(() -> AccountEntity.<AccountEntity>findById(accountId)
                .chain(a -> a != null ? Uni.createFrom().item(a) : newRoot(accountId))
                .chain(a -> AccessKeyEntity.<AccessKeyEntity>findById(accessKey))
                .chain(k -> {
                    if (k == null) {
                        return persistKey(accessKey, accountId, secretKey).replaceWithVoid();
                    }
                    k.accountId = accountId;
                    k.status = "Active";
                    k.secretSealed = sealer.seal(secretKey.getBytes(StandardCharsets.UTF_8),
                            accessKey.getBytes(StandardCharsets.UTF_8));
                    return Uni.createFrom().voidItem();
                }))
                .invoke(() -> credentials.synchronous().invalidate(accessKey));
    }

    private Uni<AccountEntity> newRoot(String accountId) {
        AccountEntity a = new AccountEntity();
        a.id = accountId;
        a.name = "root";
        a.createdAt = now();
        return a.persist();
    }

    private Uni<AccessKeyEntity> persistKey(String akid, String accountId, String secret) {
        AccessKeyEntity k = new AccessKeyEntity();
        k.accessKeyId = akid;
        k.accountId = accountId;
        k.secretSealed = sealer.seal(secret.getBytes(StandardCharsets.UTF_8), akid.getBytes(StandardCharsets.UTF_8));
        k.status = "Active";
        k.createdAt = now();
        return k.persist();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private String newAccountId() {
        StringBuilder sb = new StringBuilder(12);
        sb.append(1 + random.nextInt(9));
        for (int i = 1; i < 12; i++) {
            sb.append(random.nextInt(10));
        }
        return sb.toString();
    }

    private String randomString(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
