package dev.sseproxy.kms.registry;

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
 * {@code kms:DescribeKey} grant). Reads are fresh; every change drops the registry's resolution cache.
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
        return registry.changing(() -> {
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
        return registry.purgeDeleted().chain(() -> {
            Lookup found = KeyResolution.lookupFor(KeyIdentifier.parse(keyId), accountId, registry.region());
            // describing never creates aws/s3
            Lookup lookup = found.kind() == Lookup.Kind.AWS_MANAGED
                    ? new Lookup(found.accountId(), Lookup.Kind.ALIAS, found.name()) : found;
            Uni<Optional<KmsKey>> row = lookup.kind() == Lookup.Kind.KEY
                    ? repository.findKey(lookup.accountId(), UUID.fromString(lookup.name()))
                    : repository.findKeyByAlias(lookup.accountId(), lookup.name());
            return row.map(k -> describable(lookup, k, accountId));
        });
    }

    private KmsKey describable(Lookup lookup, Optional<KmsKey> row, String accountId) {
        boolean foreign = !lookup.accountId().equals(accountId);
        if (row.isEmpty()) {
            throw foreign ? new KeyRegistryException.AccessDenied(accountId, KmsAction.DESCRIBE_KEY.iamName())
                    : KeyResolution.notFound(lookup, registry.region());
        }
        if (foreign && !KeyResolution.permitted(LoadedKey.of(row.get()), accountId, KmsAction.DESCRIBE_KEY)) {
            throw new KeyRegistryException.AccessDenied(accountId, KmsAction.DESCRIBE_KEY.iamName());
        }
        return row.get();
    }

    /** ListKeys: the account's keys in key id order; the marker is the last key id of the previous page. */
    public Uni<Page<KmsKey>> listKeys(String accountId, Integer limit, String marker) {
        return registry.purgeDeleted().chain(() -> {
            int n = KeyRequests.limit(limit);
            return repository.listKeys(accountId, KeyRequests.keyMarker(marker), n + 1)
                    .map(keys -> page(keys, n, k -> k.keyId().toString()));
        });
    }

    /** EnableKey: Disabled → Enabled (Enabled stays so); a key pending deletion must be cancelled first. */
    public Uni<KmsKey> enableKey(String accountId, String keyId) {
        return moveState(accountId, keyId, "kms:EnableKey", k -> activeOnly(k).withState(KeyState.ENABLED, null));
    }

    /** DisableKey: Enabled → Disabled; every later resolution fails with DisabledException. */
    public Uni<KmsKey> disableKey(String accountId, String keyId) {
        return moveState(accountId, keyId, "kms:DisableKey", k -> activeOnly(k).withState(KeyState.DISABLED, null));
    }

    /** ScheduleKeyDeletion: PendingDeletion until now + 7..30 days (30 by default), then gone. */
    public Uni<KmsKey> scheduleKeyDeletion(String accountId, String keyId, Integer pendingWindowInDays) {
        return Uni.createFrom().deferred(() -> {
            int days = KeyRequests.pendingWindow(pendingWindowInDays);
            Instant deletion = registry.now().plus(Duration.ofDays(days));
            return moveState(accountId, keyId, "kms:ScheduleKeyDeletion",
                    k -> activeOnly(k).withState(KeyState.PENDING_DELETION, deletion));
        });
    }

    /** CancelKeyDeletion: PendingDeletion → Disabled, as AWS does. */
    public Uni<KmsKey> cancelKeyDeletion(String accountId, String keyId) {
        return moveState(accountId, keyId, "kms:CancelKeyDeletion", k -> {
            if (k.state() != KeyState.PENDING_DELETION) {
                throw KeyRegistryException.InvalidState.notPendingDeletion(k.arn());
            }
            return k.withState(KeyState.DISABLED, null);
        });
    }

    /** GetKeyPolicy: the stored document ({@code default} is the only policy name). */
    public Uni<String> getKeyPolicy(String accountId, String keyId, String policyName) {
        return registry.purgeDeleted().chain(() -> {
            KeyRequests.policyName(policyName);
            return ownKey(accountId, keyId, "kms:GetKeyPolicy").map(KmsKey::policy);
        });
    }

    /** PutKeyPolicy: replaces the policy of a customer managed key; resolutions see it at once. */
    public Uni<KmsKey> putKeyPolicy(String accountId, String keyId, String policyName, String policy) {
        return registry.changing(() -> {
            KeyRequests.policyName(policyName);
            KeyPolicy.parse(policy);
            return registry.purgeDeleted().chain(() -> ownKey(accountId, keyId, "kms:PutKeyPolicy"))
                    .map(KeyManagement::customerManaged)
                    .chain(k -> repository.updatePolicy(k.keyId(), policy).map(ok -> gone(ok, k).withPolicy(policy)));
        });
    }

    /** CreateAlias: a new name for an own customer managed key that is not pending deletion. */
    public Uni<KmsAlias> createAlias(String accountId, String aliasName, String targetKeyId) {
        return registry.changing(() -> {
            KeyRequests.customerAliasName(aliasName);
            KeyIdentifier target = KeyIdentifier.parse(targetKeyId);
            if (target instanceof KeyIdentifier.AliasName || target instanceof KeyIdentifier.AliasArn) {
                throw new KeyRegistryException.Validation("Aliases must refer to keys. Not aliases");
            }
            return registry.purgeDeleted().chain(() -> ownKey(accountId, targetKeyId, "kms:CreateAlias"))
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
        return registry.changing(() -> {
            KeyRequests.customerAliasName(aliasName);
            return registry.purgeDeleted().chain(() -> repository.deleteAlias(accountId, aliasName)).map(deleted -> {
                if (!deleted) {
                    throw new KeyRegistryException.AliasNotFound(aliasArn(accountId, aliasName));
                }
                return null;
            });
        });
    }

    /** ListAliases: the account's aliases in name order, optionally of one own key. */
    public Uni<Page<KmsAlias>> listAliases(String accountId, String keyId, Integer limit, String marker) {
        return registry.purgeDeleted().chain(() -> {
            int n = KeyRequests.limit(limit);
            String after = KeyRequests.aliasMarker(marker);
            Uni<UUID> filter = keyId == null ? Uni.createFrom().nullItem()
                    : ownKey(accountId, keyId, "kms:ListAliases").map(KmsKey::keyId);
            return filter.chain(id -> repository.listAliases(accountId, id, after, n + 1))
                    .map(aliases -> page(aliases, n, KmsAlias::aliasName));
        });
    }

    /** The ARN of an alias of this account. */
    public String aliasArn(String accountId, String aliasName) {
        return KeyIdentifier.aliasArn(registry.region(), accountId, aliasName);
    }

    private Uni<KmsKey> moveState(String accountId, String keyId, String iamAction, Function<KmsKey, KmsKey> move) {
        Uni<KmsKey> attempt = Uni.createFrom().deferred(() -> ownKey(accountId, keyId, iamAction)
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
    private Uni<KmsKey> ownKey(String accountId, String keyId, String iamAction) {
        return Uni.createFrom().deferred(() -> {
            KeyIdentifier id = KeyIdentifier.parse(keyId);
            if (id instanceof KeyIdentifier.AliasName || id instanceof KeyIdentifier.AliasArn) {
                throw new KeyRegistryException.InvalidKeyId(keyId);
            }
            Lookup lookup = KeyResolution.lookupFor(id, accountId, registry.region());
            if (!lookup.accountId().equals(accountId)) {
                throw new KeyRegistryException.AccessDenied(accountId, iamAction);
            }
            return repository.findKey(accountId, UUID.fromString(lookup.name()))
                    .map(k -> k.orElseThrow(() -> KeyResolution.notFound(lookup, registry.region())));
        });
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
