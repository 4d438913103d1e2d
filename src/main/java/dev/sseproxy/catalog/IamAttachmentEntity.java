package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row of {@code iam_user_policy_attachment} (V18): a managed policy attached to a user. */
@Entity
@Table(name = "iam_user_policy_attachment")
@IdClass(IamAttachmentEntity.Key.class)
public class IamAttachmentEntity extends PanacheEntityBase {
    @Id
    @Column(name = "user_id")
    public String userId;
    @Id
    @Column(name = "policy_id")
    public String policyId;

    /** The primary key: user and policy. */
    public static class Key implements Serializable {
        public String userId;
        public String policyId;

        public Key() {
        }

        public Key(String userId, String policyId) {
            this.userId = userId;
            this.policyId = policyId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(userId, k.userId) && Objects.equals(policyId, k.policyId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, policyId);
        }
    }
}
