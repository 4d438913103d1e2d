package dev.sseproxy.kms.registry;

import dev.sseproxy.reactive.CallerContext;
import dev.sseproxy.kms.registry.KeyResolution.LoadedKey;
import dev.sseproxy.kms.registry.KeyResolution.Lookup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Management of keys and aliases, shaped like the AWS KMS API: every call acts for one account on
 * that account's own keys (another account's key may only be described, by ARN, with a
 * {@code kms:DescribeKey} grant). An account root manages its account's keys whatever their policies
 * say; an IAM user needs what {@link KeyAuthorization} grants it (key policy and identity policies),
 * checked after existence. Each operation takes a {@link KeyRequester}, or an account id for its root.
 * Reads are fresh; every change drops the registry's resolution cache.
 * Keys whose deletion date has passed are deleted at the start of each call.
 */
@ApplicationScoped
public class KeyManagement {
    private final KeyRegistry registry;
    private final KeyRepository repository;

    public KeyManagement(KeyRegistry registry) {
        this.registry = registry;
        this.repository = registry.repository();
    }

    /** CreateKey: makes the backend key first, then registers it (Enabled, customer managed). */
    public Uni<KmsKey> createKey(String accountId, NewKey spec) {
        return createKey(KeyRequester.root(accountId), spec);
    }

    /** CreateKey for a root or a user allowed {@code kms:CreateKey}; the key belongs to the requester's account. */
    public Uni<KmsKey> createKey(KeyRequester requester, NewKey spec) {
        String accountId = requester.accountId();
        return registry.changing(() -> {
            inAccount(requester, KmsAction.CREATE_KEY);
            String description = KeyRequests.newKeyDescription(spec);
            String policy = spec.policy() == null ? KeyPolicy.defaultPolicy(accountId) : spec.policy();
            KeyPolicy.parse(policy);
            UUID id = UUID.randomUUID();
            String backendName = "sse-proxy-" + id;
            KmsKey key = new KmsKey(id, accountId, KeyIdentifier.keyArn(registry.region(), accountId, id), backendName,
                    description, KeyManager.CUSTOMER, KeyState.ENABLED, null, policy, registry.now());
            Executor caller = CallerContext.capture();
            return registry.kms().createKey(backendName).emitOn(caller).chain(info -> repository.insertKey(key))
                    .map(inserted -> {
                        if (!inserted) {
                            throw new IllegalStateException("key id " + id + " is taken");
                        }
                        return key;
                    });
        });
    }

    /** DescribeKey: any form of identifier; another account's key by ARN with a DescribeKey grant. */
    public Uni<KmsKey> describeKey(String accountId, String keyId) {
        return describeKey(KeyRequester.root(accountId), keyId);
    }

    /** DescribeKey for a root or a user. */
    public Uni<KmsKey> describeKey(KeyRequester requester, String keyId) {
        String accountId = requester.accountId();
        return registry.purgeDeleted().chain(() -> {
            Lookup found = KeyResolution.lookupFor(KeyIdentifier.parse(keyId), accountId, registry.region());
            // describing never creates aws/s3
            Lookup lookup = found.kind() == Lookup.Kind.AWS_MANAGED
                    ? new Lookup(found.accountId(), Lookup.Kind.ALIAS, found.name()) : found;
            Uni<Optional<KmsKey>> row = lookup.kind() == Lookup.Kind.KEY
                    ? repository.findKey(lookup.accountId(), UUID.fromString(lookup.name()))
                    : repository.findKeyByAlias(lookup.accountId(), lookup.name());
            return row.map(k -> describable(lookup, k, requester));
        });
    }

    private KmsKey describable(Lookup lookup, Optional<KmsKey> row, KeyRequester requester) {
        boolean foreign = !lookup.accountId().equals(requester.accountId());
        if (row.isEmpty()) {
            throw foreign ? new KeyRegistryException.AccessDenied(requester, KmsAction.DESCRIBE_KEY.iamName())
                    : KeyResolution.notFound(lookup, registry.region());
        }
        if ((foreign || !requester.principal().isRoot()) && !KeyAuthorization.permitted(LoadedKey.of(row.get()),
                requester, KmsAction.DESCRIBE_KEY, KeyAuthorization.Via.DIRECT, registry.region())) {
            throw new KeyRegistryException.AccessDenied(requester, KmsAction.DESCRIBE_KEY.iamName());
        }
        return row.get();
    }

