package dev.sseproxy.it;

import java.time.Instant;
import java.util.List;

/**
 * The KMS calls a test caused, counted from a proxy's audit trail instead of the process-wide
 * {@code sse_proxy_kms_requests_total}. Every KMS call the proxy makes is a CloudTrail event
 * ({@code eventSource kms.amazonaws.com}) whose resource is the key it used (the key's ARN; the backend
 * name for the proxy's own keys: {@code sse-proxy-secrets}, {@code sse-proxy-sse-s3}) and whose record
 * carries the encryption context (the bucket or object ARN for S3's calls). A test that creates its own
 * KMS key therefore counts exactly its own calls; the calls the proxy makes for itself meanwhile — a
 * credential cache reload decrypts the access key's secret under {@code sse-proxy-secrets} (every
 * {@code sse-proxy.credential-cache-ttl}, 5 minutes by default, per access key in use) — name another key.
 *
 * <p><b>When are the events there?</b> The audit writer is one FIFO queue written a batch at a time, in
 * order. A request's KMS calls are queued as each call returns, before the request's own S3 event, which
 * is queued when its response has ended. So once every S3 event of a phase is written
 * ({@link #awaitS3Events}), every KMS event those requests caused is written too — except an event
 * whose key's ARN the writer has not cached (the first of a registry key, or the first after 10 minutes
 * in the writer's cache, and every one of the proxy's own keys, which have none), queued one database
 * round trip later: {@link #awaitCount} waits for an
 * expected count, so a count is read only when it can be final.
 */
final class KmsEvents {
    /** Longer than any write of the audit trail takes on a loaded machine; only a broken trail waits it out. */
    static final long DEADLINE_NANOS = 180_000_000_000L;

    private KmsEvents() {
    }

    /** How many KMS events named {@code eventName} (e.g. {@code Decrypt}) on key {@code key} are written. */
    static long count(ProxyProcess p, String key, String eventName) {
        return Long.parseLong(p.sql("SELECT count(*) FROM " + where(key, eventName, null)));
    }

    /** Likewise, of the calls that started at or after {@code since} (the proxy's clock is this machine's). */
    static long count(ProxyProcess p, String key, String eventName, Instant since) {
        return Long.parseLong(p.sql("SELECT count(*) FROM " + where(key, eventName, since)));
    }

    /** How many distinct {@code aws:s3:arn} values (objects, for calls without a bucket key) those events name. */
    static long distinctArns(ProxyProcess p, String key, String eventName) {
        return Long.parseLong(p.sql("SELECT count(DISTINCT record::json -> 'requestParameters' -> 'encryptionContext' "
                + "->> 'aws:s3:arn') FROM " + where(key, eventName, null)));
    }

    /** The encryption contexts (JSON objects) of those events, oldest first. */
    static List<String> contexts(ProxyProcess p, String key, String eventName, Instant since) {
        String out = p.sql("SELECT coalesce(record::json -> 'requestParameters' -> 'encryptionContext', '{}')::text FROM "
                + where(key, eventName, since) + " ORDER BY event_time");
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private static String where(String key, String eventName, Instant since) {
        return "audit_event WHERE event_source = 'kms.amazonaws.com' AND event_name = " + literal(eventName)
                + " AND resource_names @> ARRAY[" + literal(key) + "]"
                + (since == null ? "" : " AND event_time >= " + literal(since.toString()) + "::timestamptz");
    }

    /**
     * How many KMS events named {@code eventName} on key {@code key} are written, once there are at least
     * {@code expected} of them (or the deadline passed: then the count found, for the assertion to report).
     */
    static long awaitCount(ProxyProcess p, String key, String eventName, long expected) {
        return awaitCount(p, key, eventName, null, expected);
    }

    /** {@link #awaitCount(ProxyProcess, String, String, long)} of the calls that started at or after {@code since}. */
    static long awaitCount(ProxyProcess p, String key, String eventName, Instant since, long expected) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        long n;
        while ((n = since == null ? count(p, key, eventName) : count(p, key, eventName, since)) < expected
                && System.nanoTime() < deadline) {
            ProxyProcess.sleep(250);
        }
        return n;
    }

    /**
     * Waits until {@code n} S3 events named {@code eventName} without an error are written for
     * {@code bucket}: the barrier after which the KMS events of those requests are written as well.
     *
     * @throws AssertionError when they are not there by the deadline (the audit trail lost or delayed them)
     */
    static void awaitS3Events(ProxyProcess p, String bucket, String eventName, long n) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        long found;
        while ((found = s3Events(p, bucket, eventName, false)) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(found + " of " + n + " " + eventName + " events of " + bucket
                        + " in the audit trail after 180 s (dropped: "
                        + p.metric("sse_proxy_audit_events_dropped_total") + ")");
            }
            ProxyProcess.sleep(250);
        }
    }

    /** How many S3 events named {@code eventName} of {@code bucket} are written: successes, or every attempt. */
    static long s3Events(ProxyProcess p, String bucket, String eventName, boolean failuresToo) {
        return Long.parseLong(p.sql("SELECT count(*) FROM audit_event WHERE event_source = 's3.amazonaws.com' "
                + "AND event_name = " + literal(eventName) + " AND resource_names @> ARRAY[" + literal(bucket) + "]"
                + (failuresToo ? "" : " AND (record::json ->> 'errorCode') IS NULL")));
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
