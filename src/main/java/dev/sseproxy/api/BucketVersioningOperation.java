package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.S3Xml;
import dev.sseproxy.api.xml.SubresourceDocuments.VersioningConfigurationXml;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Get/PutBucketVersioning. The status is forwarded to the MinIO bucket, which then versions the
 * ciphertext (every version its own encrypted object with its own envelope), and kept on the
 * bucket's catalog row (V22): GetBucketVersioning and the request paths that must know whether
 * older versions exist read the cached {@link dev.sseproxy.catalog.Bucket}, never the backend, and
 * the row's change-feed trigger makes every node drop its cached copy. Backend first, row second: a
 * crash between them leaves MinIO versioning a bucket whose row still says otherwise, which the
 * client's retry of the same request repairs; the reverse order could tell clients their writes are
 * versioned while MinIO overwrote them.
 *
 * <p>As on S3: {@code Status} is {@code Enabled} or {@code Suspended} (anything else, or a document
 * that is not a VersioningConfiguration, is MalformedXML; one without a Status is
 * IllegalVersioningConfigurationException); a bucket never goes back to unversioned; {@code MfaDelete
 * Enabled} needs an MFA device, which no principal of this endpoint has, and is refused with S3's
 * AccessDenied "Mfa Authentication must be used for this request".
 */
@ApplicationScoped
class BucketVersioningOperation implements RoutedOperation {
    private final ObjectStore store;
    private final BucketCatalog buckets;

    BucketVersioningOperation(ObjectStore store, BucketCatalog buckets) {
        this.store = store;
        this.buckets = buckets;
    }

    public String name() {
        return "BucketVersioning";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "versioning"), new Route(Scope.BUCKET, "PUT", "versioning"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        if ("GET".equals(ex.method())) {
            ex.operation("GetBucketVersioning");
            VersioningConfigurationXml x = new VersioningConfigurationXml();
            x.status = ex.bucketRecord().versioning();
            return Responses.xml(ex, 200, x);
        }
        ex.operation("PutBucketVersioning");
        return SmallBody.read(ex).chain(bytes -> {
            String status = status(bytes, ex.header("x-amz-mfa"));
            String xml = "<VersioningConfiguration xmlns=\"" + S3Xml.NS + "\"><Status>" + status
                    + "</Status></VersioningConfiguration>";
            byte[] body = xml.getBytes(StandardCharsets.UTF_8);
            BackendCall call = BackendCall.of("PUT", ex.bucket(), null).query("versioning", "")
                    .header("content-type", "application/xml")
                    .header("content-md5", DeleteObjectsOperation.md5(body))
                    .withBody(BackendCall.Body.of(Buffer.buffer(body)));
            return store.exchange(call).chain(r -> buckets.updateVersioning(ex.bucket(), status));
        }).chain(() -> Responses.empty(ex, 200));
    }

    /** The status a PutBucketVersioning body asks for, validated as S3 does. */
    static String status(byte[] bytes, String mfa) {
        VersioningConfigurationXml doc = S3Xml.read(bytes, VersioningConfigurationXml.class);
        if (doc.mfaDelete != null && !List.of("Enabled", "Disabled").contains(doc.mfaDelete)) {
            throw S3Exception.malformedXml();
        }
        if (doc.status == null) {
            throw S3Exception.of(S3ErrorCode.ILLEGAL_VERSIONING_CONFIGURATION);
        }
        if (!List.of("Enabled", "Suspended").contains(doc.status)) {
            throw S3Exception.malformedXml();
        }
        if ("Enabled".equals(doc.mfaDelete) || mfa != null) {
            // no principal here has an MFA device: S3's answer to a request without a valid MFA token
            throw S3Exception.of(S3ErrorCode.ACCESS_DENIED, "Mfa Authentication must be used for this request");
        }
        return doc.status;
    }
}
