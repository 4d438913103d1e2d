package dev.sseproxy.api;

import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes an authenticated (or anonymous) exchange to its {@link S3Operation}: a table lookup on
 * (scope, method, sub-resource). Sub-resources S3 defines but this endpoint does not implement answer
 * 501. Every request that addresses a bucket then passes {@link Authorization} (the one decision
 * point, {@code dev.sseproxy.authz}) with the IAM action of its route ({@link IamActions}) before its
 * operation runs. Anonymous requests get that far only for an existing bucket; service-level ones
 * (ListBuckets, CreateBucket) stay signed-only.
 */
@ApplicationScoped
public class Dispatcher {
    /** Scope of a request: the service, a bucket, or an object. */
    public enum Scope { SERVICE, BUCKET, OBJECT }

    /** Routing key; {@code sub} is the sub-resource, "" for none, "copy" for a copy-source PUT. */
    public record Route(Scope scope, String method, String sub) {
    }

    /** Sub-resources in the order they are recognised (the first present wins). */
    static final List<String> SUBRESOURCES = List.of("uploadId", "uploads", "delete", "location", "versions",
            "acl", "versioning", "policy", "policyStatus", "encryption", "tagging", "cors", "lifecycle", "website",
            "logging", "notification", "replication", "object-lock", "legal-hold", "retention", "attributes",
            "restore", "select", "torrent", "accelerate", "requestPayment", "ownershipControls",
            "publicAccessBlock", "analytics", "inventory", "metrics", "intelligent-tiering", "session",
            "metadataTable", "renameObject");

    private final Map<Route, S3Operation> table = new HashMap<>();
    private final BucketCatalog buckets;
    private final Authorization authorization;
    private final AclWrites aclWrites;
    private final ObjectEvents objectEvents;
    private final ObjectReplications replications;

    public Dispatcher(Instance<RoutedOperation> operations, BucketCatalog buckets, Authorization authorization,
            AclWrites aclWrites, ObjectEvents objectEvents, ObjectReplications replications) {
        this.objectEvents = objectEvents;
        this.replications = replications;
        this.buckets = buckets;
        this.authorization = authorization;
        this.aclWrites = aclWrites;
        for (RoutedOperation op : operations) {
            for (Route r : op.routes()) {
                if (table.put(r, op) != null) {
                    throw new IllegalStateException("two operations for " + r);
                }
            }
        }
    }

    public Uni<Void> dispatch(S3Exchange ex) {
        S3Operation op = lookup(ex);
        ex.operation(op.name(ex.method()));
        SseChecks.requireSecureForCustomerKeys(ex);
        boolean selfAuthenticating = op instanceof AnonymousAllowed;
        if (ex.principal() == null && !selfAuthenticating && (ex.bucket() == null || !op.needsOwnedBucket())) {
            // anonymous requests reach only the decision point of an existing bucket (ACLs may allow them)
            return Uni.createFrom().failure(S3Exception.accessDenied());
        }
        SseChecks.refuseAnonymousKmsWrite(ex, ex.header(dev.sseproxy.sse.EncryptionPolicy.S));
        if (ex.bucket() != null && ex.bucket().length() > BucketCatalog.MAX_NAME_LENGTH) {
            // before any lookup: no cache entry, no query for a name no bucket can have
            return Uni.createFrom().failure(S3Exception.invalidBucketName(ex.bucket()));
        }
        if (ex.key() != null) {
            KeyRules.check(ex.key());
        }
        if (!op.needsOwnedBucket()) {
            return op.handle(ex);
        }
        String expectedOwner = ex.header("x-amz-expected-bucket-owner");
        return buckets.find(ex.bucket()).chain(b -> {
            if (b.isEmpty()) {
                return Uni.createFrom().failure(S3Exception.noSuchBucket(ex.bucket()));
            }
            if (expectedOwner != null && !expectedOwner.equals(b.get().ownerId())) {
                return Uni.createFrom().failure(S3Exception.accessDenied());
            }
            ex.bucketRecord(b.get());
            objectEvents.attach(ex, op.name(ex.method())); // event notifications: only buckets with a configuration
            replications.attach(ex, op.name(ex.method())); // replication: only buckets with a configuration
            if (ex.principal() == null && selfAuthenticating) {
                // POST Object: the form's signature names the principal (an unsigned form is anonymous); the
                // operation asks authorization itself at the form's file part
                return authorization.publicAccessBlock(ex, b.get()).chain(p -> op.handle(ex));
            }
            List<String> actions = IamActions.all(scope(ex), ex.method(), route(ex), ex.queryParam("versionId") != null);
            Uni<Optional<dev.sseproxy.catalog.ObjectAcls.Entry>> allowed = actions.isEmpty()
                    ? authorization.publicAccessBlock(ex, b.get()).map(p -> Optional.empty())
                    : authorization.require(ex, Authorization.principal(ex), actions.get(0), b.get(), ex.key());
            for (String more : actions.subList(Math.min(1, actions.size()), actions.size())) {
                allowed = allowed.call(e -> authorization.require(ex, Authorization.principal(ex), more, b.get(), ex.key()));
            }
            return allowed
                    .invoke(e -> ex.objectAcl(e))
                    .chain(() -> prepareWrite(ex, op))
                    .chain(() -> op.handle(ex));
        });
    }

