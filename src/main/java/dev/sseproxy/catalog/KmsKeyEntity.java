package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code kms_key}: a KMS key of the registry (see {@code dev.sseproxy.kms.registry.KmsKey}). */
@Entity
@Table(name = "kms_key")
public class KmsKeyEntity extends PanacheEntityBase {
    @Id
    @Column(name = "key_id")
    public UUID keyId;
    @Column(name = "account_id")
    public String accountId;
    public String arn;
    @Column(name = "backend_key_name")
    public String backendKeyName;
    public String description;
    /** {@code AWS} or {@code CUSTOMER}. */
    @Column(name = "key_manager")
    public String keyManager;
    /** {@code Enabled}, {@code Disabled} or {@code PendingDeletion}. */
    @Column(name = "key_state")
    public String keyState;
    @Column(name = "deletion_date")
    public Instant deletionDate;
    public String policy;
    @Column(name = "created_at")
    public Instant createdAt;
}
