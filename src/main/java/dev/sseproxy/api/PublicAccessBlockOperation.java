package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.SubresourceDocuments;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.authz.PublicAccessBlock;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Put / Get / DeletePublicAccessBlock of a bucket ({@code ?publicAccessBlock}). A bucket created in era
 * {@code 2023} or later starts with all four flags on (as on AWS since April 2023), one of era
 * {@code pre-2023} with none. GET of a bucket without a configuration answers 404
 * {@code NoSuchPublicAccessBlockConfiguration}. A flag left out of a PUT is false; a value other than
 * {@code true}/{@code false} is {@code MalformedXML}. The effect of the flags: {@link Authorization},
 * {@link BucketPolicyOperation}, {@link AclWrites}, and the package documentation of {@code dev.sseproxy.authz}.
 */
@ApplicationScoped
class PublicAccessBlockOperation implements RoutedOperation {
    private final BucketCatalog buckets;

    PublicAccessBlockOperation(BucketCatalog buckets) {
        this.buckets = buckets;
    }

    public String name() {
        return "PublicAccessBlock";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "publicAccessBlock"),
                new Route(Scope.BUCKET, "PUT", "publicAccessBlock"),
                new Route(Scope.BUCKET, "DELETE", "publicAccessBlock"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        Bucket b = ex.bucketRecord();
        return switch (ex.method()) {
            case "GET" -> {
                ex.operation("GetPublicAccessBlock");
                if (b.publicAccessBlock() == null) {
                    throw S3Exception.of(S3ErrorCode.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION)
                            .withDetail("BucketName", b.name());
                }
                yield Responses.xml(ex, 200, document(b.publicAccessBlock()));
            }
            case "PUT" -> {
                ex.operation("PutPublicAccessBlock");
                yield SmallBody.read(ex).chain(body -> buckets.updatePublicAccessBlock(b.name(), parse(body)))
                        .chain(() -> Responses.empty(ex, 200));
            }
            default -> {
                ex.operation("DeletePublicAccessBlock");
                yield buckets.updatePublicAccessBlock(b.name(), null).chain(() -> Responses.empty(ex, 204));
            }
        };
    }

    static SubresourceDocuments.PublicAccessBlockConfigurationXml document(PublicAccessBlock p) {
        SubresourceDocuments.PublicAccessBlockConfigurationXml x = new SubresourceDocuments.PublicAccessBlockConfigurationXml();
        x.blockPublicAcls = Boolean.toString(p.blockPublicAcls());
        x.ignorePublicAcls = Boolean.toString(p.ignorePublicAcls());
        x.blockPublicPolicy = Boolean.toString(p.blockPublicPolicy());
        x.restrictPublicBuckets = Boolean.toString(p.restrictPublicBuckets());
        return x;
    }

    /** A {@code PublicAccessBlockConfiguration} document (either namespace: S3's or S3 Control's). */
    static PublicAccessBlock parse(byte[] body) {
        SubresourceDocuments.PublicAccessBlockConfigurationXml x = S3Xml.read(body, SubresourceDocuments.PublicAccessBlockConfigurationXml.class);
        return new PublicAccessBlock(flag(x.blockPublicAcls), flag(x.ignorePublicAcls), flag(x.blockPublicPolicy),
                flag(x.restrictPublicBuckets));
    }

    private static boolean flag(String v) {
        if (v == null) {
            return false;
        }
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw S3Exception.malformedXml();
        };
    }
}
