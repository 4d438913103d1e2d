package dev.sseproxy.api;

import dev.sseproxy.authz.AuthorizationDecisions;
import dev.sseproxy.authz.AuthzRequest;
import dev.sseproxy.authz.ConditionContext;
import dev.sseproxy.authz.Decision;
import dev.sseproxy.authz.Permission;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.authz.PublicAccessBlock;
import dev.sseproxy.catalog.AccountPublicAccessBlocks;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.Credential;
import dev.sseproxy.catalog.ObjectAcls;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Gathers what {@link AuthorizationDecisions#evaluate} needs for an exchange and refuses with 403
 * AccessDenied ("Access Denied") what it denies. Every request that addresses a bucket passes here, and
 * so do a copy's source and POST Object's form. What it gathers:
 * <ul>
 *   <li>the bucket's owner, ownership, ACL and <b>policy</b> (parsed once, in the cached
 *       {@link Bucket}); for the actions object ACLs govern, the object's recorded owner and ACL (one
 *       catalog read, skipped while the bucket's ACLs are disabled);</li>
 *   <li>the effective <b>Block Public Access</b> setting: the bucket owner's account-level one
 *       ({@link AccountPublicAccessBlocks}, cached) OR the bucket's own; kept on the exchange for the
 *       writes that refuse public ACLs and policies ({@code BlockPublicAcls}, {@code BlockPublicPolicy});</li>
 *   <li>the requester's <b>identity policies</b> (IAM users; none for a root or anonymous);</li>
 *   <li>the request's <b>condition keys</b> ({@link RequestConditions}), built only when some policy
 *       will be evaluated.</li>
 * </ul>
 * Warm, this reads no database (bucket, account setting and key resolutions are cached).
 *
 * <p><b>Lockout exception</b> (AWS, PutBucketPolicy API reference): the root of the account that owns
 * the bucket may always call GetBucketPolicy, PutBucketPolicy and DeleteBucketPolicy, even when the
 * bucket policy explicitly denies it, so an owner cannot lock itself out of its own bucket.
 */
@ApplicationScoped
public class Authorization {
    private static final Logger LOG = Logger.getLogger(Authorization.class);
    /** The actions the bucket owner's root may always perform (the lockout exception). */
    static final Set<String> POLICY_ACTIONS = Set.of("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy");
    private final ObjectAcls objectAcls;
    private final AccountPublicAccessBlocks accountBlocks;
    private final RequestConditions conditions;

    public Authorization(ObjectAcls objectAcls, AccountPublicAccessBlocks accountBlocks, RequestConditions conditions) {
        this.objectAcls = objectAcls;
        this.accountBlocks = accountBlocks;
        this.conditions = conditions;
    }

    /** The requester of an exchange: anonymous, an account's root, or an IAM user (by its access key). */
    static Principal principal(S3Exchange ex) {
        return ex.principal() == null ? Principal.anonymous() : ex.principal().principal();
    }

    /** The identity policies of {@code who} when it is the exchange's requester (an IAM user's); else none. */
    static List<Policy> identityPolicies(S3Exchange ex, Principal who) {
        Credential c = ex.principal();
        return c != null && c.principal().equals(who) ? c.identityPolicies() : List.of();
    }

    /**
     * The effective Block Public Access setting of bucket {@code b} (account's OR bucket's); kept on the
     * exchange when {@code b} is the bucket the request addresses.
     */
    Uni<PublicAccessBlock> publicAccessBlock(S3Exchange ex, Bucket b) {
        return accountBlocks.find(b.ownerId()).map(account -> {
            PublicAccessBlock p = PublicAccessBlock.or(account.orElse(null), b.publicAccessBlock());
            if (b.name().equals(ex.bucket())) {
                // the addressed bucket's (a copy's source bucket has its own, used for its decision only)
                ex.publicAccessBlock(p);
            }
            return p;
        });
    }

    /**
     * The decision for POST Object's {@code s3:PutObject} on {@code key}, whose principal (with its
     * {@code identity} policies) the form names (the dispatcher has set the exchange's Block Public Access
     * setting): fails with AccessDenied when denied. {@code formKeys} are the form's condition keys ({@code s3:x-amz-server-side-encryption},
     * ...), added to the request's own.
     */
    static void requireForForm(S3Exchange ex, Principal who, List<Policy> identity, Bucket b, String key,
            Map<String, String> formKeys) {
        ConditionContext context = ConditionContext.EMPTY;
        if (b.policy() != null || !identity.isEmpty()) {
            Map<String, List<String>> m = RequestConditions.base(ex, Instant.now());
            RequestConditions.put(m, "s3:authType", "POST");
            RequestConditions.put(m, "s3:signatureversion", formKeys.containsKey("x-amz-signature") ? "AWS4-HMAC-SHA256" : null);
            for (String f : List.of("x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
                    "x-amz-server-side-encryption-customer-algorithm", "acl")) {
                String v = formKeys.get(f);
                RequestConditions.put(m, "s3:" + ("acl".equals(f) ? "x-amz-acl" : f), v);
            }
            context = RequestConditions.context(m);
        }
        String arn = AuthzRequest.objectArn(b.name(), key);
        decide(ex.requestId(), new AuthzRequest(who, "s3:PutObject", arn, b.ownerId(), null, b.acl(), b.ownership(), identity,
                b.policy(), ex.publicAccessBlock(), context));
    }

