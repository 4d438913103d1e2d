package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An access key of an account's root ({@code userId} null) or of one IAM user of that account; the
 * secret is stored only sealed (see the package documentation).
 */
@Entity
@Table(name = "access_key")
public class AccessKeyEntity extends PanacheEntityBase {
    @Id
    @Column(name = "access_key_id")
    public String accessKeyId;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "secret_sealed")
    public byte[] secretSealed;
    public String status;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "user_id")
    public String userId;
}
