package dev.sseproxy.authz;

import java.util.List;

/** The one authorization decision point (evaluation order in the package documentation). */
public final class AuthorizationDecisions {
    private AuthorizationDecisions() {
    }

    /**
     * The decision for an action that no resource policy governs (IAM's own actions, CloudTrail
     * {@code LookupEvents}): a root is allowed everything in its own account, anonymous nothing, an IAM
     * user what its identity policies allow and none denies ({@link Policy#verdict}). {@code context}
     * gets the principal's own keys as in {@link #evaluate}.
     */
    public static Decision identityOnly(Principal who, List<Policy> identityPolicies, String action, String resourceArn,
            ConditionContext context) {
        if (who.isAnonymous() || who.isService()) {
            return Decision.deny("implicit deny: " + (who.isService() ? "a service principal" : "anonymous"));
        }
        if (who.isRoot()) {
            return Decision.allow("identity: the account's root");
        }
        ConditionContext c = ConditionContext.withPrincipal(who, context);
        boolean allowed = false;
        for (Policy p : identityPolicies) {
            switch (p.verdict(who, action, resourceArn, c)) {
                case DENY -> {
                    return Decision.explicitlyDenied("explicit deny in an identity policy");
                }
                case ALLOW, ALLOW_ACCOUNT -> allowed = true;
                case NONE -> {
                }
            }
        }
        return allowed ? Decision.allow("identity: a user policy") : Decision.deny("implicit deny: no identity-based policy allows " + action);
    }

    public static Decision evaluate(AuthzRequest r) {
        Principal who = r.principal();
        ObjectOwnership ownership = ObjectOwnership.effective(r.ownership());
        boolean objectAcl = Permission.governedByObjectAcl(r.action());
        ConditionContext context = ConditionContext.withPrincipal(who, r.context());

        // 1. explicit deny, anywhere
        boolean identityAllows = who.isRoot();
        for (Policy p : r.identityPolicies()) {
            Policy.Verdict v = p.verdict(who, r.action(), r.resourceArn(), context);
            if (v == Policy.Verdict.DENY) {
                return Decision.explicitlyDenied("explicit deny: identity policy statement "
                        + p.denyingSid(who, r.action(), r.resourceArn(), context));
            }
            identityAllows |= v == Policy.Verdict.ALLOW || v == Policy.Verdict.ALLOW_ACCOUNT;
        }
        Policy.Verdict policy = Policy.Verdict.NONE;
        if (r.bucketPolicy() != null) {
            policy = r.bucketPolicy().verdict(who, r.action(), r.resourceArn(), context);
            if (policy == Policy.Verdict.DENY) {
                return Decision.explicitlyDenied("explicit deny: bucket policy statement "
                        + r.bucketPolicy().denyingSid(who, r.action(), r.resourceArn(), context));
            }
        }
        String owner = resourceOwner(r, ownership, objectAcl);
        boolean sameAccount = !who.isAnonymous() && owner.equals(who.accountId());

        // 2. the identity side: within its own account a root may do anything, a user what its policies allow
        if (sameAccount && identityAllows) {
            return Decision.allow(who.isRoot() ? "identity: the resource owner's account" : "identity policy");
        }

        // 3. the resource side: the bucket policy (on the bucket owner's resources), then ACL grants
        PrincipalSet.Match resource = PrincipalSet.Match.NONE;
        String via = null;
        if (policy != Policy.Verdict.NONE && owner.equals(r.bucketOwner())) {
            boolean restricted = r.publicAccessBlock().restrictPublicBuckets() && r.bucketPolicy().isPublic()
                    && !r.bucketOwner().equals(who.accountId());
            if (!restricted) {
                resource = policy == Policy.Verdict.ALLOW ? PrincipalSet.Match.SELF : PrincipalSet.Match.ACCOUNT;
                via = "bucket policy";
            }
        }
        if (resource != PrincipalSet.Match.SELF && ownership.aclsEnabled()) {
            PrincipalSet.Match acl = aclGrant(r, owner, objectAcl);
            if (acl != PrincipalSet.Match.NONE) {
                resource = acl == PrincipalSet.Match.SELF ? acl : resource == PrincipalSet.Match.NONE ? acl : resource;
                via = via == null ? "ACL grant" : via;
            }
        }

        // 4. combining
        if (sameAccount) {
            return resource == PrincipalSet.Match.SELF ? Decision.allow("resource: " + via + " names the requester")
                    : Decision.deny("implicit deny: no identity policy allows " + r.action()
                            + (resource == PrincipalSet.Match.ACCOUNT ? " (the " + via + " names only the account)" : ""));
        }
        if (who.isAnonymous()) {
            return resource == PrincipalSet.Match.SELF ? Decision.allow("resource: " + via + " allows everyone")
                    : Decision.deny("implicit deny: nothing allows anonymous " + r.action());
        }
        if (who.isService()) {
            // a service principal has no identity side: the resource policy naming it (or everyone) decides
            return resource == PrincipalSet.Match.SELF ? Decision.allow("resource: " + via + " names the service")
                    : Decision.deny("implicit deny: nothing allows service " + who.service() + " " + r.action());
        }
        if (resource == PrincipalSet.Match.NONE) {
            return Decision.deny("implicit deny: no grant or bucket policy allows " + r.action()
                    + " to another account");
        }
        return identityAllows ? Decision.allow("cross-account: identity and " + via)
                : Decision.deny("implicit deny: cross-account, " + via + " allows but no identity policy does");
    }

    /** How the governing ACL's grants name the requester for this action (Block Public Access applied). */
    private static PrincipalSet.Match aclGrant(AuthzRequest r, String owner, boolean objectAcl) {
        AccessControlList acl = r.acl() == null ? AccessControlList.ownerFullControl(owner) : r.acl();
        Principal who = r.principal();
        PrincipalSet.Match best = PrincipalSet.Match.NONE;
        for (Grant g : acl.grants()) {
            if (!g.grantee().matches(who) || !g.permission().covers(r.action(), objectAcl)) {
                continue;
            }
            if (g.grantee().isPublic() && r.publicAccessBlock().ignorePublicAcls()) {
                continue;
            }
            if (g.grantee().type() == Grantee.Type.GROUP || who.isRoot()) {
                return PrincipalSet.Match.SELF;
            }
            best = PrincipalSet.Match.ACCOUNT; // a grant to a user's account delegates to its identity policies
        }
        return best;
    }

    /**
     * The resource's owner: the object's for the actions object ACLs govern while ACLs are enabled
     * and the object has a recorded owner; the bucket's otherwise.
     */
    private static String resourceOwner(AuthzRequest r, ObjectOwnership ownership, boolean objectAcl) {
        if (objectAcl && ownership.aclsEnabled() && r.objectOwner() != null) {
            return r.objectOwner();
        }
        return r.bucketOwner();
    }
}
