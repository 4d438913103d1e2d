package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code bucket_encryption}: a bucket's default encryption as last configured. */
@Entity
@Table(name = "bucket_encryption")
public class BucketEncryptionEntity extends PanacheEntityBase {
    @Id
    public String bucket;
    /** Whether a PutBucketEncryption set it (false after DeleteBucketEncryption). */
    public boolean explicit;
    /** {@code AES256}, {@code aws:kms}, {@code aws:kms:dsse}, or null (SSE-S3 by default). */
    @Column(name = "sse_algorithm")
    public String sseAlgorithm;
    /** The KMSMasterKeyID exactly as sent, or null. */
    @Column(name = "kms_master_key_id")
    public String kmsMasterKeyId;
    @Column(name = "bucket_key_enabled")
    public boolean bucketKeyEnabled;
    /** Comma list of {@code NONE} / {@code SSE-C}; null when never set, "" for an empty list. */
    @Column(name = "blocked_encryption_types")
    public String blockedEncryptionTypes;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
