package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.SubresourceDocuments;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.authz.AccessControlList;
import dev.sseproxy.authz.Grant;
import dev.sseproxy.authz.Grantee;
import dev.sseproxy.authz.Permission;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.ObjectAcls;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GetBucketAcl / PutBucketAcl / GetObjectAcl / PutObjectAcl. A PUT takes a canned {@code x-amz-acl},
 * {@code x-amz-grant-*} headers or an {@code AccessControlPolicy} body; with ACLs disabled
 * ({@code BucketOwnerEnforced}) only the owner's full control is accepted (and nothing stored), any
 * other ACL is {@code AccessControlListNotSupported}, and a GET shows the bucket owner's full control.
 */
final class AclOperations {
    private AclOperations() {
    }

    /** The ACL a PUT ?acl asks for (headers or body), for a resource owned by {@code ownerId}. */
    static Uni<AccessControlList> requested(S3Exchange ex, String ownerId, String bucketOwnerId) {
        Optional<AclRequests> fromHeaders = AclRequests.fromHeaders(ex::header);
        return SmallBody.read(ex).map(body -> {
            if (fromHeaders.isPresent()) {
                if (body.length > 0) {
                    throw S3Exception.of(S3ErrorCode.INVALID_REQUEST, "This request does not support content");
                }
                return fromHeaders.get().resolve(ownerId, bucketOwnerId);
            }
            return fromBody(S3Xml.read(body, SubresourceDocuments.AccessControlPolicyInXml.class));
        });
    }

    static AccessControlList fromBody(SubresourceDocuments.AccessControlPolicyInXml doc) {
        List<Grant> grants = new ArrayList<>();
        for (SubresourceDocuments.GrantInXml g : doc.grants) {
            Permission p = g.permission == null ? null : Permission.parse(g.permission.trim());
            if (p == null || g.grantee == null || g.grantee.type == null) {
                throw S3Exception.malformedXml();
            }
            Grantee who = switch (g.grantee.type.trim()) {
                case "CanonicalUser" -> AclRequests.grantee("id", g.grantee.id == null ? "" : g.grantee.id.trim(),
                        "Grantee", String.valueOf(g.grantee.id));
                case "Group" -> AclRequests.grantee("uri", g.grantee.uri == null ? "" : g.grantee.uri.trim(),
                        "Grantee", String.valueOf(g.grantee.uri));
                case "AmazonCustomerByEmail" -> AclRequests.grantee("emailaddress", "", "Grantee", "");
                default -> throw S3Exception.malformedXml();
            };
            grants.add(new Grant(who, p));
        }
        if (grants.size() > AccessControlList.MAX_GRANTS) {
            throw S3Exception.malformedXml();
        }
        return new AccessControlList(grants);
    }

    static SubresourceDocuments.AccessControlPolicyXml render(String ownerId, AccessControlList acl) {
        SubresourceDocuments.AccessControlPolicyXml p = new SubresourceDocuments.AccessControlPolicyXml();
        p.owner = Ops.owner(ownerId);
        for (Grant g : acl.grants()) {
            SubresourceDocuments.GrantXml x = new SubresourceDocuments.GrantXml();
            x.grantee = new SubresourceDocuments.GranteeXml();
            x.grantee.type = g.grantee().type().xsiType();
            if (g.grantee().type() == Grantee.Type.CANONICAL_USER) {
                x.grantee.id = g.grantee().id();
                x.grantee.displayName = g.grantee().id();
            } else {
                x.grantee.uri = g.grantee().id();
            }
            x.permission = g.permission().name();
            p.grants.add(x);
        }
        return p;
    }

