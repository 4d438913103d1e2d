package dev.sseproxy.accesslog;

import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.observability.CompletedRequest;
import dev.sseproxy.observability.RequestListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Hears every finished S3 request and hands those of buckets whose logging is on to
 * {@link AccessLogDelivery}. Costs a bucket without logging one peek at this node's bucket cache (the
 * request itself looked the bucket up): no database round trip, no backend call. A bucket not in the
 * cache (a request refused before its bucket was looked up, or a configuration that just changed) is not
 * logged; the log deliveries' own writes never are.
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
        Optional<Bucket> b = buckets.cached(request.bucket());
        if (b.isPresent() && b.get().logging() != null) {
            delivery.record(request, b.get());
        }
    }
}
