package dev.sseproxy.authz;

import java.util.Set;

/**
 * The principals a statement's {@code Principal} (or {@code NotPrincipal}) names: everyone ({@code *}),
 * accounts (by id, root ARN or, here where canonical ids are account ids, canonical user id), and IAM
 * users by ARN, and AWS service principals by name ({@code {"Service": "s3.amazonaws.com"}}). Principals of
 * other kinds (roles, federated users) are kept only as having been named: they match no requester of
 * this proxy.
 */
record PrincipalSet(boolean everyone, Set<String> accounts, Set<String> userArns, Set<String> services) {

    /** How a statement's principal part names a requester. */
    enum Match {
        /** {@code *}, the requester's own user ARN, or (for an account root) its account. */
        SELF,
        /** The requester's account, which for an IAM user is a delegation to its identity policies. */
        ACCOUNT,
        /** Not at all. */
        NONE
    }

    PrincipalSet {
        accounts = Set.copyOf(accounts);
        userArns = Set.copyOf(userArns);
        services = Set.copyOf(services);
    }

    PrincipalSet(boolean everyone, Set<String> accounts, Set<String> userArns) {
        this(everyone, accounts, userArns, Set.of());
    }

    Match match(Principal p) {
        if (everyone) {
            return Match.SELF;
        }
        if (p.isService()) {
            return services.contains(p.service()) ? Match.SELF : Match.NONE;
        }
        if (p.isAnonymous()) {
            return Match.NONE;
        }
        if (p.isRoot()) {
            return accounts.contains(p.accountId()) ? Match.SELF : Match.NONE;
        }
        if (userArns.contains(p.arn())) {
            return Match.SELF;
        }
        return accounts.contains(p.accountId()) ? Match.ACCOUNT : Match.NONE;
    }
}