    /** Refuses an ACL write on a bucket whose ACLs are disabled unless it is the owner's full control only. */
    static void checkAclsEnabled(Bucket b, AccessControlList requested) {
        if (!b.effectiveOwnership().aclsEnabled() && !requested.onlyOwnerFullControl(b.ownerId())) {
            throw S3Exception.of(S3ErrorCode.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
        }
    }

    /** Refuses a public ACL (AllUsers / AuthenticatedUsers) while BlockPublicAcls is in effect: 403 AccessDenied. */
    static void checkNotBlocked(S3Exchange ex, AccessControlList requested) {
        if (requested != null && ex.publicAccessBlock().blockPublicAcls() && requested.grantsPublicAccess()) {
            throw S3Exception.accessDenied();
        }
    }

    @ApplicationScoped
    static class GetBucketAcl implements RoutedOperation {
        public String name() {
            return "GetBucketAcl";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "GET", "acl"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            Bucket b = ex.bucketRecord();
            return Responses.xml(ex, 200, render(b.ownerId(), b.effectiveAcl()));
        }
    }

    @ApplicationScoped
    static class PutBucketAcl implements RoutedOperation {
        private final dev.sseproxy.catalog.BucketCatalog buckets;

        PutBucketAcl(dev.sseproxy.catalog.BucketCatalog buckets) {
            this.buckets = buckets;
        }

        public String name() {
            return "PutBucketAcl";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "PUT", "acl"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            Bucket b = ex.bucketRecord();
            return requested(ex, b.ownerId(), b.ownerId()).chain(acl -> {
                checkAclsEnabled(b, acl);
                checkNotBlocked(ex, acl);
                boolean isDefault = acl.equals(AccessControlList.ownerFullControl(b.ownerId()))
                        || !b.effectiveOwnership().aclsEnabled();
                return buckets.updateAccess(b.name(), b.ownership(), isDefault ? null : acl);
            }).chain(() -> Responses.empty(ex, 200));
        }
    }

    /**
     * The addressed object (the version the request names, if any) must exist (NoSuchKey or
     * NoSuchVersion otherwise), as for S3's object ACL calls; its version id goes back to the client.
     * The ACL itself is kept per key, shared by the key's versions (see the package documentation).
     */
    static Uni<Void> objectExists(S3Exchange ex, ObjectStore store) {
        return store.exchange(Versions.on(BackendCall.of("HEAD", ex.bucket(), ex.key()), Versions.requested(ex)))
                .onFailure(BackendException.Rejected.class).transform(e -> Versions.notFound((BackendException.Rejected) e, ex))
                .invoke(r -> Versions.echo(r.headers(), ex.response().headers()))
                .replaceWithVoid();
    }

    @ApplicationScoped
    static class GetObjectAcl implements RoutedOperation {
        private final ObjectStore store;

        GetObjectAcl(ObjectStore store) {
            this.store = store;
        }

        public String name() {
            return "GetObjectAcl";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "GET", "acl"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            SseChecks.rejectWriteOnlyHeaders(ex);
            Bucket b = ex.bucketRecord();
            return objectExists(ex, store).chain(() -> {
                var e = ex.objectAcl();
                String owner = e.map(ObjectAcls.Entry::ownerId).orElse(b.ownerId());
                AccessControlList acl = e.map(ObjectAcls.Entry::acl).orElseGet(() -> AccessControlList.ownerFullControl(owner));
                return Responses.xml(ex, 200, render(owner, acl));
            });
        }
    }

    @ApplicationScoped
    static class PutObjectAcl implements RoutedOperation {
        private final ObjectStore store;
        private final ObjectAcls objectAcls;

        PutObjectAcl(ObjectStore store, ObjectAcls objectAcls) {
            this.store = store;
            this.objectAcls = objectAcls;
        }

        public String name() {
            return "PutObjectAcl";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "PUT", "acl"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            Bucket b = ex.bucketRecord();
            String owner = ex.objectAcl().map(ObjectAcls.Entry::ownerId).orElse(b.ownerId());
            return requested(ex, owner, b.ownerId()).chain(acl -> {
                checkAclsEnabled(b, acl);
                checkNotBlocked(ex, acl);
                return objectExists(ex, store).chain(() -> {
                    if (!b.effectiveOwnership().aclsEnabled()) {
                        return Uni.createFrom().voidItem();
                    }
                    boolean isDefault = owner.equals(b.ownerId()) && acl.equals(AccessControlList.ownerFullControl(owner));
                    return isDefault ? objectAcls.delete(b.name(), ex.key())
                            : objectAcls.put(b.name(), ex.key(), new ObjectAcls.Entry(owner, acl));
                });
            }).chain(() -> Responses.empty(ex, 200));
        }
    }
}
