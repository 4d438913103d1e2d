package dev.sseproxy.kms.registry;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** The registry's rows in memory, with the unique constraints of the schema. Counts reads. */
final class InMemoryKeyRepository implements KeyRepository {
    final Map<UUID, KmsKey> keys = new TreeMap<>();
    final Map<String, KmsAlias> aliases = new TreeMap<>();
    final AtomicInteger reads = new AtomicInteger();

    private static String aliasKey(String accountId, String aliasName) {
        return accountId + "|" + aliasName;
    }

    synchronized void put(KmsKey key) {
        keys.put(key.keyId(), key);
    }

    synchronized void putAlias(KmsAlias alias) {
        aliases.put(aliasKey(alias.accountId(), alias.aliasName()), alias);
    }

    @Override
    public synchronized Uni<Optional<KmsKey>> findKey(String accountId, UUID keyId) {
        reads.incrementAndGet();
        return Uni.createFrom().item(Optional.ofNullable(keys.get(keyId)).filter(k -> k.accountId().equals(accountId)));
    }

    @Override
    public synchronized Uni<Optional<KmsKey>> findKeyByAlias(String accountId, String aliasName) {
        reads.incrementAndGet();
        return Uni.createFrom().item(Optional.ofNullable(aliases.get(aliasKey(accountId, aliasName)))
                .map(a -> keys.get(a.keyId())));
    }

    @Override
    public synchronized Uni<Boolean> insertKey(KmsKey key) {
        boolean taken = keys.values().stream().anyMatch(k -> k.keyId().equals(key.keyId())
                || k.backendKeyName().equals(key.backendKeyName()));
        if (!taken) {
            keys.put(key.keyId(), key);
        }
        return Uni.createFrom().item(!taken);
    }

    @Override
    public synchronized Uni<Boolean> insertAwsManagedKey(KmsKey key, KmsAlias alias) {
        boolean taken = keys.values().stream().anyMatch(k -> k.accountId().equals(key.accountId())
                && k.keyManager() == KeyManager.AWS) || aliases.containsKey(aliasKey(alias.accountId(), alias.aliasName()));
        if (!taken) {
            keys.put(key.keyId(), key);
            putAlias(alias);
        }
        return Uni.createFrom().item(!taken);
    }

    @Override
    public synchronized Uni<Boolean> updateState(UUID keyId, KeyState expected, KeyState state, Instant deletionDate) {
        KmsKey k = keys.get(keyId);
        if (k == null || k.state() != expected) {
            return Uni.createFrom().item(false);
        }
        keys.put(keyId, k.withState(state, deletionDate));
        return Uni.createFrom().item(true);
    }

    @Override
    public synchronized Uni<Boolean> updatePolicy(UUID keyId, String policy) {
        KmsKey k = keys.get(keyId);
        if (k != null) {
            keys.put(keyId, k.withPolicy(policy));
        }
        return Uni.createFrom().item(k != null);
    }

    @Override
    public synchronized Uni<List<KmsKey>> listKeys(String accountId, UUID afterKeyId, int limit) {
        return Uni.createFrom().item(keys.values().stream().filter(k -> k.accountId().equals(accountId))
                .filter(k -> afterKeyId == null || k.keyId().compareTo(afterKeyId) > 0)
                .sorted(Comparator.comparing(KmsKey::keyId)).limit(limit).toList());
    }

    @Override
    public synchronized Uni<Optional<KmsAlias>> findAlias(String accountId, String aliasName) {
        return Uni.createFrom().item(Optional.ofNullable(aliases.get(aliasKey(accountId, aliasName))));
    }

    @Override
    public synchronized Uni<Boolean> insertAlias(KmsAlias alias) {
        boolean taken = aliases.containsKey(aliasKey(alias.accountId(), alias.aliasName()));
        if (!taken) {
            putAlias(alias);
        }
        return Uni.createFrom().item(!taken);
    }

    @Override
    public synchronized Uni<Boolean> deleteAlias(String accountId, String aliasName) {
        return Uni.createFrom().item(aliases.remove(aliasKey(accountId, aliasName)) != null);
    }

    @Override
    public synchronized Uni<List<KmsAlias>> listAliases(String accountId, UUID keyId, String afterName, int limit) {
        return Uni.createFrom().item(aliases.values().stream().filter(a -> a.accountId().equals(accountId))
                .filter(a -> keyId == null || a.keyId().equals(keyId))
                .filter(a -> afterName == null || a.aliasName().compareTo(afterName) > 0)
                .sorted(Comparator.comparing(KmsAlias::aliasName)).limit(limit).toList());
    }

    @Override
    public synchronized Uni<Integer> purgeDeleted(Instant now) {
        List<UUID> gone = new ArrayList<>(keys.values().stream().filter(k -> k.isDeletedAt(now)).map(KmsKey::keyId)
                .toList());
        gone.forEach(keys::remove);
        aliases.values().removeIf(a -> gone.contains(a.keyId()));
        return Uni.createFrom().item(gone.size());
    }
}
