package dev.sseproxy.catalog;

import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.ObjectOwnership;
import java.time.Instant;

/**
 * A bucket in the domain.
 *
 * @param ownership its ownership controls, or null when it has none (it then acts as ObjectWriter)
 * @param acl       its ACL, or null for the default: the owner's full control
 */
public record Bucket(String name, String ownerId, String region, Instant createdAt, ObjectOwnership ownership,
        AccessControlList acl) {

    public Bucket(String name, String ownerId, String region, Instant createdAt) {
        this(name, ownerId, region, createdAt, null, null);
    }

    /** The ownership setting in effect. */
    public ObjectOwnership effectiveOwnership() {
        return ObjectOwnership.effective(ownership);
    }

    /** The ACL in effect (the owner's full control when none was set, or while ACLs are disabled). */
    public AccessControlList effectiveAcl() {
        return acl == null || !effectiveOwnership().aclsEnabled() ? AccessControlList.ownerFullControl(ownerId) : acl;
    }
}