    /** Refuses an account-scoped action the requester may not perform (a user without an identity Allow). */
    private void inAccount(KeyRequester requester, KmsAction action) {
        if (!KeyAuthorization.permittedInAccount(requester, action, registry.region())) {
            throw new KeyRegistryException.AccessDenied(requester, action.iamName());
        }
    }

    /** ListKeys: the account's keys in key id order; the marker is the last key id of the previous page. */
    public Uni<Page<KmsKey>> listKeys(String accountId, Integer limit, String marker) {
        return listKeys(KeyRequester.root(accountId), limit, marker);
    }

    /** ListKeys for a root or a user allowed {@code kms:ListKeys}. */
    public Uni<Page<KmsKey>> listKeys(KeyRequester requester, Integer limit, String marker) {
        String accountId = requester.accountId();
        return registry.purgeDeleted().chain(() -> {
            inAccount(requester, KmsAction.LIST_KEYS);
            int n = KeyRequests.limit(limit);
            return repository.listKeys(accountId, KeyRequests.keyMarker(marker), n + 1)
                    .map(keys -> page(keys, n, k -> k.keyId().toString()));
        });
    }

    /** EnableKey: Disabled → Enabled (Enabled stays so); a key pending deletion must be cancelled first. */
    public Uni<KmsKey> enableKey(String accountId, String keyId) {
        return enableKey(KeyRequester.root(accountId), keyId);
    }

    /** EnableKey for a root or a user. */
    public Uni<KmsKey> enableKey(KeyRequester requester, String keyId) {
        return moveState(requester, keyId, KmsAction.ENABLE_KEY, k -> activeOnly(k).withState(KeyState.ENABLED, null));
    }

    /** DisableKey: Enabled → Disabled; every later resolution fails with DisabledException. */
    public Uni<KmsKey> disableKey(String accountId, String keyId) {
        return disableKey(KeyRequester.root(accountId), keyId);
    }

    /** DisableKey for a root or a user. */
    public Uni<KmsKey> disableKey(KeyRequester requester, String keyId) {
        return moveState(requester, keyId, KmsAction.DISABLE_KEY, k -> activeOnly(k).withState(KeyState.DISABLED, null));
    }

    /** ScheduleKeyDeletion: PendingDeletion until now + 7..30 days (30 by default), then gone. */
    public Uni<KmsKey> scheduleKeyDeletion(String accountId, String keyId, Integer pendingWindowInDays) {
        return scheduleKeyDeletion(KeyRequester.root(accountId), keyId, pendingWindowInDays);
    }

    /** ScheduleKeyDeletion for a root or a user. */
    public Uni<KmsKey> scheduleKeyDeletion(KeyRequester requester, String keyId, Integer pendingWindowInDays) {
        return Uni.createFrom().deferred(() -> {
            int days = KeyRequests.pendingWindow(pendingWindowInDays);
            Instant deletion = registry.now().plus(Duration.ofDays(days));
            return moveState(requester, keyId, KmsAction.SCHEDULE_KEY_DELETION,
                    k -> activeOnly(k).withState(KeyState.PENDING_DELETION, deletion));
        });
    }

    /** CancelKeyDeletion: PendingDeletion → Disabled, as AWS does. */
    public Uni<KmsKey> cancelKeyDeletion(String accountId, String keyId) {
        return cancelKeyDeletion(KeyRequester.root(accountId), keyId);
    }

    /** CancelKeyDeletion for a root or a user. */
    public Uni<KmsKey> cancelKeyDeletion(KeyRequester requester, String keyId) {
        return moveState(requester, keyId, KmsAction.CANCEL_KEY_DELETION, k -> {
            if (k.state() != KeyState.PENDING_DELETION) {
                throw KeyRegistryException.InvalidState.notPendingDeletion(k.arn());
            }
            return k.withState(KeyState.DISABLED, null);
        });
    }

    /** GetKeyPolicy: the stored document ({@code default} is the only policy name). */
    public Uni<String> getKeyPolicy(String accountId, String keyId, String policyName) {
        return getKeyPolicy(KeyRequester.root(accountId), keyId, policyName);
    }

    /** GetKeyPolicy for a root or a user. */
    public Uni<String> getKeyPolicy(KeyRequester requester, String keyId, String policyName) {
        return registry.purgeDeleted().chain(() -> {
            KeyRequests.policyName(policyName);
            return ownKey(requester, keyId, KmsAction.GET_KEY_POLICY).map(KmsKey::policy);
        });
    }

