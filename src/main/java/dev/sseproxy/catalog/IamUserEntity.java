package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code iam_user} (V18): an IAM user of an account. */
@Entity
@Table(name = "iam_user")
public class IamUserEntity extends PanacheEntityBase {
    @Id
    @Column(name = "user_id")
    public String userId;
    @Column(name = "account_id")
    public String accountId;
    @Column(name = "user_name")
    public String userName;
    public String path;
    @Column(name = "created_at")
    public Instant createdAt;

    public IamUser toDomain() {
        return new IamUser(accountId, userName, path, userId, createdAt);
    }
}
