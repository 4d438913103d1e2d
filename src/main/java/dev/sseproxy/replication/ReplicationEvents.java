package dev.sseproxy.replication;

import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.catalog.ReplicationQueue;
import dev.sseproxy.notify.Notifications;
import dev.sseproxy.notify.ObjectEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Replication events for the source bucket's event notifications (S3's message shape, with its
 * {@code replicationEventData}): {@code s3:Replication:OperationFailedReplication} when a row gives up,
 * {@code s3:Replication:OperationMissedThreshold} once a row of a rule with {@code ReplicationTime} or
 * {@code Metrics} is still pending past its threshold, {@code s3:Replication:OperationReplicatedAfterThreshold}
 * when such a row completed after it. Recorded in the notification outbox; a failure to record one
 * is logged and never fails the replication's settlement.
 */
@ApplicationScoped
public class ReplicationEvents {
    private static final Logger LOG = Logger.getLogger(ReplicationEvents.class);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Notifications notifications;
    private final BucketCatalog buckets;

    public ReplicationEvents(Notifications notifications, BucketCatalog buckets) {
        this.notifications = notifications;
        this.buckets = buckets;
    }

    Uni<Void> failed(ReplicationQueue.Item item, String reason) {
        Map<String, Object> data = data(item);
        data.put("failureReason", reason);
        return record("Replication:OperationFailedReplication", item, data);
    }

    Uni<Void> missedThreshold(ReplicationQueue.Item item) {
        return record("Replication:OperationMissedThreshold", item, data(item));
    }

    Uni<Void> replicatedAfterThreshold(ReplicationQueue.Item item) {
        Map<String, Object> data = data(item);
        data.put("replicationTime", MILLIS.format(Instant.now()));
        return record("Replication:OperationReplicatedAfterThreshold", item, data);
    }

    private static Map<String, Object> data(ReplicationQueue.Item item) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("replicationRuleId", item.ruleId());
        data.put("destinationBucket", "arn:aws:s3:::" + item.destBucket());
        data.put("s3Operation", ReplicationQueue.DELETE_MARKER.equals(item.kind()) ? "OBJECT_DELETE" : "OBJECT_PUT");
        data.put("requestTime", MILLIS.format(item.createdAt().toInstant()));
        if (item.thresholdMinutes() != null) {
            data.put("threshold", item.thresholdMinutes() * 60);
        }
        return data;
    }

    private Uni<Void> record(String name, ReplicationQueue.Item item, Map<String, Object> data) {
        if (notifications.configuration(item.bucket()).isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
        return buckets.find(item.bucket()).chain(b -> {
            if (b.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return notifications.record(new ObjectEvent(name, item.bucket(), b.get().ownerId(), item.key(), null, null,
                    item.versionId(), Instant.now(), requestId, requestId, "s3.amazonaws.com", null, null,
                    "Replication", data));
        }).onFailure().invoke(e -> LOG.warnf("replication: event %s for %s/%s not recorded (%s)", name, item.bucket(),
                item.key(), e.toString())).onFailure().recoverWithNull();
    }
}
