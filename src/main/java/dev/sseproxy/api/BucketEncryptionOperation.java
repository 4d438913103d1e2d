package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.sse.BucketEncryptionStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Bucket default encryption: {@code GET / PUT / DELETE ?encryption} (spec §1). The dispatcher has
 * checked that the bucket exists and belongs to the requester (and {@code x-amz-expected-bucket-owner})
 * before the body is read; the body is verified against Content-MD5 or any {@code x-amz-checksum-*}
 * (header or trailer) when one is sent, and accepted without either, as modern SDKs may.
 */
@ApplicationScoped
class BucketEncryptionOperation implements RoutedOperation {
    private final BucketEncryptionStore store;

    BucketEncryptionOperation(BucketEncryptionStore store) {
        this.store = store;
    }

    public String name() {
        return "BucketEncryption";
    }

    @Override
    public String name(String method) {
        return switch (method) {
            case "GET" -> "GetBucketEncryption";
            case "PUT" -> "PutBucketEncryption";
            default -> "DeleteBucketEncryption";
        };
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "encryption"), new Route(Scope.BUCKET, "PUT", "encryption"),
                new Route(Scope.BUCKET, "DELETE", "encryption"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        String bucket = ex.bucket();
        return switch (ex.method()) {
            case "GET" -> {
                ex.operation("GetBucketEncryption");
                yield store.get(bucket).chain(enc -> Responses.xml(ex, 200,
                        EncryptionConfigurationCodec.render(bucket, enc, store.era())));
            }
            case "PUT" -> {
                ex.operation("PutBucketEncryption");
                yield SmallBody.read(ex).map(EncryptionConfigurationCodec::parse)
                        .invoke(config -> ex.auditParameter("ServerSideEncryptionConfiguration",
                                EncryptionConfigurationCodec.auditForm(config)))
                        .chain(config -> store.put(bucket, config))
                        .chain(() -> Responses.empty(ex, 200));
            }
            default -> {
                ex.operation("DeleteBucketEncryption");
                yield store.delete(bucket).chain(() -> Responses.empty(ex, 204));
            }
        };
    }
}
