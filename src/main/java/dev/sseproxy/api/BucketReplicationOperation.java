package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.BucketReplication;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Put / Get / DeleteBucketReplication ({@code ?replication}); see the {@code dev.sseproxy.replication}
 * package documentation. PUT needs {@code Content-MD5} or an {@code x-amz-checksum-*} header or trailer, as S3
 * does ({@code InvalidRequest} "Missing required header for this request: Content-MD5", before the body is
 * read; the body is verified against it like any body), then reads the document ({@link ReplicationCodec}: S3's checks of the document
 * alone), then checks the buckets in S3's order: the source's versioning must be Enabled
 * ({@code InvalidRequest} "Versioning must be 'Enabled' on the bucket to apply a replication configuration"),
 * each destination must be a bucket behind this proxy or an administrator-configured external bucket
 * ({@code InvalidRequest} "Destination bucket must exist."), and a destination behind this proxy must have
 * versioning Enabled ({@code InvalidRequest} "Destination bucket must have versioning enabled."). The whole
 * configuration replaces the stored one on the bucket row ({@link BucketCatalog#updateReplication}). GET
 * answers it, or 404 {@code ReplicationConfigurationNotFoundError}; DELETE removes it (204, also when none).
 */
@ApplicationScoped
class BucketReplicationOperation implements RoutedOperation {
    static final String SOURCE_NOT_VERSIONED = "Versioning must be 'Enabled' on the bucket to apply a replication configuration";
    static final String NO_DESTINATION = "Destination bucket must exist.";
    static final String DESTINATION_NOT_VERSIONED = "Destination bucket must have versioning enabled.";
    static final String NO_CONTENT_MD5 = "Missing required header for this request: Content-MD5";
    private final BucketCatalog buckets;
    private final Set<String> external;

    BucketReplicationOperation(BucketCatalog buckets, SseProxyConfig config) {
        this.buckets = buckets;
        this.external = Set.copyOf(config.replication().external().keySet());
    }

    public String name() {
        return "BucketReplication";
    }

    @Override
    public String name(String method) {
        return switch (method) {
            case "GET" -> "GetBucketReplication";
            case "PUT" -> "PutBucketReplication";
            default -> "DeleteBucketReplication";
        };
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "replication"), new Route(Scope.BUCKET, "PUT", "replication"),
                new Route(Scope.BUCKET, "DELETE", "replication"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        Bucket b = ex.bucketRecord();
        return switch (ex.method()) {
            case "GET" -> {
                if (b.replication() == null) {
                    throw S3Exception.of(S3ErrorCode.REPLICATION_CONFIGURATION_NOT_FOUND).withDetail("BucketName", b.name());
                }
                yield Responses.xml(ex, 200, ReplicationDocuments.document(b.replication()));
            }
            case "PUT" -> {
                if (!ObjectLocks.hasIntegrity(ex)) {
                    throw S3Exception.invalidRequest(NO_CONTENT_MD5);
                }
                yield SmallBody.read(ex).chain(body -> {
                    BucketReplication c = ReplicationCodec.parse(body, b.name());
                    ex.auditParameter("ReplicationConfiguration", ReplicationDocuments.auditParameters(c));
                    if (!"Enabled".equals(b.versioning())) {
                        throw S3Exception.invalidRequest(SOURCE_NOT_VERSIONED).withDetail("BucketName", b.name());
                    }
                    return checkDestinations(c).chain(() -> buckets.updateReplication(b.name(), c));
                }).chain(() -> Responses.empty(ex, 200));
            }
            default -> buckets.updateReplication(b.name(), null).chain(() -> Responses.empty(ex, 204));
        };
    }

    /** Each destination exists here (with versioning Enabled) or is configured as external, checked in rule order. */
    private Uni<Void> checkDestinations(BucketReplication c) {
        Set<String> names = new LinkedHashSet<>();
        c.rules().forEach(r -> names.add(r.destination().bucket()));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String name : names) {
            chain = chain.chain(() -> buckets.find(name)).invoke(found -> {
                if (found.isEmpty()) {
                    if (!external.contains(name)) {
                        throw S3Exception.invalidRequest(NO_DESTINATION);
                    }
                } else if (!"Enabled".equals(found.get().versioning())) {
                    throw S3Exception.invalidRequest(DESTINATION_NOT_VERSIONED);
                }
            }).replaceWithVoid();
        }
        return chain;
    }
}
