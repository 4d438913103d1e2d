package dev.sseproxy.auth;

import static dev.sseproxy.auth.AwsExamples.ACCESS_KEY;
import static dev.sseproxy.auth.AwsExamples.HOST;
import static dev.sseproxy.auth.AwsExamples.SECRET_KEY;
import static dev.sseproxy.auth.AwsExamples.TIME;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4SignerTest {

    private static Map<String, String> sign(String method, String path, String query, Map<String, String> headers,
                                            String payloadHash) {
        return SigV4Signer.sign(method, path, query, headers, payloadHash, ACCESS_KEY, SECRET_KEY, "us-east-1", TIME);
    }

    private static String signatureOf(Map<String, String> signed) {
        String auth = signed.get("Authorization");
        return auth.substring(auth.indexOf("Signature=") + "Signature=".length());
    }

    @Test
    void getObjectExampleProducesThePublishedAuthorization() {
        Map<String, String> out = sign("GET", "/test.txt", null, Map.of("Host", HOST, "Range", "bytes=0-9"),
                SigV4.EMPTY_SHA256);
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=" + AwsExamples.GET_OBJECT_SIGNATURE, out.get("Authorization"));
        assertEquals("20130524T000000Z", out.get("x-amz-date"));
        assertEquals(SigV4.EMPTY_SHA256, out.get("x-amz-content-sha256"));
    }

    @Test
    void putObjectExampleWithDateHeaderAndReservedKeyCharacter() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", HOST);
        headers.put("Date", "Fri, 24 May 2013 00:00:00 GMT");
        headers.put("x-amz-storage-class", "REDUCED_REDUNDANCY");
        Map<String, String> out = sign("PUT", "/test$file.text", null, headers, AwsExamples.PUT_OBJECT_BODY_SHA256);
        assertEquals(AwsExamples.PUT_OBJECT_SIGNATURE, signatureOf(out));
        assertTrue(out.get("Authorization")
                .contains("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"));
    }

    @Test
    void lifecycleExampleSignsTheBareSubresource() {
        Map<String, String> out = sign("GET", "/", "lifecycle", Map.of("host", HOST), SigV4.EMPTY_SHA256);
        assertEquals(AwsExamples.LIFECYCLE_SIGNATURE, signatureOf(out));
    }

    @Test
    void listObjectsExampleSortsTheQuery() {
        Map<String, String> out = sign("GET", "/", "prefix=J&max-keys=2", Map.of("host", HOST), SigV4.EMPTY_SHA256);
        assertEquals(AwsExamples.LIST_OBJECTS_SIGNATURE, signatureOf(out));
    }

    @Test
    void hostIsRequired() {
        assertThrows(IllegalArgumentException.class,
                () -> sign("GET", "/b/k", null, Map.of("range", "bytes=0-1"), SigV4.EMPTY_SHA256));
    }

    @Test
    void hopByHopAndUserAgentHeadersAreNotSigned() {
        Map<String, String> headers = Map.of("host", HOST, "Connection", "keep-alive", "User-Agent", "x",
                "Expect", "100-continue", "content-length", "5");
        String auth = sign("PUT", "/b/k", null, headers, "UNSIGNED-PAYLOAD").get("Authorization");
        assertTrue(auth.contains("SignedHeaders=content-length;host;x-amz-content-sha256;x-amz-date,"), auth);
    }

    @Test
    void signedRequestVerifiesWithTheVerifier() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "minio:9000");
        headers.put("x-amz-meta-note", "a  b");
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        Map<String, String> added = SigV4Signer.sign("PUT", "/bucket/dir/a%20b+c", "partNumber=1&uploadId=x%2By",
                headers, "UNSIGNED-PAYLOAD", "minio", "minio-secret", "eu-west-1", now);
        headers.putAll(added);
        SignedRequest request = SignedRequest.of("PUT", "/bucket/dir/a%20b+c", "partNumber=1&uploadId=x%2By", headers);
        AuthInfo info = SigV4Verifier.parse(request).orElseThrow();
        SigV4Verifier verifier = new SigV4Verifier(AwsExamples.clockAt(now), "eu-west-1");
        assertDoesNotThrow(() -> verifier.verify(request, info, "minio-secret"));
        AuthException e = assertThrows(AuthException.class, () -> verifier.verify(request, info, "other-secret"));
        assertEquals(AuthException.Kind.SIGNATURE_DOES_NOT_MATCH, e.kind());
    }
}
