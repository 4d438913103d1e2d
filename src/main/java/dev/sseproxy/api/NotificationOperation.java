package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.notify.NotificationConfiguration;
import dev.sseproxy.notify.Notifications;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Put / GetBucketNotificationConfiguration ({@code ?notification}). A PUT is validated
 * ({@link NotificationCodec}), stored with an {@code s3:TestEvent} for each destination it adds (both in one
 * transaction, so the test event is delivered at least once), and replaces the previous configuration
 * whole; an empty {@code <NotificationConfiguration/>} removes it. A GET answers what was stored, or the
 * empty document. Destinations and delivery: {@code dev.sseproxy.notify}.
 */
@ApplicationScoped
class NotificationOperation implements RoutedOperation {
    private final Notifications notifications;

    NotificationOperation(Notifications notifications) {
        this.notifications = notifications;
    }

    public String name() {
        return "BucketNotificationConfiguration";
    }

    @Override
    public String name(String method) {
        return "GET".equals(method) ? "GetBucketNotificationConfiguration" : "PutBucketNotificationConfiguration";
    }

    public List<Route> routes() {
        return List.of(new Route(Scope.BUCKET, "GET", "notification"), new Route(Scope.BUCKET, "PUT", "notification"));
    }

    public Uni<Void> handle(S3Exchange ex) {
        String bucket = ex.bucketRecord().name();
        if ("GET".equals(ex.method())) {
            ex.operation("GetBucketNotificationConfiguration");
            return Responses.xml(ex, 200, NotificationCodec.document(
                    notifications.configuration(bucket).orElse(NotificationConfiguration.EMPTY)));
        }
        ex.operation("PutBucketNotificationConfiguration");
        return SmallBody.read(ex)
                .map(body -> NotificationCodec.parse(body, notifications::resolvable))
                .chain(c -> notifications.store(bucket, c, ex.time(), ex.requestId(), RequestIds.hostId(ex.requestId())))
                .chain(() -> Responses.empty(ex, 200));
    }
}
