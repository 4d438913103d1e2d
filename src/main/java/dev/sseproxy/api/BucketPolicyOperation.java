package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.SubresourceDocuments;
import dev.sseproxy.authz.MalformedPolicyException;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Put / Get / DeleteBucketPolicy and GetBucketPolicyStatus.
 * <ul>
 *   <li>PUT validates the document as S3 does ({@code Policy.bucketPolicy}: 400 {@code MalformedPolicy}
 *       with S3's message), refuses a public one while {@code BlockPublicPolicy} is in effect (account or
 *       bucket; 403 {@code AccessDenied}), stores it as given and answers 204;</li>
 *   <li>GET answers the document exactly as it was put ({@code application/json}), or 404
 *       {@code NoSuchBucketPolicy} "The bucket policy does not exist";</li>
 *   <li>DELETE answers 204, with or without a policy;</li>
 *   <li>GET ?policyStatus answers {@code <PolicyStatus><IsPublic>true|false</IsPublic></PolicyStatus>}
 *       (what "public" means: {@code dev.sseproxy.authz}), or {@code NoSuchBucketPolicy}.</li>
 * </ul>
 * Authorization (s3:PutBucketPolicy, s3:GetBucketPolicy, s3:DeleteBucketPolicy, s3:GetBucketPolicyStatus)
 * ran before, with the owner root's lockout exception ({@link Authorization}). As AWS documents, a
 * requester allowed by policy but outside the bucket owner's account gets 405 {@code MethodNotAllowed}
 * for the three policy calls: only the owner's account may manage a bucket's policy.
 */
@ApplicationScoped
class BucketPolicyOperation implements RoutedOperation {
    private final BucketCatalog buckets;

    BucketPolicyOperation(BucketCatalog buckets) {
        this.buckets = buckets;
    }

    public String name() {
        return "BucketPolicy";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "policy"), new Route(Scope.BUCKET, "PUT", "policy"),
                new Route(Scope.BUCKET, "DELETE", "policy"), new Route(Scope.BUCKET, "GET", "policyStatus"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        Bucket b = ex.bucketRecord();
        if (Dispatcher.subresource(ex).equals("policyStatus")) {
            ex.operation("GetBucketPolicyStatus");
            SubresourceDocuments.PolicyStatusXml x = new SubresourceDocuments.PolicyStatusXml();
            // lower case: botocore reads only "true" as true
            x.isPublic = Boolean.toString(existing(b).isPublic());
            return Responses.xml(ex, 200, x);
        }
        String verb = switch (ex.method()) {
            case "GET" -> "Get";
            case "PUT" -> "Put";
            default -> "Delete";
        };
        ex.operation(verb + "BucketPolicy");
        if (ex.principal() == null || !b.ownerId().equals(ex.principal().accountId())) {
            throw S3Exception.of(S3ErrorCode.METHOD_NOT_ALLOWED).withDetail("Method", ex.method())
                    .withDetail("ResourceType", "BUCKETPOLICY");
        }
        return switch (ex.method()) {
            case "GET" -> {
                byte[] text = existing(b).text().getBytes(StandardCharsets.UTF_8);
                yield ex.runBeforeSuccess(200, null).chain(() -> Uni.createFrom().completionStage(() -> ex.response()
                        .setStatusCode(200).putHeader("Content-Type", "application/json")
                        .end(Buffer.buffer(text)).toCompletionStage()));
            }
            case "PUT" -> SmallBody.read(ex).chain(body -> {
                String text = new String(body, StandardCharsets.UTF_8);
                Policy p = parse(text, b.name());
                if (ex.publicAccessBlock().blockPublicPolicy() && p.isPublic()) {
                    throw S3Exception.accessDenied();
                }
                return buckets.updatePolicy(b.name(), text);
            }).chain(() -> Responses.empty(ex, 204));
            default -> buckets.updatePolicy(b.name(), null).chain(() -> Responses.empty(ex, 204));
        };
    }

    private static Policy existing(Bucket b) {
        if (b.policy() == null) {
            throw S3Exception.of(S3ErrorCode.NO_SUCH_BUCKET_POLICY).withDetail("BucketName", b.name());
        }
        return b.policy();
    }

    /** The document validated as S3 validates a bucket policy; MalformedPolicy with S3's message otherwise. */
    static Policy parse(String text, String bucket) {
        try {
            return Policy.bucketPolicy(text, bucket);
        } catch (MalformedPolicyException e) {
            throw S3Exception.of(S3ErrorCode.MALFORMED_POLICY, e.getMessage());
        }
    }
}
