package dev.sseproxy.catalog;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.reactive.CallerContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Accounts and access keys. Secrets are sealed by the KMS ({@link AccessKeySecrets}) before they
 * reach PostgreSQL. Lookups for request authentication are cached with the opened secret (bounded in
 * bytes, see {@link LookupCaches}; {@code sse-proxy.credential-cache-ttl}, default {@link #CREDENTIAL_TTL};
 * invalidated on change), so neither PostgreSQL nor the KMS is asked per request; each load is one KMS
 * call of the proxy's own.
 */
@ApplicationScoped
public class AccountService {
    /** How long an opened credential is reused before PostgreSQL and the KMS are asked again, unless configured. */
    static final Duration CREDENTIAL_TTL = Duration.ofMinutes(5);
    /** The longest access key id AWS issues (IAM: 16 to 128 characters). */
    public static final int MAX_ACCESS_KEY_ID = 128;
    /** At most this many bytes of cached credential lookups (about 15,000 of the longest unknown ids). */
    static final long CREDENTIAL_CACHE_BYTES = 8L * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(AccountService.class);
    private static final String ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final AccessKeySecrets secrets;
    private final Function<String, Uni<AccessKeyEntity>> findKey;
    private final Function<String, Uni<UserIdentity>> findUser;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AsyncCache<String, Optional<Credential>> credentials;

    /** Bytes the credential cache holds now, by its estimate (tests). */
    long cachedBytes() {
        credentials.synchronous().cleanUp();
        return credentials.synchronous().policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** Drops this node's cached credential of {@code accessKeyId} (another node changed the key). */
    public void forgetCredential(String accessKeyId) {
        credentials.synchronous().invalidate(accessKeyId);
    }

    /**
     * Drops this node's cached credentials of the keys of user {@code userId} (its policies or the user
     * changed), and every lookup still in flight, which may have read the old state.
     */
    public void forgetUser(String userId) {
        forgetWhere(c -> c.user() != null && c.user().userId().equals(userId));
    }

    /** Drops the cached credentials of every user key of an account (one of its managed policies changed). */
    public void forgetAccountUsers(String accountId) {
        forgetWhere(c -> c.user() != null && c.accountId().equals(accountId));
    }

    private void forgetWhere(java.util.function.Predicate<Credential> stale) {
        credentials.asMap().entrySet().removeIf(e -> {
            var f = e.getValue();
            if (!f.isDone() || f.isCompletedExceptionally()) {
                return true;
            }
            return f.join().filter(stale).isPresent();
        });
    }

    /** Drops every cached credential (this node may have missed changes made elsewhere). */
    public void forgetCredentials() {
        credentials.synchronous().invalidateAll();
    }

    @Inject
    public AccountService(AccessKeySecrets secrets, IamCatalog iam, SseProxyConfig config) {
        this(secrets, id -> Panache.withSession(() -> AccessKeyEntity.<AccessKeyEntity>findById(id)), iam::identity,
                Clock.systemUTC(), config.credentialCacheTtl());
    }

    /** A service reading access keys through {@code findKey} (no IAM users), with cache expiry measured by {@code clock}. */
    AccountService(AccessKeySecrets secrets, Function<String, Uni<AccessKeyEntity>> findKey, Clock clock) {
        this(secrets, findKey, id -> Uni.createFrom().nullItem(), clock, CREDENTIAL_TTL);
    }

    /** A service reading access keys through {@code findKey} and users' identities through {@code findUser}. */
    AccountService(AccessKeySecrets secrets, Function<String, Uni<AccessKeyEntity>> findKey,
            Function<String, Uni<UserIdentity>> findUser, Clock clock, Duration credentialTtl) {
        this.secrets = secrets;
        this.findKey = findKey;
        this.findUser = findUser;
        this.clock = clock;
        this.credentials = LookupCaches.bounded(CREDENTIAL_CACHE_BYTES, credentialTtl, AccountService::weight, clock);
    }

    /**
     * A cached credential's estimated bytes: its strings, and for a user its name, path and the
     * policies' text times {@value #PARSED_POLICY_FACTOR} (the text and what parsing built from it).
     */
    static int weight(Credential c) {
        int chars = c.accessKeyId().length() + c.accountId().length() + c.secretKey().length();
        if (c.user() != null) {
            chars += c.user().name().length() + c.user().path().length() + c.user().userId().length()
                    + PARSED_POLICY_FACTOR * c.identityPolicies().stream().mapToInt(p -> p.text().length()).sum();
        }
        return 2 * chars + 64;
    }

    /** A parsed policy is estimated at this many times its text's size. */
    static final int PARSED_POLICY_FACTOR = 4;

    /**
     * The active credential for an access key id, if any (cached, unknown ids too); completes on the
     * caller's context. An id longer than AWS allows ({@link #MAX_ACCESS_KEY_ID}) is unknown without a
     * lookup, and nothing is cached for it.
     */
    public Uni<Optional<Credential>> credential(String accessKeyId) {
        if (accessKeyId == null || accessKeyId.length() > MAX_ACCESS_KEY_ID) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().deferred(() -> {
            Executor caller = CallerContext.capture();
            return Uni.createFrom().completionStage(() -> credentials.get(accessKeyId,
                    (k, ex) -> loadCredential(k).subscribeAsCompletionStage())).emitOn(caller);
        });
    }

    private Uni<Optional<Credential>> loadCredential(String accessKeyId) {
        return findKey.apply(accessKeyId).chain(e -> {
            if (e == null || !"Active".equals(e.status)) {
                return Uni.createFrom().item(Optional.<Credential>empty());
            }
            Uni<Optional<UserIdentity>> user = e.userId == null ? Uni.createFrom().item(Optional.empty())
                    : findUser.apply(e.userId).map(Optional::ofNullable);
            return user.chain(u -> e.userId != null && u.isEmpty()
                    ? Uni.createFrom().item(Optional.<Credential>empty())
                    : secrets.open(e.accessKeyId, e.accountId, e.secretSealed)
                            .map(secret -> Optional.of(credential(e, secret, u.orElse(null)))));
        });
    }

    /**
     * The credential of a key row. A user's stored policy documents were validated when written; one
     * that no longer parses fails the lookup (fail closed: it might have held a Deny).
     */
    private static Credential credential(AccessKeyEntity e, String secret, UserIdentity u) {
        if (u == null) {
            return new Credential(e.accessKeyId, e.accountId, secret);
        }
        List<Policy> policies = u.policyDocuments().stream().map(Policy::identityPolicy).toList();
        return new Credential(e.accessKeyId, e.accountId, secret, u.user(), policies);
    }

    /**
     * Makes sure the KMS sealing key exists, then re-seals with the KMS every secret still sealed the
     * old way (under the master key). A legacy secret that does not open is left as it is, with a
     * warning: its key cannot authenticate until the right master key is configured.
     *
     * @return how many secrets were re-sealed
     */
    public Uni<Integer> prepareSecrets() {
        return secrets.ensureKey()
                .chain(() -> Panache.withSession(() -> AccessKeyEntity.<AccessKeyEntity>listAll()))
                .chain(all -> Multi.createFrom().iterable(all).filter(k -> AccessKeySecrets.isLegacy(k.secretSealed))
                        .onItem().transformToUniAndConcatenate(this::resealLegacy)
                        .filter(Optional::isPresent).map(Optional::get).collect().asMap(Map.Entry::getKey, Map.Entry::getValue))
                .chain(this::storeResealed);
    }

    private Uni<Optional<Map.Entry<String, byte[]>>> resealLegacy(AccessKeyEntity k) {
        String secret;
        try {
            secret = secrets.openLegacy(k.accessKeyId, k.secretSealed);
        } catch (RuntimeException e) {
            LOG.warnf("access key %s: its legacy sealed secret does not open under this master key (%s); left as it is",
                    k.accessKeyId, e.getClass().getSimpleName());
            return Uni.createFrom().item(Optional.empty());
        }
        return secrets.seal(k.accessKeyId, k.accountId, secret).map(sealed -> Optional.of(Map.entry(k.accessKeyId, sealed)));
    }

    private Uni<Integer> storeResealed(Map<String, byte[]> resealed) {
        if (resealed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.withTransaction(() -> AccessKeyEntity.<AccessKeyEntity>list("accessKeyId in ?1", List.copyOf(resealed.keySet()))
                .invoke(rows -> rows.stream().filter(r -> AccessKeySecrets.isLegacy(r.secretSealed))
                        .forEach(r -> r.secretSealed = resealed.get(r.accessKeyId))))
                .invoke(rows -> credentials.synchronous().invalidateAll(resealed.keySet()))
                .map(rows -> resealed.size());
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
        return secrets.seal(akid, accountId, secret).chain(sealed -> Panache.withTransaction(
                () -> AccountEntity.<AccountEntity>findById(accountId)
                        .onItem().ifNull().failWith(() -> new CatalogException.NotFound("account " + accountId))
                        .chain(a -> persistKey(akid, accountId, sealed))))
                .map(k -> new Credential(akid, accountId, secret));
    }

    /** The most access keys an IAM user may have, as IAM's quota {@code AccessKeysPerUser}. */
    public static final int MAX_KEYS_PER_USER = 2;

    /**
     * Creates an access key ({@code AKIA} and 16 more characters, as IAM's) for an IAM user of the account,
     * sealed like every secret; the secret is returned once. Fails with {@code LimitExceeded} when the user
     * has {@link #MAX_KEYS_PER_USER} already (counted under a lock of the user's row), {@code NotFound}
     * when the user is gone.
     */
    public Uni<Credential> createUserAccessKey(IamCatalog iam, IamUser user) {
        String akid = "AKIA" + randomString(ALPHANUM, 16);
        String secret = randomString(SECRET_CHARS, 40);
        return secrets.seal(akid, user.accountId(), secret).chain(sealed -> Panache.withTransaction(
                () -> iam.userForUpdate(user.userId())
                        .chain(u -> u.isEmpty() ? Uni.createFrom().failure(new CatalogException.NotFound("user " + user.name()))
                                : iam.keyCount(user.userId()))
                        .chain(n -> n >= MAX_KEYS_PER_USER
                                ? Uni.createFrom().failure(new QuotaExceededException("AccessKeysPerUser", MAX_KEYS_PER_USER))
                                : persistKey(akid, user.accountId(), sealed, user.userId()))))
                .map(k -> new Credential(akid, user.accountId(), secret, user, List.of()));
    }

    public Uni<Void> deleteAccessKey(String accessKeyId) {
        return Panache.withTransaction(() -> AccessKeyEntity.deleteById(accessKeyId))
                .invoke(deleted -> credentials.synchronous().invalidate(accessKeyId))
                .chain(deleted -> deleted ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new CatalogException.NotFound("access key " + accessKeyId)));
    }

    /** Creates the root account and key, or brings the key's secret in line with the configuration. */
    public Uni<Void> bootstrapRoot(String accountId, String accessKey, String secretKey) {
        return Panache.withSession(() -> AccessKeyEntity.<AccessKeyEntity>findById(accessKey))
                .chain(k -> rootIsCurrent(k, accountId, secretKey))
                .chain(current -> current ? Uni.createFrom().voidItem() : writeRoot(accountId, accessKey, secretKey));
    }

    /**
     * Whether the stored root access key already is the configured one (account, status, secret): then
     * nothing is written. Every start of every node used to seal the secret again; with keystores of
     * their own that made the row unreadable for the other nodes. A row that does not open at all is
     * refused rather than overwritten: another node may still be using it.
     */
    private Uni<Boolean> rootIsCurrent(AccessKeyEntity k, String accountId, String secretKey) {
        if (k == null || !accountId.equals(k.accountId) || !"Active".equals(k.status)
                || AccessKeySecrets.isLegacy(k.secretSealed)) {
            return Uni.createFrom().item(false);
        }
        String akid = k.accessKeyId;
        return secrets.open(akid, k.accountId, k.secretSealed).map(secretKey::equals)
                .onFailure(KmsException.InvalidCiphertext.class).transform(e -> new IllegalStateException(
                        "sse-proxy does not start: the stored secret of the root access key " + akid + " does not open "
                        + "with the local KMS this node uses (it was sealed under a key this node does not have). It is "
                        + "left as it is, since the node that sealed it may still be using it. Give every node the same "
                        + "database and master key; if that secret is lost for good, delete the row (DELETE FROM "
                        + "access_key WHERE access_key_id = '" + akid + "') and start again to seal it anew.", e));
    }

    private Uni<Void> writeRoot(String accountId, String accessKey, String secretKey) {
        return secrets.seal(accessKey, accountId, secretKey).chain(sealed -> Panache.withTransaction(
                () -> AccountEntity.<AccountEntity>findById(accountId)
                        .chain(a -> a != null ? Uni.createFrom().item(a) : newRoot(accountId))
                        .chain(a -> AccessKeyEntity.<AccessKeyEntity>findById(accessKey))
                        .chain(k -> {
                            if (k == null) {
                                return persistKey(accessKey, accountId, sealed).replaceWithVoid();
                            }
                            k.accountId = accountId;
                            k.status = "Active";
                            k.secretSealed = sealed;
                            return Uni.createFrom().voidItem();
                        })))
                .invoke(() -> credentials.synchronous().invalidate(accessKey));
    }

    private Uni<AccountEntity> newRoot(String accountId) {
        AccountEntity a = new AccountEntity();
        a.id = accountId;
        a.name = "root";
        a.createdAt = now();
        return a.persist();
    }

    private Uni<AccessKeyEntity> persistKey(String akid, String accountId, byte[] sealed) {
        return persistKey(akid, accountId, sealed, null);
    }

    private Uni<AccessKeyEntity> persistKey(String akid, String accountId, byte[] sealed, String userId) {
        AccessKeyEntity k = new AccessKeyEntity();
        k.userId = userId;
        k.accessKeyId = akid;
        k.accountId = accountId;
        k.secretSealed = sealed;
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

    /** A new id as IAM makes them: {@code prefix} ({@code AIDA} users, {@code ANPA} policies) and 17 more characters. */
    public String newIamId(String prefix) {
        return prefix + randomString(ALPHANUM, 17);
    }

    private String randomString(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
