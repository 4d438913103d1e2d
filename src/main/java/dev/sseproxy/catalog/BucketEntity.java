package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.ObjectOwnership;
import dev.sseproxy.authz.Policy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A bucket and its owner account; the policy is parsed once, when the row is loaded into the cache. */
@Entity
@Table(name = "bucket")
public class BucketEntity extends PanacheEntityBase {
    @Id
    public String name;
    @Column(name = "owner_id")
    public String ownerId;
    public String region;
    @Column(name = "created_at")
    public Instant createdAt;
    /** ObjectOwnership's wire name, or null: no ownership controls. */
    @Column(name = "object_ownership")
    public String objectOwnership;
    /** The grants ({@link AccessControlList#encode}), or null: the owner's full control. */
    public String acl;
    /** The bucket policy as it was put (GetBucketPolicy returns it unchanged), or null: none. */
    public String policy;
    /** The bucket's Block Public Access configuration ({@link PublicAccessBlocks#encode}), or null: none. */
    @Column(name = "public_access_block")
    public String publicAccessBlock;
    /** Versioning status ({@code Enabled}, {@code Suspended}), or null: never versioned (V22). */
    public String versioning;
    /** The server access logging configuration ({@link BucketLogging#encode}), or null: logging is off (V25). */
    public String logging;
    /** The replication configuration ({@link BucketReplication#encode}), or null: none (V26). */
    public String replication;

    public Bucket toDomain() {
        return new Bucket(name, ownerId, region, createdAt,
                objectOwnership == null ? null : ObjectOwnership.parse(objectOwnership).orElse(null),
                acl == null ? null : AccessControlList.decode(acl),
                policy == null ? null : Policy.bucketPolicy(policy, name), PublicAccessBlocks.decode(publicAccessBlock),
                versioning, BucketLogging.decode(logging), BucketReplication.decode(replication));
    }
}
