package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An account: owns buckets and access keys. */
@Entity
@Table(name = "account")
public class AccountEntity extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    @Column(name = "created_at")
    public Instant createdAt;

    public Account toDomain() {
        return new Account(id, name, createdAt);
    }
}
