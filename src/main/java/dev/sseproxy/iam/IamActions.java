package dev.sseproxy.iam;

import dev.sseproxy.catalog.Credential;
import dev.sseproxy.catalog.IamCatalog;
import dev.sseproxy.catalog.IamUser;
import dev.sseproxy.catalog.ManagedPolicy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM actions served (query protocol: {@code Action=<name>&Version=2010-05-08&...}), each one
 * entry of a table: the parameters in, the XML of its {@code <ActionResult>} out (null for the actions
 * whose response has none). Errors are {@link IamException}s.
 */
@ApplicationScoped
public class IamActions {
    /** One action: the caller and the request's parameters in, the Result's content out (or null). */
    @FunctionalInterface
    public interface Action {
        Uni<String> run(Credential caller, Map<String, String> params);
    }

    private final IamService iam;
    private final Map<String, Action> table;

    public IamActions(IamService iam) {
        this.iam = iam;
        this.table = Map.ofEntries(
                Map.entry("CreateUser", this::createUser), Map.entry("GetUser", this::getUser),
                Map.entry("DeleteUser", this::deleteUser), Map.entry("ListUsers", this::listUsers),
                Map.entry("CreateAccessKey", this::createAccessKey), Map.entry("DeleteAccessKey", this::deleteAccessKey),
                Map.entry("ListAccessKeys", this::listAccessKeys), Map.entry("PutUserPolicy", this::putUserPolicy),
                Map.entry("GetUserPolicy", this::getUserPolicy), Map.entry("DeleteUserPolicy", this::deleteUserPolicy),
                Map.entry("ListUserPolicies", this::listUserPolicies), Map.entry("CreatePolicy", this::createPolicy),
                Map.entry("GetPolicy", this::getPolicy), Map.entry("DeletePolicy", this::deletePolicy),
                Map.entry("AttachUserPolicy", this::attachUserPolicy), Map.entry("DetachUserPolicy", this::detachUserPolicy),
                Map.entry("ListAttachedUserPolicies", this::listAttachedUserPolicies));
    }

    /** The names of the actions served. */
    public java.util.Set<String> names() {
        return table.keySet();
    }

    /** The action of this name, if served. */
    public Optional<Action> action(String name) {
        return Optional.ofNullable(name).map(table::get);
    }

    /**
     * Runs {@code name} for {@code caller}: the Result's XML (null: none), or a failed Uni with an
     * {@link IamException} ({@code InvalidAction} for an action not served).
     */
    public Uni<String> run(String name, Credential caller, Map<String, String> params) {
        return Uni.createFrom().deferred(() -> action(name)
                .orElseThrow(() -> IamException.invalidAction(name)).run(caller, params));
    }

    private Uni<String> createUser(Credential c, Map<String, String> p) {
        return iam.createUser(c, p.get("UserName"), p.get("Path")).map(u -> user(new QueryXml(), u).toString());
    }

    private Uni<String> getUser(Credential c, Map<String, String> p) {
        return iam.getUser(c, p.get("UserName")).map(u -> user(new QueryXml(), u).toString());
    }

    private Uni<String> deleteUser(Credential c, Map<String, String> p) {
        return iam.deleteUser(c, p.get("UserName")).replaceWith((String) null);
    }

    private Uni<String> listUsers(Credential c, Map<String, String> p) {
        return iam.listUsers(c, p.get("PathPrefix")).map(users -> {
            QueryXml x = new QueryXml().element("IsTruncated", false).open("Users");
            users.forEach(u -> user(x, u, "member"));
            return x.close("Users").toString();
        });
    }

    private Uni<String> createAccessKey(Credential c, Map<String, String> p) {
        return iam.createAccessKey(c, p.get("UserName")).map(k -> new QueryXml().open("AccessKey")
                .element("UserName", k.key().user() == null ? null : k.key().user().name())
                .element("AccessKeyId", k.key().accessKeyId()).element("Status", "Active")
                .element("SecretAccessKey", k.key().secretKey()).element("CreateDate", k.createdAt())
                .close("AccessKey").toString());
    }

    private Uni<String> deleteAccessKey(Credential c, Map<String, String> p) {
        return iam.deleteAccessKey(c, p.get("UserName"), p.get("AccessKeyId")).replaceWith((String) null);
    }

    private Uni<String> listAccessKeys(Credential c, Map<String, String> p) {
        return iam.listAccessKeys(c, p.get("UserName")).map(keys -> {
            String userName = keys.user() == null ? null : keys.user().name();
            QueryXml x = new QueryXml().element("UserName", userName).open("AccessKeyMetadata");
            for (IamCatalog.AccessKey k : keys.keys()) {
                x.open("member").element("UserName", userName).element("AccessKeyId", k.accessKeyId())
                        .element("Status", k.status()).element("CreateDate", k.createdAt()).close("member");
            }
            return x.close("AccessKeyMetadata").element("IsTruncated", false).toString();
        });
    }

