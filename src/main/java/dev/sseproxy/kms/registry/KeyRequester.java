package dev.sseproxy.kms.registry;

import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import java.util.List;

/**
 * Who asks to use a key: an account's root or an IAM user of an account, with the user's identity
 * policies (inline and attached, parsed once when loaded; none for a root). Anonymous requests never
 * reach the registry: the S3 path acts for the bucket owner's root on their behalf.
 *
 * @param principal        the root or user (never anonymous)
 * @param identityPolicies the user's identity policies; empty for a root
 */
public record KeyRequester(Principal principal, List<Policy> identityPolicies) {
    public KeyRequester {
        if (principal == null || principal.isAnonymous()) {
            throw new IllegalArgumentException("a key requester is an account root or an IAM user");
        }
        identityPolicies = identityPolicies == null ? List.of() : List.copyOf(identityPolicies);
    }

    /** An account's root. */
    public static KeyRequester root(String accountId) {
        return new KeyRequester(Principal.account(accountId), List.of());
    }

    /** The requester's account: where its key ids and alias names resolve. */
    public String accountId() {
        return principal.accountId();
    }

    /** The requester's ARN as KMS names it in messages ({@code arn:aws:iam::<account>:root} or a user's ARN). */
    public String arn() {
        return principal.arn();
    }
}
