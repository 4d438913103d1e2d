package dev.sseproxy.authz;

import java.util.Set;

/** An ACL permission and the IAM actions it allows (see the package documentation's table). */
public enum Permission {
    READ(Set.of("s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"),
            Set.of("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent")),
    WRITE(Set.of("s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:AbortMultipartUpload",
            "s3:ListMultipartUploadParts"), Set.of()),
    READ_ACP(Set.of("s3:GetBucketAcl"), Set.of("s3:GetObjectAcl")),
    WRITE_ACP(Set.of("s3:PutBucketAcl"), Set.of("s3:PutObjectAcl")),
    FULL_CONTROL(Set.of(), Set.of());

    private final Set<String> onBucket;
    private final Set<String> onObject;

    Permission(Set<String> onBucket, Set<String> onObject) {
        this.onBucket = onBucket;
        this.onObject = onObject;
    }

    /** Whether a grant of this permission on a bucket (or on an object) allows {@code action}. */
    public boolean covers(String action, boolean objectAcl) {
        if (this == FULL_CONTROL) {
            for (Permission p : values()) {
                if (p != FULL_CONTROL && p.covers(action, objectAcl)) {
                    return true;
                }
            }
            return false;
        }
        return (objectAcl ? onObject : onBucket).contains(action);
    }

    /** Whether object ACLs (rather than the bucket's) govern {@code action}. */
    public static boolean governedByObjectAcl(String action) {
        for (Permission p : values()) {
            if (p.onObject.contains(action)) {
                return true;
            }
        }
        return false;
    }

    /** The permission named {@code name} as S3 writes it, or null. */
    public static Permission parse(String name) {
        for (Permission p : values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
