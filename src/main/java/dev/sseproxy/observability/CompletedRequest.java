package dev.sseproxy.observability;

import java.time.Instant;
import java.util.Map;

/**
 * What one finished S3 request did, as the S3 edge saw it: handed to every {@link RequestListener}
 * once its response ended or its connection closed. Holds no secret: the request headers are a
 * fixed allow-list ({@code x-amz-server-side-encryption*} without the SSE-C key and its MD5,
 * {@code x-amz-copy-source*}, checksum and storage-class headers), never {@code Authorization}, a
 * signature or a key.
 *
 * @param requestId         the S3 request id ({@code x-amz-request-id})
 * @param hostId            its {@code x-amz-id-2}
 * @param time              when the request arrived
 * @param durationNanos     from arrival to the end of the response (or the connection's close)
 * @param operation         AWS's operation name ({@code PutObject}, {@code GetBucketEncryption}, ...);
 *                          {@code Unknown} when the request failed before it was routed
 * @param scope             {@code service}, {@code bucket} or {@code object}
 * @param method            the HTTP method
 * @param bucket            the addressed bucket, or null
 * @param key               the addressed object key (decoded), or null
 * @param bucketOwner       the bucket's owner account when the bucket was looked up, else null
 * @param accountId         the requester's account, null when the request was not authenticated
 * @param accessKeyId       the access key the request was signed with (also when it did not verify), or null
 * @param presigned         authenticated by query string (presigned URL) rather than by header
 * @param sourceIp          the client's address (the TCP peer)
 * @param userAgent         the {@code User-Agent} header, or null
 * @param host              the {@code Host} header, or null
 * @param tlsProtocol       e.g. {@code TLSv1.3} when the request came over TLS, else null
 * @param cipherSuite       the TLS cipher suite, else null
 * @param status            the HTTP status sent; 0 when the connection closed before a status was sent
 * @param errorCode         the S3 error code when the request failed, else null
 * @param errorMessage      the S3 error message when the request failed, else null
 * @param completed         false when the connection closed before the response ended
 * @param bytesIn           request bytes read (body as sent, including aws-chunked framing)
 * @param bytesOut          response body bytes written
 * @param requestHeaders    the audited request headers (lower-case names), see above
 * @param query             the request's query parameters that name what it addressed (uploadId,
 *                          partNumber, versionId, prefix, ...; never X-Amz-Signature or X-Amz-Credential)
 * @param responseHeaders   the SSE response headers sent ({@code x-amz-server-side-encryption*},
 *                          {@code x-amz-version-id}), lower-case names
 * @param sseApplied        CloudTrail's {@code SSEApplied} for a write that chose an object's
 *                          encryption ({@code Default_SSE_S3}, {@code Default_SSE_KMS}, {@code SSE_S3},
 *                          {@code SSE_KMS}, {@code SSE_C}, {@code SSE_KMS_DSSE}, {@code Default_SSE_KMS_DSSE}), else null
 * @param sseMode           the object's encryption as the response reports it: {@code sse_s3},
 *                          {@code sse_kms}, {@code dsse_kms}, {@code sse_c} or {@code none}
 * @param requestParameters operation-specific request parameters for the audit trail (e.g. the
 *                          encryption configuration a PutBucketEncryption set, as JSON-ready maps)
 * @param userName          the IAM user that signed the request, or null (a root key, anonymous)
 * @param userArn           that user's ARN, or null
 * @param userId            that user's id ({@code AIDA...}), or null
 * @param invokedBy         for a write the proxy made on its own behalf ({@code dev.sseproxy.sse.InternalWrites}):
 *                          the AWS service that made it ({@code batchoperations.s3.amazonaws.com},
 *                          {@code s3.amazonaws.com}), CloudTrail's {@code userIdentity.invokedBy}; null for a
 *                          client's request
 * @param access            request line, referer, turn-around time and object size for the server access
 *                          log; null for a write the proxy made on its own behalf
 */
