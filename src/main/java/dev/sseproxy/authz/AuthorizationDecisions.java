package dev.sseproxy.authz;

/** The one authorization decision point (evaluation order in the package documentation). */
public final class AuthorizationDecisions {
    private AuthorizationDecisions() {
    }

    public static Decision evaluate(AuthzRequest r) {
        ObjectOwnership ownership = ObjectOwnership.effective(r.ownership());
        boolean objectAcl = Permission.governedByObjectAcl(r.action());
        String explicitDeny = explicitDeny(r);
        if (explicitDeny != null) {
            return Decision.deny("explicit deny: " + explicitDeny);
        }
        String owner = resourceOwner(r, ownership, objectAcl);
        if (!r.principal().isAnonymous() && owner.equals(r.principal().accountId())) {
            return Decision.allow("identity: the resource owner's account");
        }
        if (!ownership.aclsEnabled()) {
            return Decision.deny("implicit deny: not the owner, and ACLs are disabled (BucketOwnerEnforced)");
        }
        AccessControlList acl = r.acl() == null ? AccessControlList.ownerFullControl(owner) : r.acl();
        for (Grant g : acl.grants()) {
            if (g.grantee().matches(r.principal()) && g.permission().covers(r.action(), objectAcl)) {
                if (publicAccessBlocked(r, g)) {
                    return Decision.deny("Block Public Access: a public grant");
                }
                return Decision.allow("resource: ACL grant " + g.permission() + " to " + g.grantee().id());
            }
        }
        return Decision.deny("implicit deny: no grant allows " + r.action());
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

    /** Hook for bucket policies' Deny statements (a later issue): the matching statement's id, or null. */
    private static String explicitDeny(AuthzRequest r) {
        return null;
    }

    /** Hook for Block Public Access (IgnorePublicAcls, RestrictPublicBuckets): not configurable yet. */
    private static boolean publicAccessBlocked(AuthzRequest r, Grant g) {
        return false;
    }
}
