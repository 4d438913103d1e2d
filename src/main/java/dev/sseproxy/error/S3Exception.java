package dev.sseproxy.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An S3 error as the client will see it. Immutable; built by factories named for the situation.
 * {@code details} become extra XML elements (e.g. {@code ArgumentName}); {@code headers} extra
 * response headers (e.g. {@code Retry-After}).
 */
public final class S3Exception extends RuntimeException {
    private final S3ErrorCode code;
    private final String resource;
    private final Map<String, String> details;
    private final Map<String, String> headers;

    private S3Exception(S3ErrorCode code, String message, String resource, Map<String, String> details,
            Map<String, String> headers) {
        super(message, null, false, false);
        this.code = code;
        this.resource = resource;
        this.details = Map.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    public static S3Exception of(S3ErrorCode code) {
        return new S3Exception(code, code.defaultMessage(), null, Map.of(), Map.of());
    }

    public static S3Exception of(S3ErrorCode code, String message) {
        return new S3Exception(code, message, null, Map.of(), Map.of());
    }

    public S3ErrorCode code() {
        return code;
    }

    public String resource() {
        return resource;
    }

    public Map<String, String> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A copy naming the resource the request addressed. */
    public S3Exception withResource(String res) {
        return new S3Exception(code, getMessage(), res, details, headers);
    }

    /** A copy with one more XML element in the error body. */
    public S3Exception withDetail(String element, String value) {
        Map<String, String> d = new LinkedHashMap<>(details);
        d.put(element, value);
        return new S3Exception(code, getMessage(), resource, d, headers);
    }

    /** A copy with one more response header. */
    public S3Exception withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new S3Exception(code, getMessage(), resource, details, h);
    }

    // ---- factories named by situation ----

    public static S3Exception noSuchBucket(String bucket) {
        return of(S3ErrorCode.NO_SUCH_BUCKET).withDetail("BucketName", bucket);
    }

    public static S3Exception noSuchKey(String key) {
        return of(S3ErrorCode.NO_SUCH_KEY).withDetail("Key", key);
    }

    public static S3Exception noSuchUpload(String uploadId) {
        return of(S3ErrorCode.NO_SUCH_UPLOAD).withDetail("UploadId", uploadId);
    }

    public static S3Exception accessDenied() {
        return of(S3ErrorCode.ACCESS_DENIED);
    }

    public static S3Exception invalidArgument(String message, String name, String value) {
        S3Exception e = of(S3ErrorCode.INVALID_ARGUMENT, message);
        if (name != null) {
            e = e.withDetail("ArgumentName", name);
        }
        if (value != null) {
            e = e.withDetail("ArgumentValue", value);
        }
        return e;
    }

    public static S3Exception invalidRequest(String message) {
        return of(S3ErrorCode.INVALID_REQUEST, message);
    }

    public static S3Exception malformedXml() {
        return of(S3ErrorCode.MALFORMED_XML);
    }

    public static S3Exception notImplemented(String what) {
        return of(S3ErrorCode.NOT_IMPLEMENTED, what);
    }

    public static S3Exception notImplementedHeader(String header) {
        return of(S3ErrorCode.NOT_IMPLEMENTED).withDetail("Header", header);
    }

    public static S3Exception invalidBucketName(String bucket) {
        return of(S3ErrorCode.INVALID_BUCKET_NAME).withDetail("BucketName", bucket);
    }

    public static S3Exception invalidRange(long size) {
        return of(S3ErrorCode.INVALID_RANGE).withDetail("ActualObjectSize", Long.toString(size));
    }

    public static S3Exception preconditionFailed(String condition) {
        return of(S3ErrorCode.PRECONDITION_FAILED).withDetail("Condition", condition);
    }

    public static S3Exception notModified() {
        return of(S3ErrorCode.NOT_MODIFIED);
    }

    public static S3Exception internal() {
        return of(S3ErrorCode.INTERNAL_ERROR);
    }
}