public record CompletedRequest(String requestId, String hostId, Instant time, long durationNanos, String operation, String scope,
        String method, String bucket, String key, String bucketOwner, String accountId, String accessKeyId,
        boolean presigned, String sourceIp, String userAgent, String host, String tlsProtocol, String cipherSuite,
        int status, String errorCode, String errorMessage, boolean completed, long bytesIn, long bytesOut,
        Map<String, String> requestHeaders, Map<String, String> query, Map<String, String> responseHeaders,
        String sseApplied, String sseMode, Map<String, Object> requestParameters, String userName, String userArn,
        String userId, String invokedBy, AccessDetails access) {

    /** A request without access log details (a write the proxy made on its own behalf). */
    public CompletedRequest(String requestId, String hostId, Instant time, long durationNanos, String operation, String scope,
            String method, String bucket, String key, String bucketOwner, String accountId, String accessKeyId,
            boolean presigned, String sourceIp, String userAgent, String host, String tlsProtocol, String cipherSuite,
            int status, String errorCode, String errorMessage, boolean completed, long bytesIn, long bytesOut,
            Map<String, String> requestHeaders, Map<String, String> query, Map<String, String> responseHeaders,
            String sseApplied, String sseMode, Map<String, Object> requestParameters, String userName, String userArn,
            String userId, String invokedBy) {
        this(requestId, hostId, time, durationNanos, operation, scope, method, bucket, key, bucketOwner, accountId,
                accessKeyId, presigned, sourceIp, userAgent, host, tlsProtocol, cipherSuite, status, errorCode, errorMessage,
                completed, bytesIn, bytesOut, requestHeaders, query, responseHeaders, sseApplied, sseMode, requestParameters,
                userName, userArn, userId, invokedBy, null);
    }

    /** A client's request (not invoked by a service). */
    public CompletedRequest(String requestId, String hostId, Instant time, long durationNanos, String operation, String scope,
            String method, String bucket, String key, String bucketOwner, String accountId, String accessKeyId,
            boolean presigned, String sourceIp, String userAgent, String host, String tlsProtocol, String cipherSuite,
            int status, String errorCode, String errorMessage, boolean completed, long bytesIn, long bytesOut,
            Map<String, String> requestHeaders, Map<String, String> query, Map<String, String> responseHeaders,
            String sseApplied, String sseMode, Map<String, Object> requestParameters, String userName, String userArn,
            String userId) {
        this(requestId, hostId, time, durationNanos, operation, scope, method, bucket, key, bucketOwner, accountId,
                accessKeyId, presigned, sourceIp, userAgent, host, tlsProtocol, cipherSuite, status, errorCode, errorMessage,
                completed, bytesIn, bytesOut, requestHeaders, query, responseHeaders, sseApplied, sseMode, requestParameters,
                userName, userArn, userId, null);
    }

    /** A request of a root key or anonymous (no IAM user). */
    public CompletedRequest(String requestId, String hostId, Instant time, long durationNanos, String operation, String scope,
            String method, String bucket, String key, String bucketOwner, String accountId, String accessKeyId,
            boolean presigned, String sourceIp, String userAgent, String host, String tlsProtocol, String cipherSuite,
            int status, String errorCode, String errorMessage, boolean completed, long bytesIn, long bytesOut,
            Map<String, String> requestHeaders, Map<String, String> query, Map<String, String> responseHeaders,
            String sseApplied, String sseMode, Map<String, Object> requestParameters) {
        this(requestId, hostId, time, durationNanos, operation, scope, method, bucket, key, bucketOwner, accountId,
                accessKeyId, presigned, sourceIp, userAgent, host, tlsProtocol, cipherSuite, status, errorCode, errorMessage,
                completed, bytesIn, bytesOut, requestHeaders, query, responseHeaders, sseApplied, sseMode, requestParameters,
                null, null, null, null);
    }

    /** Whether the request succeeded (a 2xx, or a 304/206 answer, with the response sent in full). */
    public boolean succeeded() {
        return completed && errorCode == null && status >= 200 && status < 400;
    }

    /** Whether it only read: GET and HEAD (and a POST that only reads, none so far). */
    public boolean readOnly() {
        return "GET".equals(method) || "HEAD".equals(method);
    }
}
