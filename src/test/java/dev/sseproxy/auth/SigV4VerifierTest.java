package dev.sseproxy.auth;

import static dev.sseproxy.auth.AwsExamples.HOST;
import static dev.sseproxy.auth.AwsExamples.SECRET_KEY;
import static dev.sseproxy.auth.AwsExamples.TIME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sseproxy.auth.AuthException.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4VerifierTest {

    private static final SigV4Verifier AT_EXAMPLE_TIME =
            new SigV4Verifier(AwsExamples.clockAt(TIME.plusSeconds(60)), "us-east-1");

    private static VerifiedRequest verify(SigV4Verifier verifier, SignedRequest r) {
        return verifier.verify(r, SigV4Verifier.parse(r).orElseThrow(), SECRET_KEY);
    }

    private static AuthException rejected(SigV4Verifier verifier, SignedRequest r, Kind kind) {
        AuthException e = assertThrows(AuthException.class, () -> verify(verifier, r));
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    private static SignedRequest bucketRequest(String query, String signature) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", HOST);
        h.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
        h.put("x-amz-date", AwsExamples.AMZ_DATE);
        h.put("authorization", AwsExamples.authorization("host;x-amz-content-sha256;x-amz-date", signature));
        return SignedRequest.of("GET", "/", query, h);
    }

    private static SignedRequest getObjectWith(String name, String value) {
        Map<String, String> h = AwsExamples.getObjectHeaders();
        h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        h.put(name, value);
        return SignedRequest.of("GET", "/test.txt", null, h);
    }

    @Test
    void awsGetObjectExampleVerifies() {
        VerifiedRequest v = verify(AT_EXAMPLE_TIME, AwsExamples.getObject());
        assertEquals(AwsExamples.GET_OBJECT_SIGNATURE, v.seedSignature());
        assertEquals("AKIAIOSFODNN7EXAMPLE", v.accessKeyId());
    }

    @Test
    void awsPutObjectExampleWithDateAndAmzDateVerifies() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", HOST);
        h.put("date", "Fri, 24 May 2013 00:00:00 GMT");
        h.put("x-amz-date", AwsExamples.AMZ_DATE);
        h.put("x-amz-storage-class", "REDUCED_REDUNDANCY");
        h.put("x-amz-content-sha256", AwsExamples.PUT_OBJECT_BODY_SHA256);
        h.put("authorization", AwsExamples.authorization(
                "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class", AwsExamples.PUT_OBJECT_SIGNATURE));
        VerifiedRequest v = verify(AT_EXAMPLE_TIME, SignedRequest.of("PUT", "/test%24file.text", null, h));
        assertEquals(PayloadMode.SIGNED, v.info().payloadMode());
    }

    @Test
    void awsBucketExamplesVerifyWhateverTheQueryOrderOrEncoding() {
        assertDoesNotThrow(() -> verify(AT_EXAMPLE_TIME, bucketRequest("lifecycle", AwsExamples.LIFECYCLE_SIGNATURE)));
        assertDoesNotThrow(() -> verify(AT_EXAMPLE_TIME, bucketRequest("lifecycle=", AwsExamples.LIFECYCLE_SIGNATURE)));
        assertDoesNotThrow(() -> verify(AT_EXAMPLE_TIME,
                bucketRequest("prefix=%4A&max-keys=2", AwsExamples.LIST_OBJECTS_SIGNATURE)));
    }

    @Test
    void tamperedQueryIsRejected() {
        rejected(AT_EXAMPLE_TIME, bucketRequest("max-keys=2&prefix=K", AwsExamples.LIST_OBJECTS_SIGNATURE),
                Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void tamperedSignedHeaderIsRejected() {
        rejected(AT_EXAMPLE_TIME, getObjectWith("Range", "bytes=0-99"), Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void wrongSecretIsRejectedWithoutRevealingTheSignature() {
        SignedRequest r = AwsExamples.getObject();
        AuthException e = assertThrows(AuthException.class,
                () -> AT_EXAMPLE_TIME.verify(r, SigV4Verifier.parse(r).orElseThrow(), "not-the-secret"));
        assertEquals(Kind.SIGNATURE_DOES_NOT_MATCH, e.kind());
        assertEquals("The request signature we calculated does not match the signature you provided. "
                + "Check your key and signing method.", e.getMessage());
        assertFalse(e.extra().toString().contains(AwsExamples.GET_OBJECT_SIGNATURE));
        assertEquals("AKIAIOSFODNN7EXAMPLE", e.extra().get("AWSAccessKeyId"));
    }

    @Test
    void awsPresignedExampleVerifiesWithinItsDay() {
        SignedRequest r = SignedRequest.of("GET", "/test.txt", AwsExamples.PRESIGNED_QUERY, Map.of("Host", HOST));
        SigV4Verifier later = new SigV4Verifier(AwsExamples.clockAt(TIME.plus(Duration.ofHours(23))), "us-east-1");
        VerifiedRequest v = verify(later, r);
        assertEquals(PayloadMode.UNSIGNED, v.info().payloadMode());
    }

    @Test
    void presignedUrlExpiresAfterXAmzExpires() {
        SignedRequest r = SignedRequest.of("GET", "/test.txt", AwsExamples.PRESIGNED_QUERY, Map.of("Host", HOST));
        SigV4Verifier nextDay = new SigV4Verifier(AwsExamples.clockAt(TIME.plusSeconds(86401)), "us-east-1");
        AuthException e = rejected(nextDay, r, Kind.REQUEST_EXPIRED);
        assertEquals("Request has expired", e.getMessage());
        assertEquals("2013-05-25T00:00:00Z", e.extra().get("Expires"));
        assertEquals("AccessDenied", e.kind().s3Code());
    }

    @Test
    void presignedUrlFromTheFutureIsNotYetValid() {
        SignedRequest r = SignedRequest.of("GET", "/test.txt", AwsExamples.PRESIGNED_QUERY, Map.of("Host", HOST));
        SigV4Verifier early = new SigV4Verifier(AwsExamples.clockAt(TIME.minus(Duration.ofMinutes(16))), "us-east-1");
        rejected(early, r, Kind.REQUEST_NOT_YET_VALID);
    }

    @Test
    void tamperedPresignedPathIsRejected() {
        SignedRequest r = SignedRequest.of("GET", "/test2.txt", AwsExamples.PRESIGNED_QUERY, Map.of("Host", HOST));
        rejected(AT_EXAMPLE_TIME, r, Kind.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void headerRequestSkewedByMoreThanFifteenMinutesIsRejected() {
        SigV4Verifier late = new SigV4Verifier(AwsExamples.clockAt(TIME.plus(Duration.ofMinutes(15))
                .plusSeconds(1)), "us-east-1");
        AuthException e = rejected(late, AwsExamples.getObject(), Kind.REQUEST_TIME_TOO_SKEWED);
        assertEquals("900000", e.extra().get("MaxAllowedSkewMilliseconds"));
        SigV4Verifier early = new SigV4Verifier(AwsExamples.clockAt(TIME.minus(Duration.ofMinutes(16))), "us-east-1");
        rejected(early, AwsExamples.getObject(), Kind.REQUEST_TIME_TOO_SKEWED);
        SigV4Verifier edge = new SigV4Verifier(AwsExamples.clockAt(TIME.plus(Duration.ofMinutes(15))), "us-east-1");
        assertDoesNotThrow(() -> verify(edge, AwsExamples.getObject()));
    }

    @Test
    void wrongRegionIsReportedTheAwsWay() {
        SigV4Verifier euWest = new SigV4Verifier(AwsExamples.clockAt(TIME), "eu-west-1");
        AuthException e = rejected(euWest, AwsExamples.getObject(), Kind.AUTHORIZATION_HEADER_MALFORMED);
        assertEquals("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
                e.getMessage());
        assertEquals("eu-west-1", e.extra().get("Region"));
        SignedRequest presigned = SignedRequest.of("GET", "/test.txt", AwsExamples.PRESIGNED_QUERY,
                Map.of("Host", HOST));
        AuthException q = rejected(euWest, presigned, Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        assertEquals("Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; "
                + "expecting 'eu-west-1'", q.getMessage());
    }

    @Test
    void wrongServiceIsReportedTheAwsWay() {
        SignedRequest r = getObjectWith("authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
                + "us-east-1/ec2/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=00");
        AuthException e = rejected(AT_EXAMPLE_TIME, r, Kind.AUTHORIZATION_HEADER_MALFORMED);
        assertEquals("The authorization header is malformed; incorrect service \"ec2\". This endpoint belongs to "
                + "\"s3\".", e.getMessage());
    }

    @Test
    void credentialDateMustBeTheRequestDate() {
        SignedRequest r = getObjectWith("authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/"
                + "us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=00");
        AuthException e = rejected(AT_EXAMPLE_TIME, r, Kind.AUTHORIZATION_HEADER_MALFORMED);
        assertEquals("The authorization header is malformed; Invalid credential date \"20130525\". "
                + "This date is not the same as X-Amz-Date: \"20130524\".", e.getMessage());
    }

    @Test
    void hostMustBeSigned() {
        SignedRequest r = getObjectWith("authorization",
                AwsExamples.authorization("range;x-amz-content-sha256;x-amz-date", AwsExamples.GET_OBJECT_SIGNATURE));
        AuthException e = rejected(AT_EXAMPLE_TIME, r, Kind.HEADERS_NOT_SIGNED);
        assertEquals("host", e.extra().get("HeadersNotSigned"));
    }

    @Test
    void unsignedAmzHeaderIsRejected() {
        AuthException e = rejected(AT_EXAMPLE_TIME, getObjectWith("X-Amz-Meta-Extra", "1"), Kind.HEADERS_NOT_SIGNED);
        assertEquals("x-amz-meta-extra", e.extra().get("HeadersNotSigned"));
        assertEquals(403, e.kind().httpStatus());
    }

    @Test
    void verifiedRequestCarriesTheChunkSigningMaterial() {
        VerifiedRequest v = verify(AT_EXAMPLE_TIME, AwsExamples.chunkedPut(false));
        assertEquals(AwsExamples.CHUNKED_SEED, v.seedSignature());
        assertEquals(AwsExamples.SCOPE, v.scope());
        assertEquals(AwsExamples.AMZ_DATE, v.amzDate());
        assertArrayEquals(SigV4.signingKey(SECRET_KEY, "20130524", "us-east-1", "s3"), v.signingKey());
        assertEquals(PayloadMode.STREAMING_SIGNED, v.info().payloadMode());
        assertFalse(v.toString().contains(AwsExamples.CHUNKED_SEED));
    }

    @Test
    void trailerExampleSeedSignatureVerifies() {
        VerifiedRequest v = verify(AT_EXAMPLE_TIME, AwsExamples.chunkedPut(true));
        assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, v.info().payloadMode());
    }

    @Test
    void dateHeaderAloneServesAsRequestTime() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        String canonical = "GET\n/b/k\n\ndate:Thu, 01 Jan 2026 12:00:00 GMT\nhost:h\nx-amz-content-sha256:"
                + SigV4.EMPTY_SHA256 + "\n\ndate;host;x-amz-content-sha256\n" + SigV4.EMPTY_SHA256;
        String stringToSign = "AWS4-HMAC-SHA256\n20260101T120000Z\n20260101/us-east-1/s3/aws4_request\n"
                + SigV4.sha256Hex(canonical);
        String signature = SigV4.sign(SigV4.signingKey("SK", "20260101", "us-east-1", "s3"), stringToSign);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", "h");
        h.put("date", "Thu, 01 Jan 2026 12:00:00 GMT");
        h.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
        h.put("authorization", "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/s3/aws4_request, "
                + "SignedHeaders=date;host;x-amz-content-sha256, Signature=" + signature);
        SignedRequest r = SignedRequest.of("GET", "/b/k", null, h);
        AuthInfo info = SigV4Verifier.parse(r).orElseThrow();
        assertEquals(now, info.requestTime());
        VerifiedRequest v = new SigV4Verifier(AwsExamples.clockAt(now), "us-east-1").verify(r, info, "SK");
        assertEquals("20260101T120000Z", v.amzDate());
    }
}