    /** PutKeyPolicy: replaces the policy of a customer managed key; resolutions see it at once. */
    public Uni<KmsKey> putKeyPolicy(String accountId, String keyId, String policyName, String policy) {
        return putKeyPolicy(KeyRequester.root(accountId), keyId, policyName, policy);
    }

    /** PutKeyPolicy for a root or a user. */
    public Uni<KmsKey> putKeyPolicy(KeyRequester requester, String keyId, String policyName, String policy) {
        return registry.changing(() -> {
            KeyRequests.policyName(policyName);
            KeyPolicy.parse(policy);
            return registry.purgeDeleted().chain(() -> ownKey(requester, keyId, KmsAction.PUT_KEY_POLICY))
                    .map(KeyManagement::customerManaged)
                    .chain(k -> repository.updatePolicy(k.keyId(), policy).map(ok -> gone(ok, k).withPolicy(policy)));
        });
    }

    /** CreateAlias: a new name for an own customer managed key that is not pending deletion. */
    public Uni<KmsAlias> createAlias(String accountId, String aliasName, String targetKeyId) {
        return createAlias(KeyRequester.root(accountId), aliasName, targetKeyId);
    }

    /** CreateAlias for a root or a user (allowed {@code kms:CreateAlias} on the target key). */
    public Uni<KmsAlias> createAlias(KeyRequester requester, String aliasName, String targetKeyId) {
        String accountId = requester.accountId();
        return registry.changing(() -> {
            KeyRequests.customerAliasName(aliasName);
            KeyIdentifier target = KeyIdentifier.parse(targetKeyId);
            if (target instanceof KeyIdentifier.AliasName || target instanceof KeyIdentifier.AliasArn) {
                throw new KeyRegistryException.Validation("Aliases must refer to keys. Not aliases");
            }
            return registry.purgeDeleted().chain(() -> ownKey(requester, targetKeyId, KmsAction.CREATE_ALIAS))
                    .map(k -> activeOnly(customerManaged(k)))
                    .chain(k -> insertAlias(new KmsAlias(accountId, aliasName, k.keyId(), registry.now())));
        });
    }

    private Uni<KmsAlias> insertAlias(KmsAlias alias) {
        // checked first so the usual case needs no failed insert; the unique key settles races
        return repository.findAlias(alias.accountId(), alias.aliasName()).chain(existing -> existing.isPresent()
                ? Uni.createFrom().item(false) : repository.insertAlias(alias)).map(inserted -> {
            if (!inserted) {
                throw new KeyRegistryException.AlreadyExists(aliasArn(alias.accountId(), alias.aliasName()));
            }
            return alias;
        });
    }

    /** DeleteAlias: removes an own customer alias; the key stays. */
    public Uni<Void> deleteAlias(String accountId, String aliasName) {
        return deleteAlias(KeyRequester.root(accountId), aliasName);
    }

    /** DeleteAlias for a root or a user (allowed {@code kms:DeleteAlias} on the key the alias names). */
    public Uni<Void> deleteAlias(KeyRequester requester, String aliasName) {
        String accountId = requester.accountId();
        return registry.changing(() -> {
            KeyRequests.customerAliasName(aliasName);
            return registry.purgeDeleted().chain(() -> requester.principal().isRoot() ? Uni.createFrom().voidItem()
                    : repository.findKeyByAlias(accountId, aliasName).invoke(k -> k.ifPresent(
                            key -> authorize(requester, key, KmsAction.DELETE_ALIAS))).replaceWithVoid())
                    .chain(() -> repository.deleteAlias(accountId, aliasName)).map(deleted -> {
                        if (!deleted) {
                            throw new KeyRegistryException.AliasNotFound(aliasArn(accountId, aliasName));
                        }
                        return null;
                    });
        });
    }

    /** ListAliases: the account's aliases in name order, optionally of one own key. */
    public Uni<Page<KmsAlias>> listAliases(String accountId, String keyId, Integer limit, String marker) {
        return listAliases(KeyRequester.root(accountId), keyId, limit, marker);
    }

