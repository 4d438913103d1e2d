package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A row of {@code kms_alias}: an alias name of an account, pointing to one of its keys. */
@Entity
@Table(name = "kms_alias")
@IdClass(KmsAliasEntity.Key.class)
public class KmsAliasEntity extends PanacheEntityBase {
    @Id
    @Column(name = "account_id")
    public String accountId;
    @Id
    @Column(name = "alias_name")
    public String aliasName;
    @Column(name = "key_id")
    public UUID keyId;
    @Column(name = "created_at")
    public Instant createdAt;

    /** The primary key: account and alias name. */
    public static class Key implements Serializable {
        public String accountId;
        public String aliasName;

        public Key() {
        }

        public Key(String accountId, String aliasName) {
            this.accountId = accountId;
            this.aliasName = aliasName;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(accountId, k.accountId) && Objects.equals(aliasName, k.aliasName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, aliasName);
        }
    }
}
