package dev.sseproxy.kms.registry;

import java.time.Instant;
import java.util.UUID;

/**
 * An alias: a name ({@code alias/...}) for a key of the same account.
 *
 * @param accountId the account the alias belongs to (and its key)
 * @param aliasName the name, starting with {@code alias/}
 * @param keyId     the key it points to
 * @param createdAt creation time
 */
public record KmsAlias(String accountId, String aliasName, UUID keyId, Instant createdAt) {
}