    /**
     * Allows {@code action} on bucket {@code b} (key null) or its object {@code key} for {@code who},
     * or fails with AccessDenied; answers the object's recorded owner and ACL when they were read.
     */
    public Uni<Optional<ObjectAcls.Entry>> require(S3Exchange ex, Principal who, String action, Bucket b, String key) {
        List<Policy> identity = identityPolicies(ex, who);
        return require(ex.requestId(), who, identity, action, b, key, publicAccessBlock(ex, b),
                policies -> conditions.of(ex, b.name(), key, policies));
    }

    /**
     * As {@link #require(S3Exchange, Principal, String, Bucket, String)}, for a write the proxy makes on its
     * own behalf ({@code dev.sseproxy.sse.InternalWrites}): {@code who} with its {@code identity} policies,
     * the request's condition keys {@code keys} (lower-case names; see {@link RequestConditions#internal}).
     * The same evaluator, bucket policy, ACLs and Block Public Access as a client's request.
     */
    Uni<Optional<ObjectAcls.Entry>> requireInternal(String requestId, Principal who, List<Policy> identity,
            String action, Bucket b, String key, Map<String, List<String>> keys) {
        Uni<PublicAccessBlock> pab = accountBlocks.find(b.ownerId())
                .map(account -> PublicAccessBlock.or(account.orElse(null), b.publicAccessBlock()));
        return require(requestId, who, identity, action, b, key, pab,
                policies -> conditions.internal(new java.util.HashMap<>(keys), who.accountId(), b.name(), key, policies));
    }

    private Uni<Optional<ObjectAcls.Entry>> require(String requestId, Principal who, List<Policy> identity, String action,
            Bucket b, String key, Uni<PublicAccessBlock> blocks,
            java.util.function.Function<List<Policy>, Uni<ConditionContext>> conditionKeys) {
        boolean objectAcl = key != null && Permission.governedByObjectAcl(action)
                && b.effectiveOwnership().aclsEnabled();
        Uni<Optional<ObjectAcls.Entry>> entry = objectAcl ? objectAcls.find(b.name(), key)
                : Uni.createFrom().item(Optional.empty());
        List<Policy> policies = b.policy() == null ? identity
                : identity.isEmpty() ? List.of(b.policy()) : concat(identity, b.policy());
        Uni<ConditionContext> context = policies.isEmpty() ? Uni.createFrom().item(ConditionContext.EMPTY)
                : conditionKeys.apply(policies);
        return blocks.chain(pab -> context.chain(ctx -> entry.map(e -> {
            String arn = key == null ? AuthzRequest.bucketArn(b.name()) : AuthzRequest.objectArn(b.name(), key);
            if (lockoutException(who, action, b)) {
                return e;
            }
            decide(requestId, new AuthzRequest(who, action, arn, b.ownerId(),
                    e.map(ObjectAcls.Entry::ownerId).orElse(null),
                    objectAcl ? e.map(ObjectAcls.Entry::acl).orElse(null) : b.acl(), b.ownership(),
                    identity, b.policy(), pab, ctx));
            return e;
        })));
    }

    /**
     * Allows {@code action} on {@code resourceArn}, which names no existing bucket (CreateBucket, ListBuckets),
     * or fails with AccessDenied: an account's root may; an IAM user needs an identity policy that allows it
     * (no bucket policy or ACL can, as on S3).
     */
    Uni<Void> requireIdentity(S3Exchange ex, String action, String resourceArn, String bucket) {
        Principal who = principal(ex);
        if (who.isRoot()) {
            return Uni.createFrom().voidItem();
        }
        List<Policy> identity = identityPolicies(ex, who);
        Uni<ConditionContext> context = identity.isEmpty() ? Uni.createFrom().item(ConditionContext.EMPTY)
                : conditions.of(ex, bucket, null, identity);
        return context.map(ctx -> {
            decide(ex.requestId(), new AuthzRequest(who, action, resourceArn, who.accountId(), null, null, null,
                    identity, null, null, ctx));
            return null;
        });
    }

    /** The bucket owner's root managing the bucket's policy (class comment). */
    static boolean lockoutException(Principal who, String action, Bucket b) {
        return who.isRoot() && who.accountId().equals(b.ownerId()) && POLICY_ACTIONS.contains(action);
    }

    private static void decide(String requestId, AuthzRequest r) {
        Decision d = AuthorizationDecisions.evaluate(r);
        if (!d.allowed()) {
            LOG.debugf("%s: %s on %s denied (%s)", requestId, r.action(), r.resourceArn(), d.reason());
            throw S3Exception.accessDenied();
        }
    }

    private static List<Policy> concat(List<Policy> identity, Policy bucket) {
        List<Policy> all = new java.util.ArrayList<>(identity);
        all.add(bucket);
        return all;
    }
}
