package dev.sseproxy.accesslog;

import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.observability.AccessDetails;
import dev.sseproxy.observability.CompletedRequest;
import dev.sseproxy.observability.RequestListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Hears every finished S3 request and hands those of buckets whose logging is on to
 * {@link AccessLogDelivery}. A request that looked its bucket up carries the bucket's logging
 * configuration as it found it (so a bucket without logging costs nothing here); one refused before
 * (authentication) costs one peek at this node's bucket cache, and is not logged when the bucket is not
 * cached. No database round trip, no backend call. The log deliveries' own writes are never logged.
 */
@ApplicationScoped
public class AccessLogListener implements RequestListener {
    private final BucketCatalog buckets;
    private final AccessLogDelivery delivery;
    private final boolean enabled;

    public AccessLogListener(BucketCatalog buckets, AccessLogDelivery delivery, AccessLogConfig config) {
        this.buckets = buckets;
        this.delivery = delivery;
        this.enabled = config.enabled();
    }

    @Override
    public void completed(CompletedRequest request) {
        if (!enabled || request.bucket() == null || AccessLogDelivery.SERVICE.equals(request.invokedBy())) {
            return;
        }
        AccessDetails a = request.access();
        if (a != null && a.bucketRegion() != null) {
            if (a.logging() != null) {
                delivery.record(request, a.logging(), request.bucketOwner(), a.bucketRegion());
            }
            return;
        }
        Optional<Bucket> b = buckets.cached(request.bucket());
        if (b.isPresent() && b.get().logging() != null) {
            delivery.record(request, b.get().logging(), b.get().ownerId(), b.get().region());
        }
    }
}
