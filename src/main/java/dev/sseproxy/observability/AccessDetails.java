package dev.sseproxy.observability;

/**
 * What a server access log record needs of a client's request beyond {@link CompletedRequest}'s other
 * fields (S3's log format, {@code dev.sseproxy.accesslog}).
 *
 * @param requestUri      the request line's target as received (raw path and query), e.g. {@code /b/k?acl}
 * @param httpVersion     {@code HTTP/1.1}, {@code HTTP/2.0} or {@code HTTP/1.0}
 * @param referer         the {@code Referer} header, or null
 * @param turnAroundNanos from the request's arrival to the moment its response headers went out; -1 when
 *                        none went out
 * @param objectSize      the size of the object the request read or wrote (the whole object, not the
 *                        range), or -1 when it does not apply or is unknown
 * @param bucketRegion    the addressed bucket's region when the request looked the bucket up, else null
 * @param logging         that bucket's server access logging configuration as the request found it (null: off,
 *                        or the bucket was not looked up)
 */
public record AccessDetails(String requestUri, String httpVersion, String referer, long turnAroundNanos,
        long objectSize, String bucketRegion, dev.sseproxy.catalog.BucketLogging logging) {
}
