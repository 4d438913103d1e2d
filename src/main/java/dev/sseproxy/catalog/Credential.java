package dev.sseproxy.catalog;

import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import java.util.List;

/**
 * An active access key with its opened secret; {@link #toString()} never shows the secret.
 *
 * @param user             the IAM user the key belongs to; null for a key of the account's root
 * @param identityPolicies the user's identity policies (inline and attached managed ones), parsed;
 *                         empty for a root key
 */
public record Credential(String accessKeyId, String accountId, String secretKey, IamUser user,
        List<Policy> identityPolicies) {

    public Credential {
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
    }

    /** A key of the account's root. */
    public Credential(String accessKeyId, String accountId, String secretKey) {
        this(accessKeyId, accountId, secretKey, null, List.of());
    }

    /** Whether this is a key of the account's root (full rights in its account). */
    public boolean isRoot() {
        return user == null;
    }

    /** The principal that signs with this key. */
    public Principal principal() {
        return user == null ? Principal.account(accountId) : Principal.user(accountId, user.name(), user.path());
    }

    @Override
    public String toString() {
        return "Credential[" + accessKeyId + ", account " + accountId + (user == null ? "" : ", user " + user.name())
                + ", secret [redacted]]";
    }
}
