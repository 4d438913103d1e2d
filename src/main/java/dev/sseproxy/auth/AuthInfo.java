package dev.sseproxy.auth;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The parsed (not yet verified) SigV4 authentication of a request, from the {@code Authorization}
 * header or the presigned-URL query parameters.
 *
 * @param accessKeyId      the access key id from the credential
 * @param date             credential scope date {@code yyyymmdd}
 * @param region           credential scope region
 * @param service          credential scope service
 * @param requestTime      {@code x-amz-date} / {@code Date} header, or {@code X-Amz-Date} when presigned
 * @param signedHeaders    signed header names as the client listed them (lower case)
 * @param signature        the signature provided by the client (lower-case hex); never log it
 * @param presigned        true for query-string authentication
 * @param expires          {@code X-Amz-Expires} when presigned
 * @param payloadMode      body protection mode from {@code x-amz-content-sha256}
 * @param payloadSha256Hex the lower-case hex SHA-256 the body must have, for {@link PayloadMode#SIGNED}
 */
public record AuthInfo(String accessKeyId, String date, String region, String service, Instant requestTime,
                       List<String> signedHeaders, String signature, boolean presigned, Optional<Duration> expires,
                       PayloadMode payloadMode, Optional<String> payloadSha256Hex) {

    /** Copies the header list. */
    public AuthInfo {
        signedHeaders = List.copyOf(signedHeaders);
    }

    /** The credential scope {@code date/region/service/aws4_request}. */
    public String scope() {
        return SigV4.scope(date, region, service);
    }

    /** Hides the signature from logs. */
    @Override
    public String toString() {
        return "AuthInfo[accessKeyId=" + accessKeyId + ", scope=" + scope() + ", requestTime=" + requestTime
                + ", signedHeaders=" + signedHeaders + ", presigned=" + presigned + ", expires=" + expires
                + ", payloadMode=" + payloadMode + "]";
    }

    /**
     * Refuses a request whose body the signature does not cover ({@code UNSIGNED-PAYLOAD} or any streaming
     * mode): for the management APIs, whose bodies change accounts, keys and policies.
     *
     * @param api the API's name for the message, e.g. {@code kms}
     * @throws AuthException PAYLOAD_NOT_SIGNED unless the payload mode is {@link PayloadMode#SIGNED}
     */
    public void requireSignedPayload(String api) {
        if (payloadMode != PayloadMode.SIGNED) {
            throw new AuthException(AuthException.Kind.PAYLOAD_NOT_SIGNED, "The " + api + " API requires a signed "
                    + "payload: x-amz-content-sha256 must be absent or the hex SHA-256 of the body, not "
                    + payloadMode.marker().orElse("") + ".");
        }
    }

    /**
     * Checks the SHA-256 computed over a plain body against the signed {@code x-amz-content-sha256}.
     * Does nothing unless the payload mode is {@link PayloadMode#SIGNED}.
     *
     * @throws AuthException CONTENT_SHA256_MISMATCH when they differ
     */
    public void checkPayloadSha256(byte[] computedSha256) {
        if (payloadMode != PayloadMode.SIGNED || payloadSha256Hex.isEmpty()) {
            return;
        }
        byte[] expected = payloadSha256Hex.get().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] actual = SigV4.hex(computedSha256).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new AuthException(AuthException.Kind.CONTENT_SHA256_MISMATCH);
        }
    }
}
