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
 * @param versioning        its versioning status, {@code Enabled} or {@code Suspended}; null: never versioned
 * @param logging           its server access logging configuration; null: logging is off
 * @param replication       its replication configuration; null: none
 */
public record Bucket(String name, String ownerId, String region, Instant createdAt, ObjectOwnership ownership,
        AccessControlList acl, Policy policy, PublicAccessBlock publicAccessBlock, String versioning,
        BucketLogging logging, BucketReplication replication) {

    public Bucket(String name, String ownerId, String region, Instant createdAt, ObjectOwnership ownership,
            AccessControlList acl, Policy policy, PublicAccessBlock publicAccessBlock, String versioning,
            BucketLogging logging) {
        this(name, ownerId, region, createdAt, ownership, acl, policy, publicAccessBlock, versioning, logging, null);
    }

    public Bucket(String name, String ownerId, String region, Instant createdAt, ObjectOwnership ownership,
            AccessControlList acl, Policy policy, PublicAccessBlock publicAccessBlock, String versioning) {
        this(name, ownerId, region, createdAt, ownership, acl, policy, publicAccessBlock, versioning, null);
    }

    public Bucket(String name, String ownerId, String region, Instant createdAt, ObjectOwnership ownership,
            AccessControlList acl, Policy policy, PublicAccessBlock publicAccessBlock) {
        this(name, ownerId, region, createdAt, ownership, acl, policy, publicAccessBlock, null, null, null);
    }

    /**
     * Whether the bucket was ever versioned (versioning Enabled or Suspended): older versions of a key
     * may then exist, and what a key's write or delete leaves behind must stay for them.
     */
    public boolean versioned() {
        return versioning != null;
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
