package dev.sseproxy.auth;

import static dev.sseproxy.auth.AwsExamples.HOST;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.AuthException.Kind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigV4ParseTest {

    private static final String CREDENTIAL = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";
    private static final String SIG = "f".repeat(64);

    private static SignedRequest withAuthorization(String authorization, String contentSha256) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", HOST);
        h.put("x-amz-date", AwsExamples.AMZ_DATE);
        if (contentSha256 != null) {
            h.put("x-amz-content-sha256", contentSha256);
        }
        h.put("authorization", authorization);
        return SignedRequest.of("PUT", "/b/k", null, h);
    }

    private static SignedRequest withContentSha256(String value) {
        return withAuthorization("AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", SignedHeaders=host;x-amz-date, "
                + "Signature=" + SIG, value);
    }

    private static SignedRequest presigned(String query) {
        return SignedRequest.of("GET", "/b/k", query, Map.of("host", HOST));
    }

    private static String presignedQuery(String expires) {
        return "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + CREDENTIAL.replace("/", "%2F")
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=" + expires + "&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=" + SIG;
    }

    private static AuthException parseFails(SignedRequest r, Kind kind) {
        AuthException e = assertThrows(AuthException.class, () -> SigV4Verifier.parse(r));
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void requestWithoutAuthenticationIsAnonymous() {
        assertEquals(Optional.empty(), SigV4Verifier.parse(SignedRequest.of("GET", "/b/k", "uploads",
                Map.of("host", HOST))));
    }

    @Test
    void authorizationHeaderIsParsedWithOrWithoutSpacesAfterCommas() {
        for (String sep : List.of(",", ", ", " ,  ")) {
            AuthInfo info = SigV4Verifier.parse(withAuthorization("AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + sep
                    + "SignedHeaders=host;x-amz-date" + sep + "Signature=" + SIG, SigV4.EMPTY_SHA256)).orElseThrow();
            assertEquals("AKIAIOSFODNN7EXAMPLE", info.accessKeyId());
            assertEquals("20130524", info.date());
            assertEquals("us-east-1", info.region());
            assertEquals("s3", info.service());
            assertEquals(List.of("host", "x-amz-date"), info.signedHeaders());
            assertEquals(SIG, info.signature());
            assertEquals(AwsExamples.TIME, info.requestTime());
            assertFalse(info.presigned());
        }
    }

    @Test
    void everyPayloadModeIsRecognised() {
        assertEquals(PayloadMode.UNSIGNED, parseMode("UNSIGNED-PAYLOAD"));
        assertEquals(PayloadMode.STREAMING_SIGNED, parseMode("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
        assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, parseMode("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"));
        assertEquals(PayloadMode.STREAMING_UNSIGNED_TRAILER, parseMode("STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
        AuthInfo signed = SigV4Verifier.parse(withContentSha256(SigV4.EMPTY_SHA256.toUpperCase())).orElseThrow();
        assertEquals(PayloadMode.SIGNED, signed.payloadMode());
        assertEquals(Optional.of(SigV4.EMPTY_SHA256), signed.payloadSha256Hex());
    }

    private static PayloadMode parseMode(String value) {
        AuthInfo info = SigV4Verifier.parse(withContentSha256(value)).orElseThrow();
        assertEquals(Optional.empty(), info.payloadSha256Hex());
        return info.payloadMode();
    }

    @Test
    void missingContentSha256IsRejectedForHeaderAuth() {
        AuthException e = parseFails(withContentSha256(null), Kind.MISSING_CONTENT_SHA256);
        assertEquals("Missing required header for this request: x-amz-content-sha256", e.getMessage());
    }

    @Test
    void invalidContentSha256IsRejected() {
        AuthException e = parseFails(withContentSha256("abc"), Kind.INVALID_CONTENT_SHA256);
        assertEquals("InvalidArgument", e.kind().s3Code());
        parseFails(withContentSha256("g".repeat(64)), Kind.INVALID_CONTENT_SHA256);
        parseFails(withContentSha256("STREAMING-UNSIGNED-PAYLOAD"), Kind.INVALID_CONTENT_SHA256);
    }

    @Test
    void sigV4aPayloadMarkersAreUnsupported() {
        parseFails(withContentSha256("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"), Kind.UNSUPPORTED_ALGORITHM);
        parseFails(withContentSha256("STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"), Kind.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void sigV2AndSigV4aAreUnsupported() {
        AuthException e = parseFails(withAuthorization("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
                SigV4.EMPTY_SHA256), Kind.UNSUPPORTED_ALGORITHM);
        assertEquals("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
                e.getMessage());
        parseFails(withAuthorization("AWS4-ECDSA-P256-SHA256 Credential=" + CREDENTIAL, SigV4.EMPTY_SHA256),
                Kind.UNSUPPORTED_ALGORITHM);
        parseFails(presigned("AWSAccessKeyId=AKID&Expires=1&Signature=abc"), Kind.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void unknownAuthorizationSchemeIsAnInvalidArgument() {
        AuthException e = parseFails(withAuthorization("Bearer token", SigV4.EMPTY_SHA256),
                Kind.INVALID_AUTHORIZATION_ARGUMENT);
        assertEquals("Unsupported Authorization Type", e.getMessage());
    }

    @Test
    void headerMissingAComponentIsMalformed() {
        AuthException e = parseFails(withAuthorization("AWS4-HMAC-SHA256 Credential=" + CREDENTIAL
                + ", SignedHeaders=host", SigV4.EMPTY_SHA256), Kind.AUTHORIZATION_HEADER_MALFORMED);
        assertEquals("The authorization header is malformed; the authorization header requires three components: "
                + "Credential, SignedHeaders, and Signature.", e.getMessage());
        parseFails(withAuthorization("AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ", SignedHeaders=host;;x, "
                + "Signature=" + SIG, SigV4.EMPTY_SHA256), Kind.AUTHORIZATION_HEADER_MALFORMED);
    }

    @Test
    void malformedCredentialIsReportedTheAwsWay() {
        AuthException e = parseFails(withAuthorization("AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3, "
                + "SignedHeaders=host, Signature=" + SIG, SigV4.EMPTY_SHA256), Kind.AUTHORIZATION_HEADER_MALFORMED);
        assertEquals("The authorization header is malformed; the Credential is mal-formed; expecting "
                + "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".", e.getMessage());
    }

    @Test
    void emptyAccessKeyIsReportedTheAwsWay() {
        AuthException e = parseFails(withAuthorization("AWS4-HMAC-SHA256 Credential=/20130524/us-east-1/s3/"
                + "aws4_request, SignedHeaders=host, Signature=" + SIG, SigV4.EMPTY_SHA256),
                Kind.AUTHORIZATION_HEADER_MALFORMED);
        assertEquals("The authorization header is malformed; a non-empty Access Key (AKID) must be provided in the "
                + "credential.", e.getMessage());
    }

    @Test
    void missingOrInvalidDateIsRejected() {
        Map<String, String> h = new LinkedHashMap<>(Map.of("host", HOST, "x-amz-content-sha256", "UNSIGNED-PAYLOAD",
                "authorization", "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ",SignedHeaders=host,Signature=" + SIG));
        AuthException e = parseFails(SignedRequest.of("GET", "/", null, h), Kind.MISSING_DATE);
        assertEquals("AWS authentication requires a valid Date or x-amz-date header", e.getMessage());
        h.put("x-amz-date", "2013-05-24T00:00:00Z");
        parseFails(SignedRequest.of("GET", "/", null, h), Kind.MISSING_DATE);
    }

    @Test
    void presignedParametersAreParsed() {
        AuthInfo info = SigV4Verifier.parse(presigned(presignedQuery("604800"))).orElseThrow();
        assertTrue(info.presigned());
        assertEquals(Optional.of(Duration.ofDays(7)), info.expires());
        assertEquals(PayloadMode.UNSIGNED, info.payloadMode());
        assertEquals("AKIAIOSFODNN7EXAMPLE", info.accessKeyId());
    }

    @Test
    void presignedMissingAParameterIsRejected() {
        String query = presignedQuery("60").replace("&X-Amz-SignedHeaders=host", "");
        AuthException e = parseFails(presigned(query), Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        assertEquals("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.", e.getMessage());
    }

    @Test
    void presignedExpiryMustBeAtMostAWeek() {
        AuthException e = parseFails(presigned(presignedQuery("604801")), Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        assertEquals("X-Amz-Expires must be less than a week (in seconds) that is 604800", e.getMessage());
        assertEquals("X-Amz-Expires must be non-negative",
                parseFails(presigned(presignedQuery("-1")), Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR).getMessage());
        assertEquals("X-Amz-Expires should be a number",
                parseFails(presigned(presignedQuery("abc")), Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR).getMessage());
    }

    @Test
    void presignedAlgorithmMustBeHmacSha256() {
        parseFails(presigned(presignedQuery("60").replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")),
                Kind.UNSUPPORTED_ALGORITHM);
        AuthException e = parseFails(presigned(presignedQuery("60").replace("AWS4-HMAC-SHA256", "HMAC")),
                Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        assertEquals("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"", e.getMessage());
    }

    @Test
    void presignedMalformedDateIsRejected() {
        parseFails(presigned(presignedQuery("60").replace("20130524T000000Z", "20130524")),
                Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
    }

    @Test
    void presignedMayAnnounceAStreamingPayload() {
        AuthInfo info = SigV4Verifier.parse(presigned(presignedQuery("60")
                + "&X-Amz-Content-Sha256=STREAMING-UNSIGNED-PAYLOAD-TRAILER")).orElseThrow();
        assertEquals(PayloadMode.STREAMING_UNSIGNED_TRAILER, info.payloadMode());
    }

    @Test
    void headerAndQueryAuthenticationTogetherAreRejected() {
        SignedRequest r = SignedRequest.of("GET", "/b/k", presignedQuery("60"), Map.of("host", HOST,
                "authorization", "AWS4-HMAC-SHA256 Credential=" + CREDENTIAL + ",SignedHeaders=host,Signature=" + SIG));
        parseFails(r, Kind.INVALID_AUTHORIZATION_ARGUMENT);
    }

    @Test
    void authInfoToStringHidesTheSignature() {
        AuthInfo info = SigV4Verifier.parse(withContentSha256("UNSIGNED-PAYLOAD")).orElseThrow();
        assertFalse(info.toString().contains(SIG));
    }

    @Test
    void signedPayloadHashIsCheckedAgainstTheBody() {
        AuthInfo info = SigV4Verifier.parse(withContentSha256(SigV4.EMPTY_SHA256)).orElseThrow();
        assertDoesNotThrow(() -> info.checkPayloadSha256(SigV4.sha256(new byte[0])));
        AuthException e = assertThrows(AuthException.class, () -> info.checkPayloadSha256(SigV4.sha256(new byte[1])));
        assertEquals(Kind.CONTENT_SHA256_MISMATCH, e.kind());
        assertEquals("XAmzContentSHA256Mismatch", e.kind().s3Code());
        AuthInfo unsigned = SigV4Verifier.parse(withContentSha256("UNSIGNED-PAYLOAD")).orElseThrow();
        assertDoesNotThrow(() -> unsigned.checkPayloadSha256(SigV4.sha256(new byte[1])));
    }
}
