package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row of {@code iam_user_policy} (V18): an inline policy of a user, by name. */
@Entity
@Table(name = "iam_user_policy")
@IdClass(IamUserPolicyEntity.Key.class)
public class IamUserPolicyEntity extends PanacheEntityBase {
    @Id
    @Column(name = "user_id")
    public String userId;
    @Id
    @Column(name = "policy_name")
    public String policyName;
    public String document;

    /** The primary key: user and policy name. */
    public static class Key implements Serializable {
        public String userId;
        public String policyName;

        public Key() {
        }

        public Key(String userId, String policyName) {
            this.userId = userId;
            this.policyName = policyName;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(userId, k.userId) && Objects.equals(policyName, k.policyName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, policyName);
        }
    }
}
