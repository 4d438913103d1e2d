package dev.sseproxy.catalog;

import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.ObjectOwnership;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.PublicAccessBlock;
import java.time.Instant;

/**
 * A bucket in the domain.
 *
 * @param ownership         its ownership controls, or null when it has none (it then acts as ObjectWriter)
 * @param acl               its ACL, or null for the default: the owner's full control
 * @param policy            its bucket policy, parsed once when the row was loaded; null: none
 * @param publicAccessBlock its own Block Public Access configuration; null: none (the account's still applies)
 * @param logging           its server access logging configuration; null: logging is off
 */
public record Bucket(String name, String ownerId, String region, Instant createdAt, ObjectOwnership ownership,
        AccessControlList acl, Policy policy, PublicAccessBlock publicAccessBlock, BucketLogging logging) {

    public Bucket(String name, String ownerId, String region, Instant createdAt, ObjectOwnership ownership,
            AccessControlList acl, Policy policy, PublicAccessBlock publicAccessBlock) {
        this(name, ownerId, region, createdAt, ownership, acl, policy, publicAccessBlock, null);
    }

    public Bucket(String name, String ownerId, String region, Instant createdAt) {
        this(name, ownerId, region, createdAt, null, null);
    }

    public Bucket(String name, String ownerId, String region, Instant createdAt, ObjectOwnership ownership,
            AccessControlList acl) {
        this(name, ownerId, region, createdAt, ownership, acl, null, null);
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
