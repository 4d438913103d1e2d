package dev.sseproxy.kms.registry;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Persistence of the key registry (PostgreSQL through Panache in {@code catalog}). Each call is one
 * transaction or session; {@code find*} calls are one round trip, for the data path.
 */
public interface KeyRepository {

    /** The key with this id in this account. */
    Uni<Optional<KmsKey>> findKey(String accountId, UUID keyId);

    /** The key an alias of this account points to. */
    Uni<Optional<KmsKey>> findKeyByAlias(String accountId, String aliasName);

    /** Stores a new key; false if its id, ARN or backend name exists already. */
    Uni<Boolean> insertKey(KmsKey key);

    /**
     * Stores an account's AWS managed key and its alias in one transaction; false when the account
     * has one already (another request or node made it first).
     */
    Uni<Boolean> insertAwsManagedKey(KmsKey key, KmsAlias alias);

    /**
     * Moves a key to {@code newState} (with {@code deletionDate} for pending deletion, else null) if
     * its state is still {@code expectedState}; false when it is not (a concurrent change) or the key is gone.
     */
    Uni<Boolean> updateState(UUID keyId, KeyState expectedState, KeyState newState, Instant deletionDate);

    /** Replaces a key's policy; false if the key is gone. */
    Uni<Boolean> updatePolicy(UUID keyId, String policy);

    /** Up to {@code limit} keys of the account in key id order, after {@code afterKeyId} (null: from the start). */
    Uni<List<KmsKey>> listKeys(String accountId, UUID afterKeyId, int limit);

    /** The alias of this name in this account. */
    Uni<Optional<KmsAlias>> findAlias(String accountId, String aliasName);

    /** Stores an alias; false if the account has one of that name already. */
    Uni<Boolean> insertAlias(KmsAlias alias);

    /** Deletes an alias; false if there was none. */
    Uni<Boolean> deleteAlias(String accountId, String aliasName);

    /**
     * Up to {@code limit} aliases of the account in name order, after {@code afterName} (null: from
     * the start), only those of {@code keyId} unless it is null.
     */
    Uni<List<KmsAlias>> listAliases(String accountId, UUID keyId, String afterName, int limit);

    /** Deletes the keys whose deletion date has passed, with their aliases; how many went. */
    Uni<Integer> purgeDeleted(Instant now);
}
