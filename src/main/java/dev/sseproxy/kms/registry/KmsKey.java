package dev.sseproxy.kms.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A KMS key as the registry knows it.
 *
 * @param keyId          the key id (a UUID)
 * @param accountId      the owning account
 * @param arn            {@code arn:aws:kms:<region>:<account>:key/<keyId>}
 * @param backendKeyName the name of the key at the KMS backend ({@code KmsClient}), e.g. {@code sse-proxy-<uuid>}
 * @param description    free text, empty when none was given
 * @param keyManager     customer or AWS managed
 * @param state          enabled, disabled or pending deletion
 * @param deletionDate   when a key pending deletion is deleted; null in any other state
 * @param policy         the key policy document as stored (JSON text)
 * @param createdAt      creation time
 */
public record KmsKey(UUID keyId, String accountId, String arn, String backendKeyName, String description,
                     KeyManager keyManager, KeyState state, Instant deletionDate, String policy, Instant createdAt) {

    /** Checks that a deletion date is present exactly when deletion is pending. */
    public KmsKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(state, "state");
        if ((state == KeyState.PENDING_DELETION) != (deletionDate != null)) {
            throw new IllegalArgumentException("a deletion date goes with PendingDeletion only");
        }
    }

    /** True once the deletion date of a key pending deletion has passed: the key no longer exists. */
    public boolean isDeletedAt(Instant now) {
        return state == KeyState.PENDING_DELETION && !deletionDate.isAfter(now);
    }

    /** A copy in another state; {@code deletionDate} only for {@link KeyState#PENDING_DELETION}. */
    public KmsKey withState(KeyState newState, Instant newDeletionDate) {
        return new KmsKey(keyId, accountId, arn, backendKeyName, description, keyManager, newState, newDeletionDate,
                policy, createdAt);
    }

    /** A copy with another key policy. */
    public KmsKey withPolicy(String newPolicy) {
        return new KmsKey(keyId, accountId, arn, backendKeyName, description, keyManager, state, deletionDate,
                newPolicy, createdAt);
    }
}
