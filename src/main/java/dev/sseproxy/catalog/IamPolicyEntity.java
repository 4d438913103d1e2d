package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code iam_policy} (V18): a customer managed policy of an account, with its one (default) version. */
@Entity
@Table(name = "iam_policy")
public class IamPolicyEntity extends PanacheEntityBase {
    @Id
    @Column(name = "policy_id")
    public String policyId;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "policy_name")
    public String policyName;
    public String path;
    public String description;
    public String document;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public ManagedPolicy toDomain(int attachments) {
        return new ManagedPolicy(accountId, policyName, path, policyId, description, document, createdAt, updatedAt,
                attachments);
    }
}
