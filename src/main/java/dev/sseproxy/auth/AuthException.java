package dev.sseproxy.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An authentication, integrity or POST-policy failure, carrying everything the HTTP layer needs to
 * render the S3 error document: {@link #kind()} gives the S3 code and status,
 * {@link #getMessage()} is the exact AWS message, {@link #extra()} holds additional XML elements
 * AWS adds to some errors (for example {@code Region}, {@code HeadersNotSigned},
 * {@code ArgumentName}). No secret, key or signature is ever placed in a message or extra.
 */
public final class AuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Failure kinds. Each maps to one S3 error code and HTTP status.
     *
     * <p>Choices where AWS behaviour is not fully pinned down: {@link #UNSUPPORTED_ALGORITHM} uses
     * {@code InvalidRequest} (what S3 answers to SigV2 in SigV4-only regions);
     * {@link #MALFORMED_CHUNK} uses {@code InvalidRequest}; {@link #DECODED_LENGTH_MISMATCH} uses
     * {@code IncompleteBody}; {@link #MISSING_FIELDS} uses {@code InvalidArgument} (S3's "Bucket POST
     * must contain a field named ..." error).
     */
    public enum Kind {
        ACCESS_DENIED("AccessDenied", 403, "Access Denied"),
        REQUEST_EXPIRED("AccessDenied", 403, "Request has expired"),
        REQUEST_NOT_YET_VALID("AccessDenied", 403, "Request is not valid yet"),
        MISSING_DATE("AccessDenied", 403, "AWS authentication requires a valid Date or x-amz-date header"),
        HEADERS_NOT_SIGNED("AccessDenied", 403,
                "There were headers present in the request which were not signed"),
        SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403,
                "The request signature we calculated does not match the signature you provided. "
                        + "Check your key and signing method."),
        INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403,
                "The AWS Access Key Id you provided does not exist in our records."),
        AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", 400,
                "The authorization header is malformed; the authorization header requires three "
                        + "components: Credential, SignedHeaders, and Signature."),
        AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError", 400,
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                        + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."),
        REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403,
                "The difference between the request time and the current time is too large."),
        CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch", 400,
                "The provided 'x-amz-content-sha256' header does not match what was computed."),
        INVALID_CONTENT_SHA256("InvalidArgument", 400,
                "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
                        + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER "
                        + "or a valid sha256 value."),
        MISSING_CONTENT_SHA256("InvalidRequest", 400,
                "Missing required header for this request: x-amz-content-sha256"),
        PAYLOAD_NOT_SIGNED("InvalidRequest", 400,
                "This API requires a signed payload: x-amz-content-sha256 must be absent or the hex SHA-256 of the "
                        + "body; UNSIGNED-PAYLOAD and streaming payloads are not accepted."),
        UNSUPPORTED_ALGORITHM("InvalidRequest", 400,
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256."),
        INVALID_AUTHORIZATION_ARGUMENT("InvalidArgument", 400, "Unsupported Authorization Type"),
        INCOMPLETE_BODY("IncompleteBody", 400,
                "You did not provide the number of bytes specified by the Content-Length HTTP header"),
        MALFORMED_CHUNK("InvalidRequest", 400, "The aws-chunked request body is malformed."),
        DECODED_LENGTH_MISMATCH("IncompleteBody", 400,
                "The decoded length of the aws-chunked body does not match the "
                        + "x-amz-decoded-content-length header."),
        BAD_DIGEST("BadDigest", 400, "The Content-MD5 you specified did not match what we received."),
        INVALID_DIGEST("InvalidDigest", 400, "The Content-MD5 you specified was invalid."),
        INVALID_CHECKSUM_VALUE("InvalidRequest", 400, "Value for x-amz-checksum-crc32 header is invalid."),
        MULTIPLE_CHECKSUMS("InvalidRequest", 400,
                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."),
        MISSING_CHECKSUM_FOR_SDK_ALGORITHM("InvalidRequest", 400,
                "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* "
                        + "or x-amz-trailer headers were found."),
        UNSUPPORTED_TRAILER("InvalidRequest", 400,
                "The value specified in the x-amz-trailer header is not supported"),
        POLICY_CONDITION_FAILED("AccessDenied", 403, "Invalid according to Policy: Policy Condition failed"),
        POLICY_EXPIRED("AccessDenied", 403, "Invalid according to Policy: Policy expired."),
        INVALID_POLICY_DOCUMENT("InvalidPolicyDocument", 400, "Invalid Policy: Invalid JSON."),
        ENTITY_TOO_SMALL("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size"),
        ENTITY_TOO_LARGE("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed size"),
        MISSING_FIELDS("InvalidArgument", 400,
                "Bucket POST must contain a field named 'policy'.  If it is specified, please check the "
                        + "order of the fields.");

        private final String s3Code;
        private final int httpStatus;
        private final String defaultMessage;

        Kind(String s3Code, int httpStatus, String defaultMessage) {
            this.s3Code = s3Code;
            this.httpStatus = httpStatus;
            this.defaultMessage = defaultMessage;
        }

        /** The S3 {@code <Code>} value. */
        public String s3Code() {
            return s3Code;
        }

        /** The HTTP status of the error response. */
        public int httpStatus() {
            return httpStatus;
        }

        /** The AWS message used when no more specific one is given. */
        public String defaultMessage() {
            return defaultMessage;
        }
    }

    private final Kind kind;
    private final transient Map<String, String> extra;

    /** An error with the kind's default AWS message. */
    public AuthException(Kind kind) {
        this(kind, kind.defaultMessage(), Map.of());
    }

    /** An error with a specific AWS message. */
    public AuthException(Kind kind, String message) {
        this(kind, message, Map.of());
    }

    /** An error with a specific message and extra error-document elements (insertion order kept). */
    public AuthException(Kind kind, String message, Map<String, String> extra) {
        super(message, null, false, false);
        this.kind = kind;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** The failure kind. */
    public Kind kind() {
        return kind;
    }

    /** Extra XML elements for the S3 error document (element name to text), possibly empty. */
    public Map<String, String> extra() {
        return extra;
    }

    /** {@code BadDigest} for a checksum header or trailer that does not match the body. */
    public static AuthException badDigest(ChecksumAlgorithm algorithm) {
        return new AuthException(Kind.BAD_DIGEST,
                "The " + algorithm.displayName() + " you specified did not match the calculated checksum.");
    }

    /** {@code BadDigest} for a Content-MD5 that does not match the body. */
    public static AuthException badContentMd5() {
        return new AuthException(Kind.BAD_DIGEST);
    }

    /** {@code InvalidRequest} for a checksum value that is not base64 of the right length. */
    public static AuthException invalidChecksumValue(ChecksumAlgorithm algorithm) {
        return new AuthException(Kind.INVALID_CHECKSUM_VALUE,
                "Value for " + algorithm.headerName() + " header is invalid.");
    }

    /** {@code InvalidAccessKeyId}, naming the key id as AWS does. */
    public static AuthException invalidAccessKeyId(String accessKeyId) {
        return new AuthException(Kind.INVALID_ACCESS_KEY_ID, Kind.INVALID_ACCESS_KEY_ID.defaultMessage(),
                Map.of("AWSAccessKeyId", accessKeyId));
    }

    /** {@code InvalidArgument} for a browser POST lacking a required field (e.g. {@code policy}). */
    public static AuthException missingFormField(String fieldName) {
        return new AuthException(Kind.MISSING_FIELDS,
                "Bucket POST must contain a field named '" + fieldName
                        + "'.  If it is specified, please check the order of the fields.",
                Map.of("ArgumentName", fieldName, "ArgumentValue", ""));
    }

    /** {@code AccessDenied} naming the headers present in the request but not signed. */
    public static AuthException headersNotSigned(String commaSeparatedNames) {
        return new AuthException(Kind.HEADERS_NOT_SIGNED, Kind.HEADERS_NOT_SIGNED.defaultMessage(),
                Map.of("HeadersNotSigned", commaSeparatedNames.toLowerCase(Locale.ROOT)));
    }
}
