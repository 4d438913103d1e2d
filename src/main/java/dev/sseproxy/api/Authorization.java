package dev.sseproxy.api;

import dev.sseproxy.authz.AuthorizationDecisions;
import dev.sseproxy.authz.AuthzRequest;
import dev.sseproxy.authz.Decision;
import dev.sseproxy.authz.Permission;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.Credential;
import dev.sseproxy.catalog.ObjectAcls;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gathers what {@link AuthorizationDecisions#evaluate} needs for an exchange (the bucket's owner,
 * ownership and ACL; for the actions object ACLs govern, the object's recorded owner and ACL, one
 * catalog read, skipped while the bucket's ACLs are disabled) and refuses with 403 AccessDenied
 * what it denies. Every request that addresses a bucket passes here, and so does a copy's source.
 */
@ApplicationScoped
public class Authorization {
    private static final Logger LOG = Logger.getLogger(Authorization.class);
    private final ObjectAcls objectAcls;

    public Authorization(ObjectAcls objectAcls) {
        this.objectAcls = objectAcls;
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
     * The decision for a bucket-level action (no catalog read needed), for operations that learn their
     * principal themselves (POST Object's form signature): fails with AccessDenied when denied.
     */
    static void requireOnBucket(S3Exchange ex, Principal who, String action, Bucket b) {
        requireOnBucket(ex, who, identityPolicies(ex, who), action, b);
    }

    /** As {@link #requireOnBucket(S3Exchange, Principal, String, Bucket)}, with the identity policies of {@code who}. */
    static void requireOnBucket(S3Exchange ex, Principal who, List<Policy> policies, String action, Bucket b) {
        Decision d = AuthorizationDecisions.evaluate(new AuthzRequest(who, action, AuthzRequest.bucketArn(b.name()),
                b.ownerId(), null, b.acl(), b.ownership(), policies, null, null, null));
        if (!d.allowed()) {
            LOG.debugf("%s: %s on %s denied (%s)", ex.requestId(), action, b.name(), d.reason());
            throw S3Exception.accessDenied();
        }
    }

    /**
     * Allows {@code action} on bucket {@code b} (key null) or its object {@code key} for {@code who},
     * or fails with AccessDenied; answers the object's recorded owner and ACL when they were read.
     */
    public Uni<Optional<ObjectAcls.Entry>> require(S3Exchange ex, Principal who, String action, Bucket b, String key) {
        boolean objectAcl = key != null && Permission.governedByObjectAcl(action)
                && b.effectiveOwnership().aclsEnabled();
        Uni<Optional<ObjectAcls.Entry>> entry = objectAcl ? objectAcls.find(b.name(), key)
                : Uni.createFrom().item(Optional.empty());
        return entry.map(e -> {
            String arn = key == null ? AuthzRequest.bucketArn(b.name()) : AuthzRequest.objectArn(b.name(), key);
            AuthzRequest r = new AuthzRequest(who, action, arn, b.ownerId(),
                    e.map(ObjectAcls.Entry::ownerId).orElse(null),
                    objectAcl ? e.map(ObjectAcls.Entry::acl).orElse(null) : b.acl(), b.ownership(),
                    identityPolicies(ex, who), null, null, null);
            Decision d = AuthorizationDecisions.evaluate(r);
            if (!d.allowed()) {
                LOG.debugf("%s: %s on %s denied (%s)", ex.requestId(), action, arn, d.reason());
                throw S3Exception.accessDenied();
            }
            return e;
        });
    }
}
