/**
 * Server access logging, as Amazon S3 documents it ("Logging requests with server access logging", "Amazon
 * S3 server access log format", PutBucketLogging): every request to a bucket whose logging is on becomes one
 * record in S3's log format, delivered in log objects to the configured target bucket, encrypted with
 * SSE-S3.
 *
 * <h2>Configuration (PutBucketLogging / GetBucketLogging, {@code api.BucketLoggingOperation})</h2>
 * {@code BucketLoggingStatus} with an optional {@code LoggingEnabled} { {@code TargetBucket},
 * {@code TargetPrefix}, {@code TargetGrants}, {@code TargetObjectKeyFormat} { {@code SimplePrefix} |
 * {@code PartitionedPrefix} { {@code PartitionDateSource} EventTime | DeliveryTime } } }; an empty
 * {@code BucketLoggingStatus} turns logging off. It is stored on the bucket row ({@code catalog.BucketLogging},
 * migration V25), so the cached bucket carries it and the bucket row's change feed invalidates it on every
 * node. What PutBucketLogging refuses (400 unless said):
 * <ul>
 *   <li>a document that does not parse, a {@code LoggingEnabled} without {@code TargetBucket} or
 *       {@code TargetPrefix}, both key formats at once, an unknown {@code PartitionDateSource}:
 *       {@code MalformedXML};</li>
 *   <li>a target bucket that does not exist: {@code InvalidTargetBucketForLogging}, "The target bucket for
 *       logging does not exist", with a {@code TargetBucket} element;</li>
 *   <li>a target in another region: {@code InvalidTargetBucketForLogging}, "Cross S3 location logging not
 *       allowed.";</li>
 *   <li>a target owned by another account whose bucket policy does not allow the logging service principal
 *       {@code logging.s3.amazonaws.com} {@code s3:PutObject} on the prefix (with {@code aws:SourceAccount} /
 *       {@code aws:SourceArn} set to the source bucket's): {@code InvalidTargetBucketForLogging}, "The owner for
 *       the bucket to be logged and the target bucket must be the same." A target of the same owner needs no
 *       policy (the owner delivers to itself; its bucket policy's explicit denies still apply at delivery).
 *       The legacy log-delivery group ACL is not a way in: S3 recommends the policy and the proxy enforces
 *       only that;</li>
 *   <li>{@code TargetGrants} on a target whose Object Ownership is {@code BucketOwnerEnforced} (ACLs
 *       disabled; S3's default for new buckets): {@code AccessControlListNotSupported}, "The target bucket
 *       for logging does not allow ACLs". Accepted grants are echoed by GetBucketLogging; the log objects
 *       themselves belong to the target's owner (the grants are not applied to them);</li>
 *   <li><b>the guide's encryption rule:</b> a target whose default encryption is SSE-KMS or DSSE-KMS:
 *       {@code InvalidTargetBucketForLogging}, "The target bucket for logging must not use SSE-KMS or DSSE-KMS
 *       default encryption; only SSE-S3 (AES256) is supported." Amazon S3 itself answers 200 and then
 *       silently fails to deliver; refusing at configuration time is the proxy's choice (the "refused
 *       ... as S3 does"), with S3's code for a target it cannot log to.</li>
 * </ul>
 *
 * <h2>Records</h2>
 * {@link AccessLogRecords#format} writes one line per request from the {@code observability.CompletedRequest}
 * every S3 request produces: the documented fields in their documented order, separated by one space,
 * {@code -} for an empty or unknown field, the Request-URI, Referer and User-Agent in double quotes (a
 * {@code "} or {@code \} inside written as {@code \"} / {@code \\}), and no other field holding a space or
 * a control character (they are percent-encoded):
 * <ol>
 *   <li>Bucket Owner (the owner's canonical id; here the account id), Bucket,
 *       Time ({@code [06/Feb/2019:00:00:38 +0000]}), Remote IP,</li>
 *   <li>Requester (the IAM user's ARN, the account's canonical id for a root key, {@code svc:<principal>}
 *       for a write a service made, {@code -} anonymous), Request ID,</li>
 *   <li>Operation ({@code REST.PUT.OBJECT}, {@code REST.GET.BUCKET}, {@code REST.PUT.LOGGING_STATUS}, ...:
 *       {@link AccessLogRecords#operation}), Key (URL-encoded, {@code /} kept),</li>
 *   <li>Request-URI ({@code "PUT /bucket/key HTTP/1.1"}), HTTP status, Error Code, Bytes Sent, Object Size,
 *       Total Time (ms), Turn-Around Time (ms: from arrival to the response's headers; for an upload
 *       that includes receiving the body, which S3 excludes),</li>
 *   <li>Referer, User-Agent, Version Id, Host Id ({@code x-amz-id-2}), Signature Version ({@code SigV4}),
 *       Cipher Suite, Authentication Type ({@code AuthHeader} / {@code QueryString}), Host Header,
 *       TLS version, Access Point ARN ({@code -}: no access points), aclRequired ({@code -}), Source region
 *       ({@code -}: the proxy cannot tell).</li>
 * </ol>
 * The log deliveries' own writes are not logged (as on S3), so a bucket that logs into itself does not loop.
 *
 * <h2>Delivery</h2>
 * Best-effort, as on S3, but bounded in delay and memory and off the request path. The request listener
 * ({@link AccessLogListener}) reads the logging configuration the request found on its bucket (a bucket
 * without logging costs nothing; a request refused before its bucket was looked up costs one peek at the
 * node's bucket cache) and appends the formatted line to the batch of its source bucket and
 * target ({@link PendingLogs}); every {@code sse-proxy.access-log.flush-interval} (default 5m), or at once
 * when a batch reaches {@code max-object-size}, {@link AccessLogDelivery} writes each batch as one log object
 * through {@code sse.InternalWrites#putServiceObject} as {@code logging.s3.amazonaws.com}: authorised like any
 * write (the target's policy), encrypted SSE-S3 by the proxy's own pipeline (ciphertext in MinIO), audited
 * (a CloudTrail data event with {@code invokedBy}). Every node delivers its own records under its own unique
 * key strings, so each record is in exactly one log object (S3 also writes several objects for one period).
 * At most {@code max-buffered} bytes of records are held per node; records beyond are dropped and counted.
 * A batch whose delivery fails is dropped and counted, and logged once a batch. A graceful stop tries to
 * deliver what the node holds (waiting at most 10 s; best effort: the backend's HTTP clients bound to the
 * already stopped HTTP verticles may be closed by then); a crash loses at most one flush interval of that
 * node's records.
 * <p>If a target's default encryption became SSE-KMS or DSSE-KMS after logging was configured, delivery
 * fails closed: no log object is written, the batch is counted as failed ({@code reason=kms_default}) and a
 * warning is logged.
 *
 * <h2>Log object keys ({@link LogObjectKeys})</h2>
 * {@code SimplePrefix}: {@code [TargetPrefix][YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString]};
 * {@code PartitionedPrefix}: {@code [TargetPrefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/[YYYY]/[MM]/[DD]/[YYYY]-[MM]-[DD]-[hh]-[mm]-[ss]-[UniqueString]},
 * the partition date being the delivery time or, with {@code EventTime}, the time of the batch's first
 * record (a batch never spans two days then). Times are UTC; the unique string is 16 upper-case hex digits.
 *
 * <h2>Metrics</h2>
 * {@code sse_proxy_access_log_records_total{outcome=delivered|dropped|failed}},
 * {@code sse_proxy_access_log_objects_total{outcome=delivered|failed}},
 * {@code sse_proxy_access_log_delivery_failures_total{reason=kms_default|no_such_bucket|access_denied|error}},
 * {@code sse_proxy_access_log_buffered_bytes}.
 */
package dev.sseproxy.accesslog;
