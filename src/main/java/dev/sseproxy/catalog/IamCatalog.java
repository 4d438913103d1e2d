package dev.sseproxy.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The IAM tables of V18, one statement per method. Methods run in the caller's Panache session or
 * transaction ({@code Panache.withTransaction} around several of them makes one transaction), except
 * {@link #identity}, which opens its own session (it serves the credential cache).
 */
@ApplicationScoped
public class IamCatalog {

    /** An access key as ListAccessKeys shows it (never its secret). */
    public record AccessKey(String accessKeyId, String status, Instant createdAt, String userId) {
    }

    /** A user's identity for its credential: one session, three reads. Null when the user is gone. */
    public Uni<UserIdentity> identity(String userId) {
        return Panache.withSession(() -> IamUserEntity.<IamUserEntity>findById(userId).chain(u -> u == null
                ? Uni.createFrom().nullItem()
                : IamUserPolicyEntity.<IamUserPolicyEntity>list("userId = ?1 order by policyName", userId)
                        .chain(inline -> IamPolicyEntity.<IamPolicyEntity>list(
                                "policyId in (select a.policyId from IamAttachmentEntity a where a.userId = ?1) order by policyName",
                                userId).map(managed -> {
                                    List<String> docs = new ArrayList<>();
                                    inline.forEach(p -> docs.add(p.document));
                                    managed.forEach(p -> docs.add(p.document));
                                    return new UserIdentity(u.toDomain(), docs);
                                }))));
    }

    public Uni<Optional<IamUser>> user(String accountId, String name) {
        return IamUserEntity.<IamUserEntity>find("accountId = ?1 and lower(userName) = ?2", accountId,
                name.toLowerCase(Locale.ROOT)).firstResult().map(u -> Optional.ofNullable(u).map(IamUserEntity::toDomain));
    }

    /** The user's row, locked until the transaction ends (creating its access keys: at most two). */
    public Uni<Optional<IamUser>> userForUpdate(String userId) {
        return IamUserEntity.<IamUserEntity>findById(userId, LockModeType.PESSIMISTIC_WRITE)
                .map(u -> Optional.ofNullable(u).map(IamUserEntity::toDomain));
    }

    /** The account's users whose path starts with {@code pathPrefix}, by name. */
    public Uni<List<IamUser>> users(String accountId, String pathPrefix) {
        return IamUserEntity.<IamUserEntity>list("accountId = ?1 order by lower(userName)", accountId)
                .map(l -> l.stream().map(IamUserEntity::toDomain).filter(u -> u.path().startsWith(pathPrefix)).toList());
    }

    public Uni<IamUser> insertUser(IamUser u) {
        IamUserEntity e = new IamUserEntity();
        e.userId = u.userId();
        e.accountId = u.accountId();
        e.userName = u.name();
        e.path = u.path();
        e.createdAt = u.createdAt();
        return e.<IamUserEntity>persist().map(IamUserEntity::toDomain);
    }

    public Uni<Void> deleteUser(String userId) {
        return IamUserEntity.deleteById(userId).replaceWithVoid();
    }

    /** The access keys of a user, or of the account's root when {@code userId} is null. */
    public Uni<List<AccessKey>> keys(String accountId, String userId) {
        var query = userId == null
                ? AccessKeyEntity.<AccessKeyEntity>list("accountId = ?1 and userId is null order by createdAt", accountId)
                : AccessKeyEntity.<AccessKeyEntity>list("accountId = ?1 and userId = ?2 order by createdAt", accountId, userId);
        return query.map(l -> l.stream().map(k -> new AccessKey(k.accessKeyId, k.status, k.createdAt, k.userId)).toList());
    }

    public Uni<Long> keyCount(String userId) {
        return AccessKeyEntity.count("userId", userId);
    }

    /** Deletes a key of this user (or of the root when {@code userId} is null) in this account; whether there was one. */
    public Uni<Boolean> deleteKey(String accountId, String userId, String accessKeyId) {
        return (userId == null
                ? AccessKeyEntity.delete("accessKeyId = ?1 and accountId = ?2 and userId is null", accessKeyId, accountId)
                : AccessKeyEntity.delete("accessKeyId = ?1 and accountId = ?2 and userId = ?3", accessKeyId, accountId, userId))
                .map(n -> n > 0);
    }

    /** Creates or replaces an inline policy of a user. */
    public Uni<Void> putInlinePolicy(String userId, String name, String document) {
        return IamUserPolicyEntity.<IamUserPolicyEntity>findById(new IamUserPolicyEntity.Key(userId, name)).chain(p -> {
            if (p != null) {
                p.document = document;
                return Uni.createFrom().voidItem();
            }
            IamUserPolicyEntity e = new IamUserPolicyEntity();
            e.userId = userId;
            e.policyName = name;
            e.document = document;
            return e.persist().replaceWithVoid();
        });
    }

    public Uni<Optional<String>> inlinePolicy(String userId, String name) {
        return IamUserPolicyEntity.<IamUserPolicyEntity>findById(new IamUserPolicyEntity.Key(userId, name))
                .map(p -> Optional.ofNullable(p).map(e -> e.document));
    }

    public Uni<Boolean> deleteInlinePolicy(String userId, String name) {
        return IamUserPolicyEntity.delete("userId = ?1 and policyName = ?2", userId, name).map(n -> n > 0);
    }

    public Uni<List<String>> inlinePolicyNames(String userId) {
        return IamUserPolicyEntity.<IamUserPolicyEntity>list("userId = ?1 order by policyName", userId)
                .map(l -> l.stream().map(p -> p.policyName).toList());
    }

    public Uni<ManagedPolicy> insertPolicy(ManagedPolicy p) {
        IamPolicyEntity e = new IamPolicyEntity();
        e.policyId = p.policyId();
        e.accountId = p.accountId();
        e.policyName = p.name();
        e.path = p.path();
        e.description = p.description();
        e.document = p.document();
        e.createdAt = p.createdAt();
        e.updatedAt = p.updatedAt();
        return e.<IamPolicyEntity>persist().map(x -> x.toDomain(0));
    }

    /** A managed policy of the account by name (any case), with its attachment count. */
    public Uni<Optional<ManagedPolicy>> policyByName(String accountId, String name) {
        return IamPolicyEntity.<IamPolicyEntity>find("accountId = ?1 and lower(policyName) = ?2", accountId,
                name.toLowerCase(Locale.ROOT)).firstResult().chain(p -> p == null ? Uni.createFrom().item(Optional.empty())
                        : IamAttachmentEntity.count("policyId", p.policyId).map(n -> Optional.of(p.toDomain(n.intValue()))));
    }

    public Uni<Void> deletePolicy(String policyId) {
        return IamPolicyEntity.deleteById(policyId).replaceWithVoid();
    }

    /** Attaches a managed policy to a user; attaching it again changes nothing. */
    public Uni<Void> attach(String userId, String policyId) {
        return IamAttachmentEntity.findById(new IamAttachmentEntity.Key(userId, policyId)).chain(a -> {
            if (a != null) {
                return Uni.createFrom().voidItem();
            }
            IamAttachmentEntity e = new IamAttachmentEntity();
            e.userId = userId;
            e.policyId = policyId;
            return e.persist().replaceWithVoid();
        });
    }

    public Uni<Boolean> detach(String userId, String policyId) {
        return IamAttachmentEntity.delete("userId = ?1 and policyId = ?2", userId, policyId).map(n -> n > 0);
    }

    /** The managed policies attached to a user, by name. */
    public Uni<List<ManagedPolicy>> attachedPolicies(String userId) {
        return IamPolicyEntity.<IamPolicyEntity>list(
                "policyId in (select a.policyId from IamAttachmentEntity a where a.userId = ?1) order by policyName", userId)
                .map(l -> l.stream().map(p -> p.toDomain(1)).toList());
    }

    public Uni<Long> attachmentCount(String userId) {
        return IamAttachmentEntity.count("userId", userId);
    }

    public Uni<Long> inlinePolicyCount(String userId) {
        return IamUserPolicyEntity.count("userId", userId);
    }
}
