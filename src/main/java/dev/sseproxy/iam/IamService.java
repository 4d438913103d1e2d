package dev.sseproxy.iam;

import dev.sseproxy.authz.MalformedPolicyException;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.catalog.AccountService;
import dev.sseproxy.catalog.CatalogException;
import dev.sseproxy.catalog.Credential;
import dev.sseproxy.catalog.IamCatalog;
import dev.sseproxy.catalog.IamUser;
import dev.sseproxy.catalog.ManagedPolicy;
import dev.sseproxy.catalog.QuotaExceededException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The IAM user actions (package documentation): each checks the caller's right first
 * ({@link IamAuthorizer}), then reads or writes the catalog in one transaction, then drops this node's
 * cached credentials the change makes stale (other nodes drop theirs through the change feed).
 */
@ApplicationScoped
public class IamService {
    /** IAM's quota of the inline policies of one user, together, in characters without white space. */
    static final int MAX_INLINE_POLICY_CHARS = 2048;
    /** IAM's default quota of managed policies attached to one user. */
    static final int MAX_ATTACHED_POLICIES = 10;

    private final IamCatalog iam;
    private final AccountService accounts;
    private final Clock clock;

    @Inject
    public IamService(IamCatalog iam, AccountService accounts) {
        this(iam, accounts, Clock.systemUTC());
    }

