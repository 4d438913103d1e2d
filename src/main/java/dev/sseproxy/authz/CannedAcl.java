package dev.sseproxy.authz;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** S3's canned ACLs ({@code x-amz-acl}) and the grants each expands to (package documentation). */
public enum CannedAcl {
    PRIVATE("private"),
    PUBLIC_READ("public-read"),
    PUBLIC_READ_WRITE("public-read-write"),
    AUTHENTICATED_READ("authenticated-read"),
    AWS_EXEC_READ("aws-exec-read"),
    BUCKET_OWNER_READ("bucket-owner-read"),
    BUCKET_OWNER_FULL_CONTROL("bucket-owner-full-control"),
    LOG_DELIVERY_WRITE("log-delivery-write");

    /** The canonical id of Amazon's EC2 account that {@code aws-exec-read} grants READ (it never calls here). */
    public static final String AWS_EXEC_ID = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c";

    private final String wireName;

    CannedAcl(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The canned ACL named {@code value} exactly as S3 spells it, if any. */
    public static Optional<CannedAcl> parse(String value) {
        for (CannedAcl c : values()) {
            if (c.wireName.equals(value)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The grants for a resource owned by {@code ownerId} in a bucket owned by {@code bucketOwnerId}
     * (the same id for a bucket). The bucket-owner ACLs add nothing on a bucket or when the owners
     * are the same account, as in S3.
     */
    public AccessControlList expand(String ownerId, String bucketOwnerId) {
        List<Grant> g = new ArrayList<>();
        g.add(new Grant(Grantee.user(ownerId), Permission.FULL_CONTROL));
        switch (this) {
            case PUBLIC_READ -> g.add(new Grant(Grantee.ALL_USERS, Permission.READ));
            case PUBLIC_READ_WRITE -> {
                g.add(new Grant(Grantee.ALL_USERS, Permission.READ));
                g.add(new Grant(Grantee.ALL_USERS, Permission.WRITE));
            }
            case AUTHENTICATED_READ -> g.add(new Grant(Grantee.AUTHENTICATED_USERS, Permission.READ));
            case AWS_EXEC_READ -> g.add(new Grant(Grantee.user(AWS_EXEC_ID), Permission.READ));
            case BUCKET_OWNER_READ -> addBucketOwner(g, ownerId, bucketOwnerId, Permission.READ);
            case BUCKET_OWNER_FULL_CONTROL -> addBucketOwner(g, ownerId, bucketOwnerId, Permission.FULL_CONTROL);
            case LOG_DELIVERY_WRITE -> {
                g.add(new Grant(Grantee.LOG_DELIVERY, Permission.WRITE));
                g.add(new Grant(Grantee.LOG_DELIVERY, Permission.READ_ACP));
            }
            default -> {
            }
        }
        return new AccessControlList(g);
    }

    private static void addBucketOwner(List<Grant> g, String ownerId, String bucketOwnerId, Permission p) {
        if (bucketOwnerId != null && !bucketOwnerId.equals(ownerId)) {
            g.add(new Grant(Grantee.user(bucketOwnerId), p));
        }
    }
}