    private Uni<String> putUserPolicy(Credential c, Map<String, String> p) {
        return iam.putUserPolicy(c, p.get("UserName"), p.get("PolicyName"), p.get("PolicyDocument"))
                .replaceWith((String) null);
    }

    private Uni<String> getUserPolicy(Credential c, Map<String, String> p) {
        return iam.getUserPolicy(c, p.get("UserName"), p.get("PolicyName")).map(doc -> new QueryXml()
                .element("UserName", p.get("UserName")).element("PolicyName", p.get("PolicyName"))
                .element("PolicyDocument", QueryXml.urlEncoded(doc)).toString());
    }

    private Uni<String> deleteUserPolicy(Credential c, Map<String, String> p) {
        return iam.deleteUserPolicy(c, p.get("UserName"), p.get("PolicyName")).replaceWith((String) null);
    }

    private Uni<String> listUserPolicies(Credential c, Map<String, String> p) {
        return iam.listUserPolicies(c, p.get("UserName")).map(names -> {
            QueryXml x = new QueryXml().open("PolicyNames");
            names.forEach(n -> x.element("member", n));
            return x.close("PolicyNames").element("IsTruncated", false).toString();
        });
    }

    private Uni<String> createPolicy(Credential c, Map<String, String> p) {
        return iam.createPolicy(c, p.get("PolicyName"), p.get("Path"), p.get("PolicyDocument"), p.get("Description"))
                .map(mp -> policy(new QueryXml(), mp).toString());
    }

    private Uni<String> getPolicy(Credential c, Map<String, String> p) {
        return iam.getPolicy(c, p.get("PolicyArn")).map(mp -> policy(new QueryXml(), mp).toString());
    }

    private Uni<String> deletePolicy(Credential c, Map<String, String> p) {
        return iam.deletePolicy(c, p.get("PolicyArn")).replaceWith((String) null);
    }

    private Uni<String> attachUserPolicy(Credential c, Map<String, String> p) {
        return iam.attachUserPolicy(c, p.get("UserName"), p.get("PolicyArn")).replaceWith((String) null);
    }

    private Uni<String> detachUserPolicy(Credential c, Map<String, String> p) {
        return iam.detachUserPolicy(c, p.get("UserName"), p.get("PolicyArn")).replaceWith((String) null);
    }

    private Uni<String> listAttachedUserPolicies(Credential c, Map<String, String> p) {
        return iam.listAttachedUserPolicies(c, p.get("UserName")).map(policies -> {
            QueryXml x = new QueryXml().open("AttachedPolicies");
            policies.forEach(mp -> x.open("member").element("PolicyName", mp.name()).element("PolicyArn", mp.arn())
                    .close("member"));
            return x.close("AttachedPolicies").element("IsTruncated", false).toString();
        });
    }

    /** {@code <User>}: a user, or the account's root (GetUser without a name, by the root). */
    static QueryXml user(QueryXml x, IamUser u) {
        return user(x, u, "User");
    }

    private static QueryXml user(QueryXml x, IamUser u, String element) {
        x.open(element);
        if (u.name() == null) {
            x.element("UserId", u.userId()).element("Arn", "arn:aws:iam::" + u.accountId() + ":root");
        } else {
            x.element("Path", u.path()).element("UserName", u.name()).element("UserId", u.userId()).element("Arn", u.arn());
        }
        return x.element("CreateDate", u.createdAt()).close(element);
    }

    static QueryXml policy(QueryXml x, ManagedPolicy p) {
        return x.open("Policy").element("PolicyName", p.name()).element("DefaultVersionId", "v1")
                .element("PolicyId", p.policyId()).element("Path", p.path()).element("Arn", p.arn())
                .element("AttachmentCount", p.attachments()).element("PermissionsBoundaryUsageCount", 0)
                .element("IsAttachable", true).element("Description", p.description().isEmpty() ? null : p.description())
                .element("CreateDate", p.createdAt()).element("UpdateDate", p.updatedAt()).close("Policy");
    }

    /** STS GetCallerIdentity's Result: the caller's ARN, user id (the account id for a root) and account. */
    public static String callerIdentity(Credential c) {
        return new QueryXml().element("Arn", c.principal().arn())
                .element("UserId", c.isRoot() ? c.accountId() : c.user().userId())
                .element("Account", c.accountId()).toString();
    }

    static List<String> served() {
        return List.of("CreateUser", "GetUser", "DeleteUser", "ListUsers", "CreateAccessKey", "DeleteAccessKey",
                "ListAccessKeys", "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy", "ListUserPolicies",
                "CreatePolicy", "GetPolicy", "DeletePolicy", "AttachUserPolicy", "DetachUserPolicy",
                "ListAttachedUserPolicies");
    }
}