    IamService(IamCatalog iam, AccountService accounts, Clock clock) {
        this.iam = iam;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** A new access key and the user it belongs to (null: the root's). The secret is shown once. */
    public record CreatedKey(Credential key, Instant createdAt) {
    }

    /** The access keys of a user (null: of the account's root). */
    public record Keys(IamUser user, List<IamCatalog.AccessKey> keys) {
    }

    // ---- users --------------------------------------------------------------------------------

    public Uni<IamUser> createUser(Credential caller, String userName, String path) {
        String name = IamNames.userName("userName", userName);
        String p = IamNames.path("path", path);
        IamUser u = new IamUser(caller.accountId(), name, p, accounts.newIamId("AIDA"), now());
        authorize(caller, "CreateUser", u.arn());
        return Panache.withTransaction(() -> iam.user(caller.accountId(), name).chain(existing -> existing.isPresent()
                ? Uni.createFrom().failure(IamException.userExists(existing.get().name()))
                : iam.insertUser(u)))
                .onFailure(IamService::uniqueViolation).transform(e -> IamException.userExists(name))
                .invoke(created -> accounts.forgetUser(created.userId()));
    }

    /** The named user, or for a root caller without a name the account's root itself (as IAM's GetUser). */
    public Uni<IamUser> getUser(Credential caller, String userName) {
        if (userName == null && !caller.isRoot()) {
            return getUser(caller, caller.user().name());
        }
        if (userName == null) {
            return accounts.account(caller.accountId()).map(a -> new IamUser(caller.accountId(), null, null,
                    caller.accountId(), a.map(x -> x.createdAt()).orElse(now())));
        }
        return Panache.withSession(() -> authorizedUser(caller, "GetUser", userName));
    }

    public Uni<Void> deleteUser(Credential caller, String userName) {
        return Panache.withTransaction(() -> authorizedUser(caller, "DeleteUser", userName)
                .call(u -> iam.keyCount(u.userId()).invoke(n -> conflictIf(n > 0,
                        "Cannot delete entity, must delete access keys first.")))
                .call(u -> iam.inlinePolicyCount(u.userId()).invoke(n -> conflictIf(n > 0,
                        "Cannot delete entity, must delete policies first.")))
                .call(u -> iam.attachmentCount(u.userId()).invoke(n -> conflictIf(n > 0,
                        "Cannot delete entity, must detach all policies first.")))
                .call(u -> iam.deleteUser(u.userId())))
                .invoke(u -> accounts.forgetUser(u.userId())).replaceWithVoid();
    }

    public Uni<List<IamUser>> listUsers(Credential caller, String pathPrefix) {
        String prefix = IamNames.pathPrefix("pathPrefix", pathPrefix);
        authorize(caller, "ListUsers", "arn:aws:iam::" + caller.accountId() + ":user" + prefix);
        return Panache.withSession(() -> iam.users(caller.accountId(), prefix));
    }

    // ---- access keys --------------------------------------------------------------------------

    /** A key for the named user; without a name, for the caller (a user for itself, the root for the root). */
    public Uni<CreatedKey> createAccessKey(Credential caller, String userName) {
        if (userName == null && caller.isRoot()) {
            return accounts.createAccessKey(caller.accountId()).map(k -> new CreatedKey(k, now()));
        }
        String name = userName != null ? userName : caller.user().name();
        return Panache.withSession(() -> authorizedUser(caller, "CreateAccessKey", name))
                .chain(u -> accounts.createUserAccessKey(iam, u))
                .onFailure(QuotaExceededException.class).transform(e -> IamException.limitExceeded(e.getMessage()))
                .onFailure(CatalogException.NotFound.class).transform(e -> IamException.noSuchUser(name))
                .map(k -> new CreatedKey(k, now()));
    }

    public Uni<Void> deleteAccessKey(Credential caller, String userName, String accessKeyId) {
        String id = IamNames.accessKeyId("accessKeyId", accessKeyId);
        return Panache.withTransaction(() -> keyOwner(caller, "DeleteAccessKey", userName)
                .chain(u -> iam.deleteKey(caller.accountId(), u.map(IamUser::userId).orElse(null), id)))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw IamException.noSuchAccessKey(id);
                    }
                    accounts.forgetCredential(id);
                }).replaceWithVoid();
    }

    public Uni<Keys> listAccessKeys(Credential caller, String userName) {
        return Panache.withSession(() -> keyOwner(caller, "ListAccessKeys", userName)
                .chain(u -> iam.keys(caller.accountId(), u.map(IamUser::userId).orElse(null))
                        .map(keys -> new Keys(u.orElse(null), keys))));
    }

    /** The user whose keys an action names (empty: the root's, for a root caller without a name). */
    private Uni<Optional<IamUser>> keyOwner(Credential caller, String action, String userName) {
        if (userName == null && caller.isRoot()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String name = userName != null ? userName : caller.user().name();
        return authorizedUser(caller, action, name).map(Optional::of);
    }

    // ---- inline policies ----------------------------------------------------------------------

    public Uni<Void> putUserPolicy(Credential caller, String userName, String policyName, String document) {
        String pname = IamNames.policyName("policyName", policyName);
        String doc = IamNames.required("policyDocument", document);
        parse(doc);
        return Panache.withTransaction(() -> authorizedUser(caller, "PutUserPolicy", userName)
                .call(u -> inlineQuota(u, pname, doc))
                .call(u -> iam.putInlinePolicy(u.userId(), pname, doc)))
                .invoke(u -> accounts.forgetUser(u.userId())).replaceWithVoid();
    }

    private Uni<Void> inlineQuota(IamUser u, String policyName, String document) {
        return iam.inlinePolicyNames(u.userId()).chain(names -> {
            Uni<Integer> others = Uni.createFrom().item(0);
            for (String n : names) {
                if (!n.equals(policyName)) {
                    others = others.chain(sum -> iam.inlinePolicy(u.userId(), n)
                            .map(d -> sum + d.map(IamService::sizeWithoutWhitespace).orElse(0)));
                }
            }
            return others;
        }).invoke(sum -> {
            if (sum + sizeWithoutWhitespace(document) > MAX_INLINE_POLICY_CHARS) {
                throw IamException.limitExceeded("Maximum policy size of " + MAX_INLINE_POLICY_CHARS
                        + " bytes exceeded for user " + u.name());
            }
        }).replaceWithVoid();
    }

    static int sizeWithoutWhitespace(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    public Uni<String> getUserPolicy(Credential caller, String userName, String policyName) {
        String pname = IamNames.policyName("policyName", policyName);
        return Panache.withSession(() -> authorizedUser(caller, "GetUserPolicy", userName)
                .chain(u -> iam.inlinePolicy(u.userId(), pname)))
                .map(d -> d.orElseThrow(() -> IamException.noSuchUserPolicy(userName, pname)));
    }

    public Uni<Void> deleteUserPolicy(Credential caller, String userName, String policyName) {
        String pname = IamNames.policyName("policyName", policyName);
        return Panache.withTransaction(() -> authorizedUser(caller, "DeleteUserPolicy", userName)
                .call(u -> iam.deleteInlinePolicy(u.userId(), pname).invoke(deleted -> {
                    if (!deleted) {
                        throw IamException.noSuchUserPolicy(userName, pname);
                    }
                })))
                .invoke(u -> accounts.forgetUser(u.userId())).replaceWithVoid();
    }

    public Uni<List<String>> listUserPolicies(Credential caller, String userName) {
        return Panache.withSession(() -> authorizedUser(caller, "ListUserPolicies", userName)
                .chain(u -> iam.inlinePolicyNames(u.userId())));
    }

    // ---- managed policies ---------------------------------------------------------------------

    public Uni<ManagedPolicy> createPolicy(Credential caller, String policyName, String path, String document,
            String description) {
        String name = IamNames.policyName("policyName", policyName);
        String p = IamNames.path("path", path);
        String doc = IamNames.required("policyDocument", document);
        String desc = description == null ? "" : description;
        if (desc.length() > 1000) {
            throw IamException.invalid("description", desc.substring(0, 1000), "Member must have length less than or equal to 1000");
        }
        authorize(caller, "CreatePolicy", ManagedPolicy.arn(caller.accountId(), p, name));
        parse(doc);
        Instant now = now();
        ManagedPolicy mp = new ManagedPolicy(caller.accountId(), name, p, accounts.newIamId("ANPA"), desc, doc, now, now, 0);
        return Panache.withTransaction(() -> iam.policyByName(caller.accountId(), name).chain(existing -> existing.isPresent()
                ? Uni.createFrom().failure(IamException.policyExists(name))
                : iam.insertPolicy(mp)))
                .onFailure(IamService::uniqueViolation).transform(e -> IamException.policyExists(name));
    }

    public Uni<ManagedPolicy> getPolicy(Credential caller, String policyArn) {
        return Panache.withSession(() -> authorizedPolicy(caller, "GetPolicy", policyArn));
    }

    public Uni<Void> deletePolicy(Credential caller, String policyArn) {
        return Panache.withTransaction(() -> authorizedPolicy(caller, "DeletePolicy", policyArn)
                .call(p -> {
                    conflictIf(p.attachments() > 0, "Cannot delete a policy attached to entities.");
                    return iam.deletePolicy(p.policyId());
                }))
                .invoke(p -> accounts.forgetAccountUsers(p.accountId())).replaceWithVoid();
    }

    public Uni<Void> attachUserPolicy(Credential caller, String userName, String policyArn) {
        return Panache.withTransaction(() -> authorizedUser(caller, "AttachUserPolicy", userName)
                .chain(u -> policyOfAccount(caller, policyArn)
                        .call(p -> iam.attachedPolicies(u.userId()).invoke(attached -> {
                            boolean already = attached.stream().anyMatch(a -> a.policyId().equals(p.policyId()));
                            if (!already && attached.size() >= MAX_ATTACHED_POLICIES) {
                                throw IamException.limitExceeded("Cannot exceed quota for PoliciesPerUser: "
                                        + MAX_ATTACHED_POLICIES);
                            }
                        }))
                        .call(p -> iam.attach(u.userId(), p.policyId()))
                        .replaceWith(u)))
                .invoke(u -> accounts.forgetUser(u.userId())).replaceWithVoid();
    }

    public Uni<Void> detachUserPolicy(Credential caller, String userName, String policyArn) {
        return Panache.withTransaction(() -> authorizedUser(caller, "DetachUserPolicy", userName)
                .chain(u -> policyOfAccount(caller, policyArn)
                        .call(p -> iam.detach(u.userId(), p.policyId()).invoke(detached -> {
                            if (!detached) {
                                throw IamException.policyNotAttached(policyArn);
                            }
                        }))
                        .replaceWith(u)))
                .invoke(u -> accounts.forgetUser(u.userId())).replaceWithVoid();
    }

    public Uni<List<ManagedPolicy>> listAttachedUserPolicies(Credential caller, String userName) {
        return Panache.withSession(() -> authorizedUser(caller, "ListAttachedUserPolicies", userName)
                .chain(u -> iam.attachedPolicies(u.userId())));
    }

    // ---- shared steps -------------------------------------------------------------------------

    /**
     * The caller's right to {@code action} on the user's ARN first (the ARN with the stored path when the
     * user exists, else {@code user/<name>}), then the user, or NoSuchEntity.
     */
    private Uni<IamUser> authorizedUser(Credential caller, String action, String userName) {
        String name = IamNames.userName("userName", userName);
        return iam.user(caller.accountId(), name).map(u -> {
            String arn = u.map(IamUser::arn).orElse("arn:aws:iam::" + caller.accountId() + ":user/" + name);
            authorize(caller, action, arn);
            return u.orElseThrow(() -> IamException.noSuchUser(name));
        });
    }

    /** The caller's right to {@code action} on the policy ARN, then the policy of the caller's account, or NoSuchEntity. */
    private Uni<ManagedPolicy> authorizedPolicy(Credential caller, String action, String policyArn) {
        IamNames.PolicyArn parsed = IamNames.policyArn("policyArn", policyArn);
        authorize(caller, action, policyArn);
        return findPolicy(caller, parsed, policyArn);
    }

    /** A policy of the caller's account named by ARN (attach, detach: the right is checked on the user). */
    private Uni<ManagedPolicy> policyOfAccount(Credential caller, String policyArn) {
        return findPolicy(caller, IamNames.policyArn("policyArn", policyArn), policyArn);
    }

    private Uni<ManagedPolicy> findPolicy(Credential caller, IamNames.PolicyArn parsed, String policyArn) {
        if (!parsed.accountId().equals(caller.accountId())) {
            return Uni.createFrom().failure(IamException.noSuchPolicy(policyArn));
        }
        return iam.policyByName(caller.accountId(), parsed.name()).map(p -> p
                .filter(x -> x.path().equals(parsed.path()) && x.name().equals(parsed.name()))
                .orElseThrow(() -> IamException.noSuchPolicy(policyArn)));
    }

    private void authorize(Credential caller, String action, String arn) {
        IamAuthorizer.require(caller, action, arn, clock.instant());
    }

    private static void parse(String document) {
        try {
            Policy.identityPolicy(document);
        } catch (MalformedPolicyException e) {
            throw IamException.malformedPolicy(e.getMessage());
        }
    }

    private static void conflictIf(boolean conflict, String message) {
        if (conflict) {
            throw IamException.deleteConflict(message);
        }
    }

    /** A unique index refused a row another request inserted at the same time. */
    private static boolean uniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

}