    /** Writes that create an object learn the owner and ACL it will get (see {@link AclWrites}). */
    private Uni<Void> prepareWrite(S3Exchange ex, S3Operation op) {
        switch (op.name()) {
            case "PutObject", "CopyObject" -> {
                ex.beforeSuccess(doc -> aclWrites.stored(ex, ex.key()));
                return aclWrites.prepare(ex, true);
            }
            case "CreateMultipartUpload" -> {
                ex.beforeSuccess(doc -> doc instanceof dev.sseproxy.api.xml.MultipartDocuments.InitiateMultipartUploadResultXml x
                        ? aclWrites.uploadCreated(ex, x.uploadId) : Uni.createFrom().voidItem());
                return aclWrites.prepare(ex, false);
            }
            case "CompleteMultipartUpload" -> ex.beforeSuccess(doc -> aclWrites.uploadCompleted(ex, ex.queryParam("uploadId")));
            case "AbortMultipartUpload" -> ex.beforeSuccess(doc -> aclWrites.uploadAborted(ex.queryParam("uploadId")));
            // in a versioned bucket the key's ACL stays: older versions (and a delete marker's removal) keep it
            case "DeleteObject" -> {
                if (!ex.bucketRecord().versioned()) {
                    ex.beforeSuccess(doc -> aclWrites.deleted(ex.bucketRecord(), ex.key()));
                }
            }
            default -> {
            }
        }
        return Uni.createFrom().voidItem();
    }

    private static Scope scope(S3Exchange ex) {
        return ex.bucket() == null ? Scope.SERVICE : ex.key() == null ? Scope.BUCKET : Scope.OBJECT;
    }

    /** The sub-resource part of the route: as {@link #lookup} uses it ("copy", "uploadId+copy" for copies). */
    private static String route(S3Exchange ex) {
        if (ex.bucket() == null && AccountPublicAccessBlockOperation.isS3Control(ex.rawPath(), ex.header("x-amz-account-id"))) {
            return BatchJobsOperation.route(ex.rawPath());
        }
        String sub = subresource(ex);
        if ("PUT".equals(ex.method()) && ex.header("x-amz-copy-source") != null && Set.of("", "uploadId").contains(sub)) {
            sub = sub.isEmpty() ? "copy" : "uploadId+copy";
        }
        return sub;
    }

    S3Operation lookup(S3Exchange ex) {
        Scope scope = scope(ex);
        String sub = route(ex);
        String method = ex.method();
        S3Operation op = table.get(new Route(scope, method, sub));
        if (op != null) {
            return op;
        }
        if (!sub.isEmpty()) {
            throw S3Exception.notImplemented("This operation (" + method + " ?" + sub + ") is not implemented.");
        }
        throw S3Exception.of(S3ErrorCode.METHOD_NOT_ALLOWED).withDetail("Method", method)
                .withDetail("ResourceType", scope.name());
    }

    static String subresource(S3Exchange ex) {
        if (ex.query().isEmpty()) {
            return "";
        }
        for (String s : SUBRESOURCES) {
            if (ex.hasQuery(s)) {
                return s;
            }
        }
        return "";
    }

    /** An operation together with the routes it answers. */
    public interface RoutedOperation extends S3Operation {
        List<Route> routes();
    }

    /** Marker for operations that authenticate themselves (POST Object's form signature). */
    public interface AnonymousAllowed {
    }
}
