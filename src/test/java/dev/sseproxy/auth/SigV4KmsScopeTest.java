package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sseproxy.auth.AuthException.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The verifier for a JSON service (the KMS API on the management port): service {@code kms} in the
 * credential scope and a payload hash computed from the body, since the AWS CLI and SDKs send no
 * {@code x-amz-content-sha256} to kms. The vector was signed by botocore's {@code SigV4Auth} (an
 * independent implementation) for service {@code kms} in {@code us-east-1}.
 */
class SigV4KmsScopeTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2026-11-27T02:20:25Z");
    private static final String BODY = "{\"KeyId\":\"alias/example\"}";
    private static final String BOTOCORE_SIGNATURE = "a4759038fb4dc7801e33d9128b497701142c8e9cf37fde0302de21a90125559c";
    private static final SigV4Verifier KMS = new SigV4Verifier(AwsExamples.clockAt(SIGNED_AT.plusSeconds(30)),
            "us-east-1", "kms");

    private static SignedRequest describeKey(String service) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1:9090");
        h.put("Content-Type", "application/x-amz-json-1.1");
        h.put("X-Amz-Target", "TrentService.DescribeKey");
        h.put("X-Amz-Date", "20261127T022025Z");
        h.put("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/" + service
                + "/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
                + BOTOCORE_SIGNATURE);
        return SignedRequest.of("POST", "/", null, h);
    }

    private static String sha256(String body) {
        return SigV4.hex(SigV4.sha256(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static VerifiedRequest verify(SigV4Verifier verifier, SignedRequest r, String body) {
        return verifier.verify(r, SigV4Verifier.parse(r, sha256(body)).orElseThrow(), SECRET);
    }

    @Test
    void botocoreSignedKmsRequestWithoutContentSha256VerifiesAgainstTheBodyHash() {
        VerifiedRequest v = verify(KMS, describeKey("kms"), BODY);
        assertEquals("AKIDEXAMPLE", v.accessKeyId());
        assertEquals("20261127/us-east-1/kms/aws4_request", v.scope());
    }

    @Test
    void anotherBodyUnderTheSameSignatureIsRejected() {
        AuthException e = assertThrows(AuthException.class,
                () -> verify(KMS, describeKey("kms"), "{\"KeyId\":\"alias/other\"}"));
        assertEquals(Kind.SIGNATURE_DOES_NOT_MATCH, e.kind());
    }

    @Test
    void kmsVerifierRejectsAnS3ScopedCredential() {
        AuthException e = assertThrows(AuthException.class, () -> verify(KMS, describeKey("s3"), BODY));
        assertEquals(Kind.AUTHORIZATION_HEADER_MALFORMED, e.kind());
        assertEquals("The authorization header is malformed; incorrect service \"s3\". This endpoint belongs to "
                + "\"kms\".", e.getMessage());
    }

    @Test
    void s3VerifierStillRejectsAKmsScopedCredential() {
        SigV4Verifier s3 = new SigV4Verifier(AwsExamples.clockAt(SIGNED_AT), "us-east-1");
        AuthException e = assertThrows(AuthException.class, () -> verify(s3, describeKey("kms"), BODY));
        assertEquals("The authorization header is malformed; incorrect service \"kms\". This endpoint belongs to "
                + "\"s3\".", e.getMessage());
    }

    @Test
    void withoutABodyHashAMissingContentSha256IsStillAnS3Error() {
        AuthException e = assertThrows(AuthException.class, () -> SigV4Verifier.parse(describeKey("kms")));
        assertEquals(Kind.MISSING_CONTENT_SHA256, e.kind());
    }

    @Test
    void aSentContentSha256IsSignedAsSentAndCheckedAgainstTheBody() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("host", "127.0.0.1:9090");
        h.put("x-amz-date", "20261127T022025Z");
        h.put("x-amz-content-sha256", sha256(BODY));
        Map<String, String> auth = SigV4Signer.sign("POST", "/", null, h, sha256(BODY), "AKIDEXAMPLE", SECRET,
                "us-east-1", SIGNED_AT);
        h.putAll(auth);
        SignedRequest r = SignedRequest.of("POST", "/", null, h);
        SigV4Verifier s3 = new SigV4Verifier(AwsExamples.clockAt(SIGNED_AT), "us-east-1");
        AuthInfo info = SigV4Verifier.parse(r, sha256("something else")).orElseThrow();
        assertDoesNotThrow(() -> s3.verify(r, info, SECRET));
        AuthException e = assertThrows(AuthException.class,
                () -> info.checkPayloadSha256(SigV4.sha256("something else".getBytes(StandardCharsets.UTF_8))));
        assertEquals(Kind.CONTENT_SHA256_MISMATCH, e.kind());
    }
}
