package dev.sseproxy.kms.registry;

import dev.sseproxy.reactive.CallerContext;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.registry.KeyResolution.LoadedKey;
import dev.sseproxy.kms.registry.KeyResolution.Lookup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The KMS key registry: AWS-shaped keys and aliases per account, over the {@link KmsClient} keys
 * that hold the material.
 *
 * <p>The data path calls {@link #resolve}: cached for a short time, and the cache is dropped
 * whenever this node changes a key or alias (disabling a key stops new use at once here; other
 * nodes follow when the change feed of {@code dev.sseproxy.cluster} tells them, at the latest within the TTL). Management calls ({@link KeyManagement}) read fresh rows.
 */
@ApplicationScoped
public class KeyRegistry {
    /** The description AWS gives every account's {@code aws/s3} key. */
    public static final String AWS_S3_DESCRIPTION = "Default key that protects my S3 objects when no other key is defined";

    private final KeyRepository repository;
    private final KmsClient kms;
    private final String region;
    private final Clock clock;
    private final AsyncCache<Lookup, Optional<LoadedKey>> cache;

    @Inject
    public KeyRegistry(KeyRepository repository, KmsClient kms, SseProxyConfig config) {
        this(repository, kms, config.region(), config.kms().registryCacheTtl(), Clock.systemUTC());
    }

    /** A registry for {@code region}, caching resolutions for {@code cacheTtl} as measured by {@code clock}. */
    public KeyRegistry(KeyRepository repository, KmsClient kms, String region, Duration cacheTtl, Clock clock) {
        this.repository = repository;
        this.kms = kms;
        this.region = region;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheTtl)
                .ticker(() -> nanos(clock.instant())).executor(Runnable::run).buildAsync();
    }

    /** The region whose ARNs this registry issues and accepts. */
    public String region() {
        return region;
    }

    /**
     * The key a data-path request may use (spec §4.1): key id, key ARN, alias name or alias ARN;
     * key ids and alias names in the requester's account; another account's key only by full ARN
     * and with a grant in its policy. Null means the requester's {@code aws/s3}, created on first use.
     *
     * @return fails with a {@link KeyRegistryException} carrying the message S3 reports (spec §4.5)
     */
    public Uni<ResolvedKey> resolve(String requestedKeyId, String requesterAccountId, KmsAction action) {
        return resolve(requestedKeyId, KeyRequester.root(requesterAccountId), action);
    }

    /**
     * {@link #resolve(String, String, KmsAction)} for a root or an IAM user: resolved in the requester's
     * account, authorized by the key policy and the requester's identity policies (package documentation)
     * on every call, from the cached row: no KMS or database call when cached.
     */
    public Uni<ResolvedKey> resolve(String requestedKeyId, KeyRequester requester, KmsAction action) {
        return Uni.createFrom().deferred(() -> {
            Executor caller = CallerContext.capture();
            KeyIdentifier id = requestedKeyId == null ? new KeyIdentifier.AliasName(KeyIdentifier.AWS_S3_ALIAS)
                    : KeyIdentifier.parse(requestedKeyId);
            Lookup lookup = KeyResolution.lookupFor(id, requester.accountId(), region);
            return cached(lookup).emitOn(caller).map(found -> KeyResolution.decide(lookup, found, requester,
                    action, region, clock.instant()));
        });
    }

    private final java.util.List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Runs {@code listener} after every change this node makes to a key or alias (state, policy,
     * deletion): caches of things derived from keys, such as bucket keys, drop their entries.
     */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * Drops what a key or alias change made elsewhere makes stale: exactly what a change made on this
     * node drops ({@link #invalidateAll}).
     */
    public void forgetAll() {
        invalidateAll();
    }

    /** Drops every cached resolution only (a key or alias was created elsewhere: absent answers are cached too). */
    public void forgetResolutions() {
        cache.synchronous().invalidateAll();
    }

    /** Drops every cached resolution: called after each change this node makes. */
    void invalidateAll() {
        cache.synchronous().invalidateAll();
        changeListeners.forEach(Runnable::run);
    }

    /** Runs a change, then drops the cache once it has committed (or failed). */
    <T> Uni<T> changing(Supplier<Uni<? extends T>> change) {
        return Uni.createFrom().<T>deferred(change).eventually(this::invalidateAll);
    }

    private Uni<Optional<LoadedKey>> cached(Lookup lookup) {
        return Uni.createFrom().completionStage(() -> cache.get(lookup,
                (l, executor) -> load(l).subscribeAsCompletionStage()));
    }

    private Uni<Optional<LoadedKey>> load(Lookup l) {
        Uni<Optional<KmsKey>> row = switch (l.kind()) {
            case KEY -> repository.findKey(l.accountId(), UUID.fromString(l.name()));
            case ALIAS -> repository.findKeyByAlias(l.accountId(), l.name());
            case AWS_MANAGED -> awsManagedKey(l.accountId());
        };
        return row.map(k -> k.map(LoadedKey::of));
    }

    /** The account's {@code aws/s3} key, created when missing (one per account, whoever races). */
    Uni<Optional<KmsKey>> awsManagedKey(String accountId) {
        return repository.findKeyByAlias(accountId, KeyIdentifier.AWS_S3_ALIAS).chain(found -> found.isPresent()
                ? Uni.createFrom().item(found) : createAwsManagedKey(accountId));
    }

    private Uni<Optional<KmsKey>> createAwsManagedKey(String accountId) {
        Executor caller = CallerContext.capture();
        UUID id = UUID.randomUUID();
        Instant now = now();
        // one backend name per account: a racing node creates (idempotently) the same backend key
        String backendName = "sse-proxy-aws-s3-" + accountId;
        KmsKey key = new KmsKey(id, accountId, KeyIdentifier.keyArn(region, accountId, id), backendName,
                AWS_S3_DESCRIPTION, KeyManager.AWS, KeyState.ENABLED, null,
                KeyPolicy.awsManagedS3Policy(accountId, region), now);
        KmsAlias alias = new KmsAlias(accountId, KeyIdentifier.AWS_S3_ALIAS, id, now);
        return kms.createKey(backendName).emitOn(caller)
                .chain(info -> repository.insertAwsManagedKey(key, alias))
                .chain(inserted -> inserted ? Uni.createFrom().item(Optional.of(key))
                        : repository.findKeyByAlias(accountId, KeyIdentifier.AWS_S3_ALIAS));
    }

    /** Deletes keys whose deletion date has passed (with their aliases), before a management call. */
    Uni<Void> purgeDeleted() {
        return Uni.createFrom().deferred(() -> repository.purgeDeleted(clock.instant())).invoke(n -> {
            if (n > 0) {
                invalidateAll();
            }
        }).replaceWithVoid();
    }

    KeyRepository repository() {
        return repository;
    }

    KmsClient kms() {
        return kms;
    }

    /** Now, to the microsecond PostgreSQL keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The current entries' count, for tests of invalidation. */
    long cachedEntries() {
        return cache.synchronous().estimatedSize();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
