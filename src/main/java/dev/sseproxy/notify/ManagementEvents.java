package dev.sseproxy.notify;

import dev.sseproxy.audit.AuditEvent;
import dev.sseproxy.audit.CloudTrailRecords;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.observability.CompletedRequest;
import dev.sseproxy.observability.RequestListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The EventBridge-style stream of bucket management events: every successful bucket-level change
 * ({@link #OPERATIONS}) becomes an "AWS API Call via CloudTrail" event around the same CloudTrail record
 * the audit trail keeps ({@link CloudTrailRecords}), recorded in the outbox for the management target when
 * one is configured. It is recorded when the request has ended (the change is already committed and
 * answered): a node that dies in between loses that one event; object events, in contrast, are recorded
 * before the response.
 */
@ApplicationScoped
public class ManagementEvents implements RequestListener {
    private static final Logger LOG = Logger.getLogger(ManagementEvents.class);
    /** The S3 operations whose success is a management event. */
    public static final Set<String> OPERATIONS = Set.of("CreateBucket", "DeleteBucket", "PutBucketEncryption",
            "DeleteBucketEncryption", "PutBucketPolicy", "DeleteBucketPolicy", "PutBucketVersioning", "PutBucketLogging",
            "PutBucketNotificationConfiguration", "PutPublicAccessBlock", "DeletePublicAccessBlock", "PutBucketAcl",
            "PutBucketOwnershipControls", "DeleteBucketOwnershipControls", "PutBucketTagging", "DeleteBucketTagging",
            "PutBucketReplication", "DeleteBucketReplication", "PutObjectLockConfiguration",
            "PutBucketInventoryConfiguration", "DeleteBucketInventoryConfiguration", "PutBucketLifecycleConfiguration",
            "DeleteBucketLifecycle", "PutBucketCors", "DeleteBucketCors");

    private final Targets targets;
    private final EventOutbox outbox;
    private final CloudTrailRecords records;
    private final EventMessages messages;

    public ManagementEvents(Targets targets, EventOutbox outbox, SseProxyConfig config) {
        this.targets = targets;
        this.outbox = outbox;
        this.records = new CloudTrailRecords(config.region(), config.root().accountId());
        this.messages = new EventMessages(config.region());
    }

    @Override
    public void completed(CompletedRequest request) {
        if (targets.management().isEmpty() || !request.succeeded() || !OPERATIONS.contains(request.operation())
                || request.invokedBy() != null) {
            return;
        }
        String payload;
        try {
            AuditEvent record = records.s3(request);
            payload = messages.eventBridgeApiCall(record.record(), record.accountId(), record.eventTime());
        } catch (RuntimeException e) {
            LOG.errorf(e, "notifications: the management event of request %s could not be built", request.requestId());
            return;
        }
        List<EventOutbox.Message> out = new java.util.ArrayList<>();
        for (Targets.Target t : targets.management()) {
            out.add(new EventOutbox.Message(t.name(), payload));
        }
        outbox.add(out).subscribe().with(v -> { },
                e -> LOG.errorf("notifications: the management event of request %s was not recorded (%s)",
                        request.requestId(), e.toString()));
    }
}
