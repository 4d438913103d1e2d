package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A bucket and its owner account. */
@Entity
@Table(name = "bucket")
public class BucketEntity extends PanacheEntityBase {
    @Id
    public String name;
    @Column(name = "owner_id")
    public String ownerId;
    public String region;
    @Column(name = "created_at")
    public Instant createdAt;

    public Bucket toDomain() {
        return new Bucket(name, ownerId, region, createdAt);
    }
}
