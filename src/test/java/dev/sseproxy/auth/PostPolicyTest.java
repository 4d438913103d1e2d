package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.AuthException.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostPolicyTest {

    /** Base64 policy of AWS's "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)". */
    static final String V4_POLICY = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
    static final String V4_SIGNATURE = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e";

    /** Base64 policy of AWS's SigV2 browser-POST example (bucket johnsmith). */
    static final String V2_POLICY = "eyAiZXhwaXJhdGlvbiI6ICIyMDA3LTEyLTAxVDEyOjAwOjAwLjAwMFoiLAogICJjb25kaXRpb25zIjogWwogICAgeyJidWNrZXQiOiAiam9obnNtaXRoIn0sCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci9lcmljLyJdLAogICAgeyJhY2wiOiAicHVibGljLXJlYWQifSwKICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL2pvaG5zbWl0aC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwKICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtVHlwZSIsICJpbWFnZS8iXSwKICAgIHsieC1hbXotbWV0YS11dWlkIjogIjE0MzY1MTIzNjUxMjc0In0sCiAgICBbInN0YXJ0cy13aXRoIiwgIiR4LWFtei1tZXRhLXRhZyIsICIiXQogIF0KfQo=";
    static final String V2_SECRET = "uV3F3YluFJax1cknvbcGwgjvx4QpvB+leU8dUj2o";
    static final String V2_SIGNATURE = "0RavWzkygo6QX9caELEqKi9kDbU=";

    static final Instant BEFORE_EXPIRY = Instant.parse("2015-12-29T00:00:00Z");

    /** The form fields of the documented SigV4 example form (before the file field). */
    static Map<String, String> exampleForm() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("bucket", "sigv4examplebucket");
        f.put("key", "user/user1/photo.jpg");
        f.put("acl", "public-read");
        f.put("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html");
        f.put("content-type", "image/jpeg");
        f.put("x-amz-meta-uuid", "14365123651274");
        f.put("x-amz-server-side-encryption", "AES256");
        f.put("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request");
        f.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        f.put("x-amz-date", "20151229T000000Z");
        f.put("x-amz-meta-tag", "");
        f.put("policy", V4_POLICY);
        f.put("x-amz-signature", V4_SIGNATURE);
        return f;
    }

    private static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static AuthException checkFails(Map<String, String> form, Kind kind) {
        AuthException e = assertThrows(AuthException.class, () -> PostPolicy.parse(V4_POLICY).check(form,
                BEFORE_EXPIRY));
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void awsSigV4ExamplePolicySignature() {
        byte[] key = SigV4.signingKey(AwsExamples.SECRET_KEY, "20151229", "us-east-1", "s3");
        assertEquals(V4_SIGNATURE, PostPolicy.sigV4(key, V4_POLICY));
    }

    @Test
    void awsSigV2ExamplePolicySignature() {
        assertEquals(V2_SIGNATURE, PostPolicy.sigV2(V2_SECRET, V2_POLICY));
    }

    @Test
    void awsExamplePolicyIsParsed() {
        PostPolicy p = PostPolicy.parse(V4_POLICY);
        assertEquals(Instant.parse("2015-12-30T12:00:00Z"), p.expiration());
        assertEquals(11, p.conditions().size());
        assertEquals(new PolicyCondition.StartsWith("Content-Type", "image/"), p.conditions().get(4));
        assertEquals(new PolicyCondition.Eq("bucket", "sigv4examplebucket"), p.conditions().get(0));
    }

    @Test
    void awsExampleFormSatisfiesItsPolicy() {
        assertDoesNotThrow(() -> PostPolicy.parse(V4_POLICY).check(exampleForm(), BEFORE_EXPIRY));
    }

    @Test
    void expiredPolicyIsRejected() {
        AuthException e = assertThrows(AuthException.class, () -> PostPolicy.parse(V4_POLICY)
                .check(exampleForm(), Instant.parse("2015-12-30T12:00:00Z")));
        assertEquals(Kind.POLICY_EXPIRED, e.kind());
        assertEquals("Invalid according to Policy: Policy expired.", e.getMessage());
    }

    @Test
    void failedEqualityIsRenderedAsS3Does() {
        Map<String, String> form = exampleForm();
        form.put("bucket", "otherbucket");
        AuthException e = checkFails(form, Kind.POLICY_CONDITION_FAILED);
        assertEquals("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", "
                + "\"sigv4examplebucket\"]", e.getMessage());
        assertEquals("AccessDenied", e.kind().s3Code());
    }

    @Test
    void failedPrefixIsRenderedAsS3Does() {
        Map<String, String> form = exampleForm();
        form.put("key", "user/user2/photo.jpg");
        AuthException e = checkFails(form, Kind.POLICY_CONDITION_FAILED);
        assertEquals("Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", "
                + "\"user/user1/\"]", e.getMessage());
    }

    @Test
    void contentTypeListMatchesOnlyWhenEveryElementHasThePrefix() {
        Map<String, String> form = exampleForm();
        form.put("content-type", "image/jpg,image/png,image/gif");
        assertDoesNotThrow(() -> PostPolicy.parse(V4_POLICY).check(form, BEFORE_EXPIRY));
        form.put("content-type", "image/jpg,text/plain");
        checkFails(form, Kind.POLICY_CONDITION_FAILED);
    }

    @Test
    void startsWithEmptyMatchesAFieldTheFormDoesNotSend() {
        String policy = b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":[{\"bucket\":\"b\"},"
                + "[\"starts-with\",\"$x-amz-meta-absent\",\"\"],[\"starts-with\",\"$Content-Type\",\"\"]]}");
        assertDoesNotThrow(() -> PostPolicy.parse(policy).check(Map.of("bucket", "b"), BEFORE_EXPIRY));
    }

    @Test
    void missingConstrainedFieldCountsAsEmpty() {
        Map<String, String> form = exampleForm();
        form.remove("acl");
        checkFails(form, Kind.POLICY_CONDITION_FAILED);
        Map<String, String> noTag = exampleForm();
        noTag.remove("x-amz-meta-tag");
        assertDoesNotThrow(() -> PostPolicy.parse(V4_POLICY).check(noTag, BEFORE_EXPIRY));
    }

    @Test
    void uncoveredFormFieldIsAnExtraInputField() {
        Map<String, String> form = exampleForm();
        form.put("x-amz-server-side-encryption-aws-kms-key-id", "alias/k");
        AuthException e = checkFails(form, Kind.POLICY_CONDITION_FAILED);
        assertEquals("Invalid according to Policy: Extra input fields: x-amz-server-side-encryption-aws-kms-key-id",
                e.getMessage());
    }

    @Test
    void ignoredAndSignatureFieldsNeedNoCondition() {
        Map<String, String> form = exampleForm();
        form.put("x-ignore-tracking", "1");
        form.put("file", "");
        assertDoesNotThrow(() -> PostPolicy.parse(V4_POLICY).check(form, BEFORE_EXPIRY));
    }

    @Test
    void fieldNamesMatchCaseInsensitively() {
        Map<String, String> form = exampleForm();
        form.remove("content-type");
        form.put("Content-Type", "image/png");
        assertDoesNotThrow(() -> PostPolicy.parse(V4_POLICY).check(form, BEFORE_EXPIRY));
    }

    @Test
    void emptyPrefixMatchesAnyValue() {
        PostPolicy p = PostPolicy.parse(b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":["
                + "[\"starts-with\",\"$key\",\"\"]]}"));
        assertDoesNotThrow(() -> p.check(Map.of("key", "anything/at/all"), BEFORE_EXPIRY));
    }

    @Test
    void renderedConditionEscapesJson() {
        PostPolicy p = PostPolicy.parse(b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":["
                + "[\"eq\",\"$key\",\"a\\\"b\"]]}"));
        AuthException e = assertThrows(AuthException.class, () -> p.check(Map.of("key", "x"), BEFORE_EXPIRY));
        assertEquals("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"a\\\"b\"]",
                e.getMessage());
    }

    @Test
    void contentLengthRangeIsEnforced() {
        PostPolicy p = PostPolicy.parse(b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":["
                + "[\"content-length-range\", 10, 100], [\"content-length-range\", \"0\", \"50\"]]}"));
        long[] range = p.contentLengthRange().orElseThrow();
        assertArrayEquals(new long[] {10, 50}, range);
        assertDoesNotThrow(() -> PostPolicy.checkLength(10, range));
        assertDoesNotThrow(() -> PostPolicy.checkLength(50, range));
        AuthException small = assertThrows(AuthException.class, () -> PostPolicy.checkLength(9, range));
        assertEquals(Kind.ENTITY_TOO_SMALL, small.kind());
        assertEquals("Your proposed upload is smaller than the minimum allowed size", small.getMessage());
        assertEquals("9", small.extra().get("ProposedSize"));
        AuthException large = assertThrows(AuthException.class, () -> PostPolicy.checkLength(51, range));
        assertEquals(Kind.ENTITY_TOO_LARGE, large.kind());
        assertEquals("Your proposed upload exceeds the maximum allowed size", large.getMessage());
        assertTrue(PostPolicy.parse(V4_POLICY).contentLengthRange().isEmpty());
    }

    @Test
    void invalidDocumentsAreRejected() {
        for (String bad : new String[] {"!!!", b64("not json"), b64("[]"), b64("{\"conditions\":[]}"),
                b64("{\"expiration\":\"2030-01-01T00:00:00Z\"}"),
                b64("{\"expiration\":\"tomorrow\",\"conditions\":[]}"),
                b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":[[\"gt\",\"$key\",\"a\"]]}"),
                b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":[[\"eq\",\"key\",\"a\"]]}"),
                b64("{\"expiration\":\"2030-01-01T00:00:00Z\",\"conditions\":[[\"content-length-range\",5,1]]}")}) {
            AuthException e = assertThrows(AuthException.class, () -> PostPolicy.parse(bad), bad);
            assertEquals(Kind.INVALID_POLICY_DOCUMENT, e.kind(), bad);
            assertTrue(e.getMessage().startsWith("Invalid Policy: "), e.getMessage());
        }
        assertEquals("Invalid Policy: Invalid JSON.",
                assertThrows(AuthException.class, () -> PostPolicy.parse(b64("{"))).getMessage());
    }
}
