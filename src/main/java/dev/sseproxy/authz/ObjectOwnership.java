package dev.sseproxy.authz;

import java.util.Optional;

/** S3 Object Ownership ({@code PutBucketOwnershipControls}, {@code x-amz-object-ownership}). */
public enum ObjectOwnership {
    BUCKET_OWNER_ENFORCED("BucketOwnerEnforced"),
    BUCKET_OWNER_PREFERRED("BucketOwnerPreferred"),
    OBJECT_WRITER("ObjectWriter");

    private final String wireName;

    ObjectOwnership(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<ObjectOwnership> parse(String value) {
        for (ObjectOwnership o : values()) {
            if (o.wireName.equals(value)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The setting in effect for a bucket with this one configured, or with none (null): ObjectWriter. */
    public static ObjectOwnership effective(ObjectOwnership configured) {
        return configured == null ? OBJECT_WRITER : configured;
    }

    public boolean aclsEnabled() {
        return this != BUCKET_OWNER_ENFORCED;
    }

    /**
     * Who owns a new object written by {@code writer} with {@code canned} (null: no canned ACL) into a
     * bucket owned by {@code bucketOwnerId} under this setting.
     */
    public String newObjectOwner(Principal writer, String bucketOwnerId, CannedAcl canned) {
        return switch (this) {
            case BUCKET_OWNER_ENFORCED -> bucketOwnerId;
            case BUCKET_OWNER_PREFERRED -> canned == CannedAcl.BUCKET_OWNER_FULL_CONTROL ? bucketOwnerId : writer.canonicalId();
            case OBJECT_WRITER -> writer.canonicalId();
        };
    }
}
