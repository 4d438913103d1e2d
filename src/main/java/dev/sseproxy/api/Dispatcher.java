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
import java.util.Set;

/**
 * Routes an authenticated exchange to its {@link S3Operation}: a table lookup on (scope, method,
 * sub-resource). Sub-resources S3 defines but this endpoint does not implement answer 501.
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

    public Dispatcher(Instance<RoutedOperation> operations, BucketCatalog buckets) {
        this.buckets = buckets;
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
        ex.operation(op.name());
        SseSupport.requireSecureForCustomerKeys(ex);
        if (ex.principal() == null && !(op instanceof AnonymousAllowed)) {
            return Uni.createFrom().failure(S3Exception.accessDenied());
        }
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
            if (ex.principal() != null && !b.get().ownerId().equals(ex.principal().accountId())) {
                return Uni.createFrom().failure(S3Exception.accessDenied());
            }
            if (expectedOwner != null && !expectedOwner.equals(b.get().ownerId())) {
                return Uni.createFrom().failure(S3Exception.accessDenied());
            }
            ex.bucketRecord(b.get());
            return op.handle(ex);
        });
    }

    S3Operation lookup(S3Exchange ex) {
        Scope scope = ex.bucket() == null ? Scope.SERVICE : ex.key() == null ? Scope.BUCKET : Scope.OBJECT;
        String sub = subresource(ex);
        String method = ex.method();
        if ("PUT".equals(method) && ex.header("x-amz-copy-source") != null && Set.of("", "uploadId").contains(sub)) {
            sub = sub.isEmpty() ? "copy" : "uploadId+copy";
        }
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
