/**
 * S3 event notifications and the EventBridge-style stream of management events, delivered to webhooks and
 * NATS subjects through a durable outbox in PostgreSQL.
 *
 * <p><b>Destinations.</b> S3 names destinations by ARN; here the administrator names them
 * ({@code sse-proxy.notifications.targets}, comma-separated {@code <name>=<destination>}, a destination being
 * an {@code http(s)://} webhook URL or {@code nats:<subject>} on {@code sse-proxy.notifications.nats-url},
 * with an optional {@code nats-credentials-file}). A bucket's {@code QueueConfiguration} names target
 * {@code <name>} as {@code arn:aws:sqs:<region>:<root account id>:<name>}, a {@code TopicConfiguration} as
 * {@code arn:aws:sns:<region>:<root account id>:<name>}; both deliver the same S3 message. A
 * {@code CloudFunctionConfiguration} (LambdaFunctionConfiguration) is refused as S3 refuses a function it
 * cannot invoke (400 InvalidArgument "Unable to validate the following destination configurations",
 * ArgumentName the ARN, ArgumentValue "Not authorized to invoke function [arn]"): no functions run here.
 *
 * <p><b>Configuration</b> ({@code api.NotificationOperation}, {@code api.NotificationCodec}): PUT replaces
 * the whole configuration after S3's checks (MalformedXML; "The event is not supported for notifications";
 * "filter rule name must be either prefix or suffix" and one prefix / one suffix rule; "Configurations
 * overlap. Configurations on the same bucket cannot share a common event type." when two rules share an
 * event type and a key could pass both filters; "Unable to validate the following destination
 * configurations" for an ARN no target answers); each destination the new configuration adds gets S3's
 * {@code s3:TestEvent} message, recorded in the same transaction as the configuration. An empty document
 * removes the configuration; GET answers what was stored, or the empty document. {@code
 * <EventBridgeConfiguration/>} is stored and sends the bucket's object events to the management targets in
 * EventBridge's shape. Table {@code bucket_notification} (migration V24); every node holds all
 * configurations in memory ({@link dev.sseproxy.notify.NotificationConfigurations}) and reads a bucket's row
 * again when the change feed announces {@code bucket-notification:<bucket>}: a bucket without a
 * configuration costs a map lookup per request, no query.
 *
 * <p><b>Object events.</b> {@code s3:ObjectCreated:Put|Post|Copy|CompleteMultipartUpload},
 * {@code s3:ObjectRemoved:Delete|DeleteMarkerCreated} (DeleteObject, and each key a DeleteObjects removed,
 * quiet mode included), {@code s3:ObjectTagging:Put|Delete}, {@code s3:ObjectAcl:Put}; wildcards
 * ({@code s3:ObjectCreated:*}) match their family. Only successful requests make events. The messages are
 * inserted into the outbox after the operation's own catalog step and before the success status is sent,
 * so a client that heard of a write will see its event (at least once); if the insert fails the client
 * gets 500 InternalError (the object was written; a retry writes it again and records the event).
 *
 * <p><b>Message formats</b> ({@link dev.sseproxy.notify.EventMessages}). S3's:
 * {@code {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion",...,"eventTime" (ISO-8601,
 * milliseconds),"eventName":"ObjectCreated:Put","userIdentity":{"principalId"},"requestParameters":
 * {"sourceIPAddress"},"responseElements":{"x-amz-request-id","x-amz-id-2"},"s3":{"s3SchemaVersion":"1.0",
 * "configurationId","bucket":{"name","ownerIdentity":{"principalId"},"arn"},"object":{"key" (URL-encoded,
 * space as +),"size" (plaintext bytes),"eTag" (no quotes),"versionId" (when the response had
 * x-amz-version-id),"sequencer"}}}]}}; eventVersion 2.3 for tagging and ACL events; removals carry no size or
 * eTag. {@code principalId} is {@code AWS:<user id>} for an IAM user, the account id for a root key,
 * {@code Anonymous} otherwise. The sequencer is hexadecimal, milliseconds then a per-node counter. The test
 * event: {@code {"Service":"Amazon S3","Event":"s3:TestEvent","Time","Bucket","RequestId","HostId"}}.
 * EventBridge's: {@code {"version":"0","id","detail-type","source":"aws.s3","account","time","region",
 * "resources","detail"}} with detail-type "Object Created" / "Object Deleted" (detail: version, bucket.name,
 * object.key (not encoded), size, etag, version-id, sequencer, request-id, requester, source-ip-address,
 * reason, deletion-type) for buckets with EventBridgeConfiguration, and "AWS API Call via CloudTrail" with
 * the audit trail's CloudTrail record as detail for management events.
 *
 * <p><b>Management events</b> ({@link dev.sseproxy.notify.ManagementEvents}): every successful bucket-level
 * change (CreateBucket, DeleteBucket, Put/DeleteBucketEncryption, Put/DeleteBucketPolicy,
 * PutBucketVersioning, PutBucketLogging, PutBucketNotificationConfiguration, Put/DeletePublicAccessBlock,
 * PutBucketAcl, ownership controls, tagging, replication, object lock, inventory, lifecycle, CORS) goes to
 * {@code sse-proxy.notifications.management-targets}, when set. They are recorded when the request ends
 * (after the response): a node that dies in that instant loses that event.
 *
 * <p><b>Outbox</b> ({@link dev.sseproxy.notify.EventOutbox}, {@link dev.sseproxy.notify.OutboxDispatcher}):
 * table {@code event_outbox}, one row per message and target. Each node runs one delivery round at a time,
 * woken by its own inserts and every {@code poll-interval}: it locks up to {@code batch-size} due rows with
 * {@code FOR UPDATE SKIP LOCKED} (two nodes never deliver the same row while both run), sends them, deletes
 * the delivered rows and moves each failed row's next attempt back by {@code retry-first} doubled per
 * attempt, at most {@code retry-max}, in the same transaction. A node that dies mid-round leaves its rows to
 * the others (or to itself after a restart): delivery is at least once, and a restart loses nothing. The
 * outbox is bounded by {@code outbox-capacity} rows: past it new events are dropped, counted and logged.
 * Webhooks: HTTP POST of the JSON, any 2xx is delivered; NATS: a core publish and a flush.
 *
 * <p><b>Metrics</b>: {@code sse_proxy_notifications_recorded_total}, {@code _delivered_total},
 * {@code _failed_total} (failed attempts), {@code _retried_total} (attempts after a failure),
 * {@code _dropped_total} (outbox full), {@code _discarded_total} (rows whose target was removed from the
 * configuration, deleted unsent), {@code sse_proxy_notifications_outbox_depth} and
 * {@code sse_proxy_notifications_delivery_latency_seconds} (recording to delivery).
 */
package dev.sseproxy.notify;