    /** ListAliases for a root or a user allowed {@code kms:ListAliases}. */
    public Uni<Page<KmsAlias>> listAliases(KeyRequester requester, String keyId, Integer limit, String marker) {
        String accountId = requester.accountId();
        return registry.purgeDeleted().chain(() -> {
            inAccount(requester, KmsAction.LIST_ALIASES);
            int n = KeyRequests.limit(limit);
            String after = KeyRequests.aliasMarker(marker);
            Uni<UUID> filter = keyId == null ? Uni.createFrom().nullItem()
                    : ownKey(requester, keyId, KmsAction.LIST_ALIASES).map(KmsKey::keyId);
            return filter.chain(id -> repository.listAliases(accountId, id, after, n + 1))
                    .map(aliases -> page(aliases, n, KmsAlias::aliasName));
        });
    }

    /** The ARN of an alias of this account. */
    public String aliasArn(String accountId, String aliasName) {
        return KeyIdentifier.aliasArn(registry.region(), accountId, aliasName);
    }

    private Uni<KmsKey> moveState(KeyRequester requester, String keyId, KmsAction action, Function<KmsKey, KmsKey> move) {
        Uni<KmsKey> attempt = Uni.createFrom().deferred(() -> ownKey(requester, keyId, action)
                .map(KeyManagement::customerManaged)
                .chain(before -> {
                    KmsKey after = move.apply(before);
                    if (after.equals(before)) {
                        return Uni.createFrom().item(after);
                    }
                    return repository.updateState(before.keyId(), before.state(), after.state(), after.deletionDate())
                            .map(ok -> {
                                if (!ok) {
                                    throw new ConcurrentChange();
                                }
                                return after;
                            });
                }));
        return registry.changing(() -> registry.purgeDeleted()
                .chain(() -> attempt.onFailure(ConcurrentChange.class).retry().atMost(3)));
    }

    /**
     * An own key named by key id or key ARN (the forms AWS takes for these operations). Another
     * account's ARN is access denied; a missing key "does not exist".
     */
    private Uni<KmsKey> ownKey(KeyRequester requester, String keyId, KmsAction action) {
        String accountId = requester.accountId();
        return Uni.createFrom().deferred(() -> {
            KeyIdentifier id = KeyIdentifier.parse(keyId);
            if (id instanceof KeyIdentifier.AliasName || id instanceof KeyIdentifier.AliasArn) {
                throw new KeyRegistryException.InvalidKeyId(keyId);
            }
            Lookup lookup = KeyResolution.lookupFor(id, accountId, registry.region());
            if (!lookup.accountId().equals(accountId)) {
                throw new KeyRegistryException.AccessDenied(requester, action.iamName());
            }
            return repository.findKey(accountId, UUID.fromString(lookup.name()))
                    .map(k -> authorize(requester, k.orElseThrow(() -> KeyResolution.notFound(lookup, registry.region())),
                            action));
        });
    }

    /** An own key, if the requester may act on it: a root always; a user as {@link KeyAuthorization} says. */
    private KmsKey authorize(KeyRequester requester, KmsKey key, KmsAction action) {
        if (!requester.principal().isRoot() && !KeyAuthorization.permitted(LoadedKey.of(key), requester, action,
                KeyAuthorization.Via.DIRECT, registry.region())) {
            throw new KeyRegistryException.AccessDenied(requester, action.iamName());
        }
        return key;
    }

    private static KmsKey customerManaged(KmsKey key) {
        if (key.keyManager() == KeyManager.AWS) {
            throw new KeyRegistryException.Unsupported(key.arn() + " is an AWS managed key: its state, aliases and "
                    + "policy cannot be changed.");
        }
        return key;
    }

    private static KmsKey activeOnly(KmsKey key) {
        if (key.state() == KeyState.PENDING_DELETION) {
            throw KeyRegistryException.InvalidState.pendingDeletion(key.arn());
        }
        return key;
    }

    private static KmsKey gone(boolean updated, KmsKey key) {
        if (!updated) {
            throw new ConcurrentChange();
        }
        return key;
    }

    private static <T> Page<T> page(List<T> fetched, int limit, Function<T, String> markerOf) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, Optional.empty());
        }
        List<T> items = fetched.subList(0, limit);
        return new Page<>(items, Optional.of(markerOf.apply(items.get(limit - 1))));
    }

    /** A key changed between reading and writing it; the change is tried again. */
    private static final class ConcurrentChange extends RuntimeException {
        ConcurrentChange() {
            super("the key changed concurrently", null, false, false);
        }
    }
}
