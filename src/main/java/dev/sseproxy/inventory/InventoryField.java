package dev.sseproxy.inventory;

import java.util.Optional;

/**
 * The optional fields of an S3 Inventory configuration, in the order S3 writes their columns after
 * {@code Bucket, Key} (and after {@code VersionId, IsLatest, IsDeleteMarker} when the configuration
 * includes all versions). Each is accepted; the ones the proxy has no data for (no replication, no
 * Object Lock, no Intelligent-Tiering, no lifecycle, no per-object ACL view, checksums not kept per
 * object) are written as empty values, as S3 writes a field that does not apply to an object.
 * {@link #KMS_KEY_ARN} is the proxy's own addition, see its documentation.
 */
public enum InventoryField {
    SIZE("Size", true),
    LAST_MODIFIED_DATE("LastModifiedDate", true),
    ETAG("ETag", true),
    STORAGE_CLASS("StorageClass", true),
    IS_MULTIPART_UPLOADED("IsMultipartUploaded", true),
    REPLICATION_STATUS("ReplicationStatus", false),
    ENCRYPTION_STATUS("EncryptionStatus", true),
    OBJECT_LOCK_RETAIN_UNTIL_DATE("ObjectLockRetainUntilDate", false),
    OBJECT_LOCK_MODE("ObjectLockMode", false),
    OBJECT_LOCK_LEGAL_HOLD_STATUS("ObjectLockLegalHoldStatus", false),
    INTELLIGENT_TIERING_ACCESS_TIER("IntelligentTieringAccessTier", false),
    BUCKET_KEY_STATUS("BucketKeyStatus", true),
    CHECKSUM_ALGORITHM("ChecksumAlgorithm", false),
    OBJECT_ACCESS_CONTROL_LIST("ObjectAccessControlList", false),
    OBJECT_OWNER("ObjectOwner", false),
    LIFECYCLE_EXPIRATION_DATE("LifecycleExpirationDate", false),
    /**
     * Not an S3 field: S3 Inventory has no column for the KMS key of an object. Asked for with the
     * OptionalFields value {@code KMSKeyArn} (S3's own spelling of a key ARN element), it adds the full
     * key ARN of each SSE-KMS / DSSE-KMS object (empty for the others) as the last column. Amazon S3
     * would refuse this value as MalformedXML; clients that validate enum values offline may need the
     * raw-string form (SDK v2: {@code optionalFieldsWithStrings}).
     */
    KMS_KEY_ARN("KMSKeyArn", true);

    private final String wire;
    private final boolean filled;

    InventoryField(String wire, boolean filled) {
        this.wire = wire;
        this.filled = filled;
    }

    /** The name in the configuration XML and in the manifest's {@code fileSchema}. */
    public String wire() {
        return wire;
    }

    /** Whether the proxy writes a value (false: the column is present and always empty). */
    public boolean filled() {
        return filled;
    }

    public static Optional<InventoryField> fromWire(String s) {
        for (InventoryField f : values()) {
            if (f.wire.equals(s)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
