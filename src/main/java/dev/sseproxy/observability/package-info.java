/**
 * Metrics and health, served on the management port (127.0.0.1:9090 by default): Prometheus text at
 * {@code /q/metrics}, health at {@code /q/health}, {@code /q/health/live} and {@code /q/health/ready}.
 * Nothing here is tagged by bucket, key, account or access key: every tag takes values from a small
 * fixed set, so the number of series is bounded whatever the traffic. (The coverage gauges,
 * {@code sse_proxy_coverage_*}, are the one exception, on purpose: set by coverage scans, not by
 * traffic, per bucket and KMS key in use; see {@code dev.sseproxy.coverage}.)
 *
 * <h2>S3 requests</h2>
 * {@link dev.sseproxy.observability.RequestMetrics} hears every finished S3 request (a
 * {@link dev.sseproxy.observability.CompletedRequest}, once, on the request's event loop) and records:
 * <ul>
 *   <li>{@code sse.proxy.s3.requests}, a timer (Prometheus {@code sse_proxy_s3_requests_seconds}:
 *       {@code _count}, {@code _sum}, {@code _max}, and the client-side percentiles
 *       {@code quantile="0.5"} and {@code quantile="0.99"} over a sliding window of about two
 *       minutes), from a request's arrival to the end of its response (or the close of its
 *       connection). Tags:
 *       <ul>
 *         <li>{@code operation}: AWS's operation name ({@code PutObject}, {@code GetObject},
 *             {@code ListObjectsV2}, {@code PutBucketEncryption}, ...), a fixed set given by the S3
 *             edge's operations; {@code Unknown} for a request that failed before it was routed.
 *         <li>{@code outcome}, first match wins:
 *             <ol>
 *               <li>{@code aborted}: the connection closed before the response ended (the client
 *                   went away, or the proxy cut the connection), whatever status was sent;
 *               <li>{@code server_error}: status 5xx (including 503 {@code SlowDown} and
 *                   {@code ServiceUnavailable});
 *               <li>{@code client_error}: status 4xx, or an S3 error code with a status below 500;
 *               <li>{@code success}: everything else (2xx, and 304/206 answers).
 *             </ol>
 *         <li>{@code sse_mode}: the encryption the response reports for the object: {@code sse_s3},
 *             {@code sse_kms}, {@code dsse_kms}, {@code sse_c}, or {@code none} (bucket and service
 *             operations, errors, and objects stored before encryption was on).
 *       </ul>
 *   <li>{@code sse.proxy.s3.bytes.in} and {@code sse.proxy.s3.bytes.out}, counters (Prometheus
 *       {@code sse_proxy_s3_bytes_in_total}, {@code sse_proxy_s3_bytes_out_total}) tagged
 *       {@code operation}: request bytes read (the body as sent, aws-chunked framing included) and
 *       response body bytes written, between the client and the proxy.
 * </ul>
 * The meters of each tag combination are built once and kept, so recording a request is two map
 * look-ups and three updates.
 *
 * <h2>Metrics recorded elsewhere</h2>
 * <ul>
 *   <li>KMS ({@code kms.MeteredKmsClient}, {@code kms.KmsRateLimiter}):
 *       {@code sse_proxy_kms_requests_total{operation,outcome}},
 *       {@code sse_proxy_kms_request_duration_seconds{operation,outcome}},
 *       {@code sse_proxy_kms_limiter_permits_total{result}}.
 *   <li>Bucket-key caches ({@code bucketkey.BucketKeyCache}, Micrometer's Caffeine binder):
 *       {@code cache_gets_total{cache,result="hit|miss"}}, {@code cache_puts_total},
 *       {@code cache_evictions_total}, {@code cache_size}, for {@code cache="sse.proxy.bucket.keys.write"}
 *       and {@code "sse.proxy.bucket.keys.read"}.
 *   <li>Audit writer ({@code audit.AuditWriter}): {@code sse_proxy_audit_queue_depth},
 *       {@code sse_proxy_audit_batch_seconds} (with p50/p99), {@code sse_proxy_audit_events_written_total},
 *       {@code sse_proxy_audit_events_dropped_total}, {@code sse_proxy_audit_admission_rejected_total}.
 *   <li>Audit log files and retention ({@code audit.LogDelivery}, {@code audit.AuditRetention}):
 *       {@code sse_proxy_audit_delivery_files_total}, {@code sse_proxy_audit_delivery_records_total},
 *       {@code sse_proxy_audit_delivery_failures_total}, {@code sse_proxy_audit_purged_total}.
 *   <li>Edge limits ({@code api.BodyBudget}, {@code api.AdmissionLimit}): {@code sse_proxy_buffered_body_bytes}
 *       (request-body bytes held in heap now), {@code sse_proxy_buffered_body_overflow_total{action="refused|streamed"}}
 *       (requests that found that budget spent), {@code sse_proxy_unauthenticated_requests} (requests not yet
 *       authenticated now), {@code sse_proxy_unauthenticated_refused_total}. Requests refused for the latter
 *       answer 503 SlowDown before they are admitted, so {@code sse_proxy_s3_requests_seconds} does not count them.
 *   <li>Quarkus and Micrometer's own: JVM, process, Vert.x HTTP server ({@code http_server_requests_seconds},
 *       with every URI collapsed to {@code /{s3}}).
 * </ul>
 *
 * <h2>Health</h2>
 * SmallRye Health checks, all reactive ({@code AsyncHealthCheck}: nothing blocks a thread). A
 * readiness check answers from a result at most {@code sse-proxy.health.cache-ttl} (default 2 s)
 * old, so probes from several places cost one call per dependency per period; one call is in flight
 * at a time. Each call is bounded by {@code sse-proxy.health.timeout} (default 2 s); no answer in
 * time is DOWN. A DOWN response carries {@code reason} (the failure) in its data. So readiness turns
 * DOWN within timeout + cache-ttl (4 s by default) of a dependency failing, and UP as soon after its
 * return.
 * <ul>
 *   <li><b>Liveness</b> ({@code /q/health/live}): {@code sse-proxy}, always UP while the management
 *       server answers. A dependency's outage never fails liveness: restarting the proxy would not
 *       bring it back.
 *   <li><b>Readiness</b> ({@code /q/health/ready}; 503 when any check is DOWN):
 *       <ul>
 *         <li>{@code PostgreSQL}: {@code SELECT 1} through the application's reactive pool. Replaces
 *             Quarkus's own datasource checks ({@code quarkus.datasource.health.enabled=false}):
 *             those block a worker thread for up to 20 s and also check the JDBC pool that only
 *             Flyway uses at start.
 *         <li>{@code MinIO}: a signed HeadBucket of a name the proxy never creates, through the
 *             backend's MinIO Java client (a 404 is UP, a wrong backend credential's 403 is DOWN;
 *             not ListBuckets: MinIO ignores {@code max-buckets} and answers every bucket).
 *         <li>{@code KMS}: {@code keyInfo} of the proxy's own key that seals access-key secrets
 *             ({@code sse-proxy.kms.secrets-key-name}, created at start, so it always exists). The
 *             call goes through the KMS rate limiter like any other (at most one per cache-ttl,
 *             under 1 of the default 5000 permits/s); a call the limiter rejects, or that the KMS
 *             answers with throttling, is UP with {@code throttled=true}: an overloaded KMS is
 *             reachable, and taking the proxy out of service would only move the load.
 *       </ul>
 * </ul>
 */
package dev.sseproxy.observability;
