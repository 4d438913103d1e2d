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
 *   <li>{@code userIdentity}: {@code {"type":"Root", "principalId" (the account id), "arn"
 *       (arn:aws:iam::<account>:root), "accountId", "accessKeyId"}} for a request signed with an
 *       account's root key; {@code {"type":"IAMUser", "principalId" (the user id, AIDA...), "arn" (the
 *       user's ARN), "accountId", "accessKeyId", "userName"}} for one signed with an IAM user's key
 *       (LookupEvents' {@code Username} is the user's name; {@code root} for root keys);
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
 *       {@code tlsDetails} on TLS requests. Writes the proxy makes on its own behalf
 *       ({@code sse.InternalWrites}: a Batch Operations copy or tagging replacement, an inventory report)
 *       are recorded as the client request they stand for ({@code CopyObject}, {@code PutObjectTagging},
 *       {@code PutObject}, with {@code SSEApplied}), with the acting principal's {@code userIdentity} and
 *       {@code userIdentity.invokedBy} = the service ({@code batchoperations.s3.amazonaws.com}); a
 *       service principal's own write has {@code userIdentity {"type":"AWSService","invokedBy":
 *       "s3.amazonaws.com"}} and that name as {@code sourceIPAddress}.
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
 *   <li><b>IAM and STS events</b> ({@link dev.sseproxy.audit.CloudTrailRecords#api}), one per call of the
 *       IAM or STS API on the S3 port: {@code eventSource iam.amazonaws.com} (region {@code us-east-1},
 *       as IAM is global) or {@code sts.amazonaws.com}, {@code eventName} = the action, the caller's
 *       {@code userIdentity} (as for S3 events), {@code requestParameters} = the call's parameters with
 *       lower-cased first letters ({@code userName}, {@code policyArn}, {@code policyDocument}, ...),
 *       {@code responseElements null} (so CreateAccessKey's secret is never recorded), {@code readOnly}
 *       for {@code Get*} and {@code List*}, management events; the user name and policy ARN named are
 *       the event's resource names.
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
 * {@code CloudTrailEvent} and written as-is into log files), and {@code delivered}. Every statement on
 * these rows is a {@code catalog} repository's: the writer's inserts {@code catalog.AuditEventRows}
 * (called by {@code AuditRows}), LookupEvents' pages {@code catalog.AuditEventPages}, the registry ARN
 * of a KMS event's key {@code catalog.BackendKeyArns}, log files {@code catalog.AuditLogFiles},
 * retention {@code catalog.AuditEventPurge}.
 *
 * <h2>The writer and its back-pressure policy ({@link dev.sseproxy.audit.AuditWriter})</h2>
 * {@code AuditWriter} holds the queue and the group-commit loop; the admission places and their
 * waiters are {@code AuditAdmission}, the rows and the refused-row fallback {@code AuditRows}, and
 * the ARN lookup of a KMS event's key {@code KeyArns}.
 * Events go into a bounded in-memory queue ({@code sse-proxy.audit.queue-capacity}, default 20,000).
 * One writer drains it in batches ({@code batch-size}, default 500), each one SQL statement through the
 * reactive PostgreSQL client ({@code INSERT ... SELECT FROM unnest(...)}, one array parameter per column:
 * {@code catalog.AuditEventRows}), so a batch goes in whole or not at all with no transaction around it,
 * in one round trip however large it is. It writes as
 * soon as it is free, after a linger of a tenth of {@code flush-interval} (at most 50 ms) unless a
 * batch is full (group commit: what arrives during a write and its linger goes into the next one, so
 * batches grow with the load), with a fallback timer at half of {@code flush-interval} (default 1 s):
 * an event waits in memory for the write in progress, the linger and its own write, normally far less
 * than the interval. The linger also follows every write that leaves less than a full batch queued:
 * PostgreSQL pays per statement (parse of the array parameters, commit, WAL flush), and writing back
 * to back made batches of about 15 events at 1,500 GETs a second, about 100 statements a second.
 * With the linger they are about 70 events, about 20 a second: PostgreSQL's CPU per 4 KiB GET fell
 * from 0.075-0.081 to 0.051-0.064 ms (warp, concurrency 16, two interleaved rounds each,
 * 2026-12-07; {@code AuditDurabilityIT} checks at most about 20 writes a second under a steady load). A failed
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
 * the last event's time and id, bound to the query). Newest first. The query is
 * {@code catalog.AuditEventPages}'.
 *
 * <h2>Log file delivery ({@link dev.sseproxy.audit.LogDelivery})</h2>
 * With {@code sse-proxy.audit.delivery.bucket} set, every {@code delivery.interval} (default and
 * maximum 5 minutes, as CloudTrail; a longer or non-positive interval is refused at start) the events
 * recorded before the run started are written as gzipped CloudTrail log files {@code {"Records":[...]}},
 * one per account ({@code account_id}) and region (the record's {@code awsRegion}), at most 10,000
 * records or 8 MiB of record text each, to
 * {@code [<prefix>/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 letters and digits>.json.gz}
 * (date of delivery, UTC). The records are the stored JSON texts, concatenated, never re-serialised:
 * a delivered record is byte for byte LookupEvents' {@code CloudTrailEvent}.
 * <ul>
 *   <li><b>Through the proxy itself.</b> Each file is a PutObject to the proxy's own S3 port (the HTTP
 *       port; the TLS port when plain HTTP is off, whose certificate is then not verified, since the
 *       peer is this process's own listener), SigV4-signed with the root account's key ({@code
 *       sse-proxy.root.*}; the root account must own the bucket), with {@code
 *       x-amz-server-side-encryption: AES256}, {@code Content-Type: application/json} and {@code
 *       Content-Encoding: gzip} (the metadata CloudTrail gives its own log files), and user agent
 *       {@code sse-proxy-log-delivery}. So the file is authorised, encrypted and stored like any
 *       object; the AWS CLI and SDKs download the gzip bytes as they are.
 *   <li><b>Plan, upload, mark; on one node:</b> only the node holding the cluster lease {@code
 *       audit-delivery} delivers (see the cluster package documentation). In one fenced transaction
 *       the oldest undelivered event names the account; that account's oldest undelivered events are
 *       chosen (in the order of the partial index, up to the size limits); on a worker thread the file
 *       takes those of the first one's region (read from the record with a streaming parse; events of
 *       another region stay for the next file) and is compressed; its key and event ids are recorded
 *       in {@code audit_log_file} (Flyway V16). Then it is uploaded; then a second fenced transaction
 *       sets its rows {@code delivered} and drops the plan. A failed upload (or database error) ends
 *       the run, is logged once (WARN, with S3's answer) and counted; the next run first finishes the
 *       plans left over, rebuilt from the recorded ids under the recorded key, so a retry (or a late
 *       upload by a node that lost its lease, or a node killed between upload and mark) writes the
 *       same records to the same object: every event is delivered in exactly one log file.
 *   <li><b>The uploads are audited too.</b> A delivery's PutObject is an S3 request like any other:
 *       it becomes an event in the root account's trail ({@code SSEApplied SSE_S3}, user agent
 *       {@code sse-proxy-log-delivery}), delivered in the next run's file. The trail thus shows every
 *       write into the log bucket, as CloudTrail does when it logs data events for its own bucket; the
 *       price is that an otherwise idle proxy still writes one small file per interval (the last
 *       upload's event). Exempting the proxy's own uploads would need a way to keep requests out of
 *       the audit trail, which is worse.
 *   <li><b>Shutdown:</b> nothing is delivered on the way down (the S3 port is closing); undelivered
 *       events stay in PostgreSQL, the lease is released, and another node (or this one after its next
 *       start) delivers them.
 *   <li><b>Cost:</b> on the 2-core development machine under load, 100,000 events (1.3 KB records,
 *       16 files of 8 MiB of text) took 29 s, about 3,500 events/s; most of it is the {@code UPDATE}
 *       that marks rows delivered (a change of the partial index's predicate is not a HOT update, so
 *       every index of the row is written). A run logs its files, events and duration.
 *   <li><b>Metrics:</b> {@code sse_proxy_audit_delivery_files_total}, {@code
 *       sse_proxy_audit_delivery_records_total}, {@code sse_proxy_audit_delivery_failures_total} (runs
 *       that stopped at a failure; goal 0).
 * </ul>
 *
 * <h2>Retention ({@link dev.sseproxy.audit.AuditRetention})</h2>
 * Every {@code purge-interval} (default 1 hour; the first run 30 seconds after start, or one interval
 * when that is shorter), events older than {@code retention-days} (default 90; the cutoff is taken
 * once per run) are deleted in statements of {@code purge-batch} rows (default 10,000), each its own
 * transaction, until a statement deletes fewer: a large purge never holds a long lock. An index on
 * {@code event_time} (Flyway V7) keeps each statement from scanning the table. With log file delivery
 * on, only delivered events are purged: an event is never lost because the log bucket was
 * unreachable (the delivery failures metric shows that long before). A run that purged anything logs
 * how many events in how many statements; {@code sse_proxy_audit_purged_total} counts them.
 */
package dev.sseproxy.audit;
