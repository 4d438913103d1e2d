package dev.sseproxy.kms.registry;

import dev.sseproxy.authz.ConditionContext;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.kms.registry.KeyResolution.LoadedKey;
import java.util.List;

/**
 * Whether a principal may perform a KMS action on a key: the key policy and the principal's identity
 * policies weighed as AWS KMS weighs them (the package documentation states the rule). Pure and
 * linear in the policies' statements: no clock, no database, no KMS call.
 */
public final class KeyAuthorization {
    /** The {@code kms:ViaService} value of requests S3 makes for a client, per region. */
    private static final String VIA_SERVICE_PREFIX = "s3.";

    private KeyAuthorization() {
    }

    /** Where a request comes from: S3's data path (on the requester's behalf) or the KMS API itself. */
    public enum Via {
        /** S3 calls KMS for the requester ({@code kms:ViaService} = {@code s3.<region>.amazonaws.com}). */
        S3,
        /** The requester calls the KMS API directly. */
        DIRECT
    }

    /**
     * Whether {@code requester} may perform {@code action} on the loaded key.
     *
     * @param region the proxy's region (for {@code kms:ViaService})
     */
    public static boolean permitted(LoadedKey loaded, KeyRequester requester, KmsAction action, Via via,
            String region) {
        KmsKey key = loaded.key();
        Principal who = requester.principal();
        boolean sameAccount = key.accountId().equals(who.accountId());
        Policy.Verdict identity = identity(requester, action, key.arn(), via, region);
        if (identity == Policy.Verdict.DENY) {
            return false;
        }
        if (key.keyManager() == KeyManager.AWS) {
            // its policy: every principal of its account, through S3 (kms:CallerAccount, kms:ViaService)
            return sameAccount;
        }
        Policy.Verdict resource = loaded.policy().verdict(who, action, key.arn());
        boolean identityAllows = who.isRoot() || identity == Policy.Verdict.ALLOW;
        return switch (resource) {
            case DENY, NONE -> false;
            case ALLOW -> sameAccount || identityAllows;
            case ALLOW_ACCOUNT -> identityAllows;
        };
    }

    /**
     * Whether an account-scoped action ({@code kms:CreateKey}, {@code kms:ListKeys}, {@code kms:ListAliases},
     * resource {@code *}) is allowed: a root always, a user when an identity policy allows it.
     */
    public static boolean permittedInAccount(KeyRequester requester, KmsAction action, String region) {
        if (requester.principal().isRoot()) {
            return true;
        }
        return identity(requester, action, "*", Via.DIRECT, region) == Policy.Verdict.ALLOW;
    }

    /**
     * The identity side: {@code DENY} when a Deny of an identity policy applies, {@code ALLOW} when an
     * Allow does (and no Deny), else {@code NONE}; a root has no identity policies ({@code NONE}).
     */
    static Policy.Verdict identity(KeyRequester requester, KmsAction action, String resourceArn, Via via,
            String region) {
        List<Policy> policies = requester.identityPolicies();
        if (policies.isEmpty()) {
            return Policy.Verdict.NONE;
        }
        ConditionContext context = context(requester, via, region);
        boolean allowed = false;
        for (Policy p : policies) {
            Policy.Verdict v = p.verdict(requester.principal(), action.iamName(), resourceArn, context);
            if (v == Policy.Verdict.DENY) {
                return Policy.Verdict.DENY;
            }
            allowed |= v == Policy.Verdict.ALLOW || v == Policy.Verdict.ALLOW_ACCOUNT;
        }
        return allowed ? Policy.Verdict.ALLOW : Policy.Verdict.NONE;
    }

    /** The KMS condition keys a request sets (the evaluator adds the principal's own). */
    static ConditionContext context(KeyRequester requester, Via via, String region) {
        String account = requester.accountId();
        String viaService = via == Via.S3 ? VIA_SERVICE_PREFIX + region + ".amazonaws.com" : null;
        return key -> {
            if ("kms:calleraccount".equalsIgnoreCase(key)) {
                return List.of(account);
            }
            if (viaService != null && "kms:viaservice".equalsIgnoreCase(key)) {
                return List.of(viaService);
            }
            return List.of();
        };
    }
}
