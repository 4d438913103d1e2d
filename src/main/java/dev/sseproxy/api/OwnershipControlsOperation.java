package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.SubresourceDocuments;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.authz.ObjectOwnership;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.ObjectAcls;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Get / Put / DeleteBucketOwnershipControls. A bucket without controls (pre-2023 buckets, or after a
 * DELETE) acts as {@code ObjectWriter} and GET answers 404 {@code OwnershipControlsNotFoundError}.
 * Setting {@code BucketOwnerEnforced} needs a bucket ACL that gives only the owner full control
 * ({@code InvalidBucketAclWithObjectOwnership} otherwise) and forgets every object's owner and ACL:
 * the bucket owner owns every object from then on.
 */
@ApplicationScoped
class OwnershipControlsOperation implements RoutedOperation {
    private final BucketCatalog buckets;
    private final ObjectAcls objectAcls;

    OwnershipControlsOperation(BucketCatalog buckets, ObjectAcls objectAcls) {
        this.buckets = buckets;
        this.objectAcls = objectAcls;
    }

    public String name() {
        return "BucketOwnershipControls";
    }

    @Override
    public String name(String method) {
        return switch (method) {
            case "GET" -> "GetBucketOwnershipControls";
            case "PUT" -> "PutBucketOwnershipControls";
            default -> "DeleteBucketOwnershipControls";
        };
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "ownershipControls"),
                new Route(Scope.BUCKET, "PUT", "ownershipControls"),
                new Route(Scope.BUCKET, "DELETE", "ownershipControls"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        Bucket b = ex.bucketRecord();
        return switch (ex.method()) {
            case "GET" -> {
                ex.operation("GetBucketOwnershipControls");
                if (b.ownership() == null) {
                    throw S3Exception.of(S3ErrorCode.OWNERSHIP_CONTROLS_NOT_FOUND).withDetail("BucketName", b.name());
                }
                yield Responses.xml(ex, 200, document(b.ownership()));
            }
            case "PUT" -> {
                ex.operation("PutBucketOwnershipControls");
                yield SmallBody.read(ex).chain(body -> {
                    ObjectOwnership o = parse(body);
                    if (!o.aclsEnabled() && b.acl() != null && !b.acl().onlyOwnerFullControl(b.ownerId())) {
                        throw S3Exception.of(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
                    }
                    Uni<Void> forget = o.aclsEnabled() ? Uni.createFrom().voidItem() : objectAcls.deleteAll(b.name());
                    return forget.chain(() -> buckets.updateAccess(b.name(), o, o.aclsEnabled() ? b.acl() : null));
                }).chain(() -> Responses.empty(ex, 200));
            }
            default -> {
                ex.operation("DeleteBucketOwnershipControls");
                yield buckets.updateAccess(b.name(), null, b.acl()).chain(() -> Responses.empty(ex, 204));
            }
        };
    }

    static SubresourceDocuments.OwnershipControlsXml document(ObjectOwnership o) {
        SubresourceDocuments.OwnershipControlsXml x = new SubresourceDocuments.OwnershipControlsXml();
        SubresourceDocuments.OwnershipControlsRuleXml r = new SubresourceDocuments.OwnershipControlsRuleXml();
        r.objectOwnership = o.wireName();
        x.rules.add(r);
        return x;
    }

    /** Exactly one rule with a known ObjectOwnership, else MalformedXML (as S3 answers). */
    static ObjectOwnership parse(byte[] body) {
        SubresourceDocuments.OwnershipControlsXml x = S3Xml.read(body, SubresourceDocuments.OwnershipControlsXml.class);
        if (x.rules == null || x.rules.size() != 1 || x.rules.get(0).objectOwnership == null) {
            throw S3Exception.malformedXml();
        }
        return ObjectOwnership.parse(x.rules.get(0).objectOwnership.trim()).orElseThrow(S3Exception::malformedXml);
    }
}
