/**
 * The audit trail: every S3 request and every KMS call becomes one event in AWS CloudTrail's record
 * format, stored in PostgreSQL, answered through CloudTrail's {@code LookupEvents} on the management
 * port, delivered as CloudTrail log files, and purged after a retention period. Security teams use it
 * to prove that every object was encrypted, and how (spec section 8).
 *
 * <h2>Events</h2>
 * <ul>
 *   <li><b>S3 events</b> ({@link dev.sseproxy.audit.CloudTrailRecords#s3}), one per S3 request that
 *       passed admission, built from the edge's {@code observability.CompletedRequest} when the
 *       response ended or the connection closed. {@code eventVersion 1.11}, {@code eventSource
 *       s3.amazonaws.com}, {@code eventName} = the operation (AWS's name), {@code awsRegion} =
 *       {@code sse-proxy.region}, {@code sourceIPAddress} (the TCP peer), {@code userAgent},
 *       {@code requestID} = {@code x-amz-request-id}, {@code eventID} (random UUID),
 *       {@code readOnly} (GET and HEAD), {@code eventType AwsApiCall}, {@code recipientAccountId}
 *       (below). Bucket- and service-level operations are {@code Management} events
 *       ({@code managementEvent true}); object-level ones, listings of objects, uploads and parts,
 *       and DeleteObjects are {@code Data} events. Failed calls carry {@code errorCode} and
 *       {@code errorMessage} (the S3 error); a connection cut mid-response carries
 *       {@code errorCode "ConnectionClosed"}.
 *   <li>{@code userIdentity}: {@code {"type":"Root" | "IAMUser", "principalId", "arn",
 *       "accountId", "accessKeyId"}} for an authenticated request ({@code Root} for the root
 *       account's key, {@code IAMUser} named after the access key otherwise);
 *       {@code {"type":"Unknown","accessKeyId"}} when the signature did not verify;
 *       {@code {"type":"AWSAccount","principalId":"","accountId":"anonymous"}} for an unsigned one.
 *   <li>{@code requestParameters}: {@code bucketName}, {@code Host}, {@code key}, the sub-resource
 *       as a key with an empty value ({@code "encryption": ""}), the recorded query parameters
 *       ({@code uploadId}, {@code partNumber}, {@code prefix}, ...), the recorded request headers
 *       (SSE headers, {@code x-amz-copy-source}, checksum algorithm) and operation-specific ones
 *       (PutBucketEncryption's configuration as JSON: spec 8.2). {@code responseElements}: the SSE
 *       response headers, or null when there are none.
 *   <li>{@code additionalEventData}: {@code SignatureVersion SigV4}, {@code CipherSuite} (TLS only),
 *       {@code bytesTransferredIn}, {@code bytesTransferredOut}, {@code AuthenticationMethod}
 *       ({@code AuthHeader} or {@code QueryString}), {@code x-amz-id-2}, and {@code SSEApplied} on the
 *       writes that choose a new object's encryption (PutObject, PostObject, CopyObject,
 *       CreateMultipartUpload; on multipart uploads only the create event, as S3): {@code
 *       Default_SSE_S3} or {@code Default_SSE_KMS} when the request sent no SSE header and the
 *       bucket default applied, {@code SSE_S3}, {@code SSE_KMS} or {@code SSE_C} when the request
 *       chose, and for DSSE-KMS (undocumented by AWS) {@code SSE_KMS_DSSE} / {@code
 *       Default_SSE_KMS_DSSE}. The bucket-key flag is {@code responseElements
 *       ["x-amz-server-side-encryption-bucket-key-enabled"]}, present only when true, as S3 sends it.
 *       {@code tlsDetails} on TLS requests.
 *   <li><b>KMS events</b> ({@link dev.sseproxy.audit.CloudTrailRecords#kms}), one per KMS call the
 *       proxy makes (GenerateDataKey, Encrypt, Decrypt, ReEncrypt for a rewrap, CreateKey,
 *       EnableKeyRotation for a rotation), as AWS KMS records S3's calls (spec 8.4): {@code
 *       eventSource kms.amazonaws.com}, {@code userIdentity} = the account the call was made for
 *       (the S3 requester; the proxy's own account for SSE-S3 bucket keys and secrets), {@code
 *       invokedBy}, {@code sourceIPAddress} and {@code userAgent} = {@code s3.amazonaws.com},
 *       {@code requestParameters {"keyId", "keySpec":"AES_256", "encryptionContext"}}, {@code
 *       readOnly true} (false for key management), {@code resources [{"type":"AWS::KMS::Key",
 *       "ARN"}]}. The KMS port's calls are counted by the rate limiter, so these events arrive at
 *       most at the KMS rate.
 *   <li><b>Never recorded:</b> a data key, a plaintext, an SSE-C key or its MD5, a signature, an
 *       {@code Authorization} header, a presigned URL's query or a secret. The edge passes only an
 *       allow-list of headers and query parameters ({@code api.CompletedRequests}).
 *   <li>{@code recipientAccountId} (the account whose trail holds the event; column
 *       {@code account_id}): the bucket owner when the bucket was looked up, else the requester,
 *       else the root account. KMS events: the account the call was made for.
 * </ul>
 *
 * <h2>Storage (Flyway V6, table {@code audit_event})</h2>
 * One row per event: the filter columns of LookupEvents (time, account, source, name, read-only,
 * user name, access key, resource names as a {@code text[]} with a GIN index), LookupEvents'
 * {@code Resources} as JSON, the CloudTrail record as JSON text (returned as-is by LookupEvents as
 * {@code CloudTrailEvent} and written as-is into log files), and {@code delivered}.
 *
 * <h2>The writer and its back-pressure policy ({@link dev.sseproxy.audit.AuditWriter})</h2>
 * Events go into a bounded in-memory queue ({@code sse-proxy.audit.queue-capacity}, default 20,000).
 * One writer drains it in batches ({@code batch-size}, default 500) through a Hibernate Reactive
 * stateless session ({@code insertAll}, JDBC-style batching, one transaction per batch). It writes as
 * soon as it is free (group commit: what arrives during a write goes into the next one, so batches
 * grow with the load), with a fallback timer at half of {@code flush-interval} (default 1 s): an event
 * waits in memory for the write in progress and its own, normally far less than the interval. A failed
 * batch is retried with backoff and stays in memory meanwhile: nothing is dropped because the database
 * is slow or down. A batch the database refuses for its rows (SQLSTATE class 22 or 23) is written a row
 * at a time instead, and only a row refused on its own is dropped (logged with its event id, counted
 * in {@code sse_proxy_audit_events_dropped_total}), so one bad row can never stop the trail.
 * <ul>
 *   <li><b>Places are taken at admission.</b> Every S3 request takes a place in the queue before it
 *       is handled (the {@code observability.RequestGate}), and its event gives it back once written.
 *       With overflow policy {@code wait} (default) a request that finds the queue full waits for a
 *       place, at most {@code admission-wait} (5 s), then gets 503 SlowDown: the proxy slows its
 *       clients down rather than lose an event, and the queue never holds more than its capacity of
 *       S3 events. With {@code drop}, requests are never held: an event that finds no place is
 *       dropped and counted ({@code sse_proxy_audit_events_dropped_total}).
 *   <li>KMS events take no place (they are bounded by the KMS rate limiter); they count in the depth.
 *   <li><b>Shutdown:</b> a graceful stop (SIGTERM) first lets in-flight requests finish (Quarkus'
 *       graceful-shutdown timeout, {@code quarkus.shutdown.timeout}, 30 s), then writes everything
 *       queued before the database pool closes. After a kill -9 the events still in memory are lost:
 *       those of requests that finished within the last {@code flush-interval} (measured by
 *       {@code AuditDurabilityIT}).
 *   <li><b>Metrics:</b> {@code sse_proxy_audit_queue_depth} (gauge), {@code
 *       sse_proxy_audit_batch_seconds} (timer: a batch's insert), {@code
 *       sse_proxy_audit_events_written_total}, {@code sse_proxy_audit_events_dropped_total} (goal 0),
 *       {@code sse_proxy_audit_admission_rejected_total} (503s for a full queue).
 * </ul>
 *
 * <h2>LookupEvents ({@code api.cloudtrail.CloudTrailRoutes})</h2>
 * CloudTrail's JSON 1.1 API on the management port: {@code POST /} with {@code X-Amz-Target:
 * com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents}, SigV4 for service
 * {@code cloudtrail}; an account sees its own trail. Lookup attributes (at most one, as CloudTrail):
 * EventName, ResourceName, Username, AccessKeyId, EventSource, ReadOnly, EventId; StartTime /
 * EndTime (epoch seconds; default the last 90 days); MaxResults (1-50, default 50); NextToken (opaque:
 * the last event's time and id, bound to the query). Newest first.
 *
 * <h2>Log file delivery ({@code LogDelivery})</h2>
 * With {@code sse-proxy.audit.delivery.bucket} set, every {@code delivery.interval} (at most 5
 * minutes) the undelivered events are written, per account and region, as gzipped CloudTrail log
 * files {@code {"Records":[...]}} to
 * {@code [<prefix>/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<random>.json.gz}
 * (date of delivery, UTC), by a PutObject through the proxy's own S3 port with
 * {@code x-amz-server-side-encryption: AES256}, so the files are encrypted like any object. Rows are
 * marked delivered after the upload succeeded (locked with {@code FOR UPDATE SKIP LOCKED}, so two
 * nodes never deliver one event twice); a failed upload is retried at the next interval.
 *
 * <h2>Retention ({@code AuditRetention})</h2>
 * Every {@code purge-interval}, events older than {@code retention-days} are deleted in statements of
 * {@code purge-batch} rows, so a large purge never holds a long lock.
 */
package dev.sseproxy.audit;
