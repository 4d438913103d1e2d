package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.AuthException.Kind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostFormAuthTest {

    private static Map<String, String> v2Form() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("key", "user/eric/MyPicture.jpg");
        f.put("awsaccesskeyid", "AKIAIOSFODNN7EXAMPLE");
        f.put("policy", PostPolicyTest.V2_POLICY);
        f.put("signature", PostPolicyTest.V2_SIGNATURE);
        return f;
    }

    @Test
    void formWithoutPolicyOrSignatureIsAnonymous() {
        assertEquals(Optional.empty(), PostFormAuth.parse(Map.of("key", "k", "acl", "public-read")));
    }

    @Test
    void awsSigV4ExampleFormVerifies() {
        PostFormAuth auth = PostFormAuth.parse(PostPolicyTest.exampleForm()).orElseThrow();
        assertEquals("AKIAIOSFODNN7EXAMPLE", auth.accessKeyId());
        assertFalse(auth.sigV2());
        assertDoesNotThrow(() -> auth.verify(AwsExamples.SECRET_KEY, "us-east-1"));
        AuthException e = assertThrows(AuthException.class, () -> auth.verify("wrong", "us-east-1"));
        assertEquals(Kind.SIGNATURE_DOES_NOT_MATCH, e.kind());
        assertFalse(auth.toString().contains(PostPolicyTest.V4_SIGNATURE));
    }

    @Test
    void sigV4FormForAnotherRegionIsRejected() {
        PostFormAuth auth = PostFormAuth.parse(PostPolicyTest.exampleForm()).orElseThrow();
        AuthException e = assertThrows(AuthException.class, () -> auth.verify(AwsExamples.SECRET_KEY, "eu-west-1"));
        assertEquals(Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR, e.kind());
        assertTrue(e.getMessage().contains("the region 'us-east-1' is wrong; expecting 'eu-west-1'"));
    }

    @Test
    void tamperedPolicyFailsTheSignature() {
        Map<String, String> form = PostPolicyTest.exampleForm();
        form.put("policy", PostPolicyTest.V2_POLICY);
        PostFormAuth auth = PostFormAuth.parse(form).orElseThrow();
        assertThrows(AuthException.class, () -> auth.verify(AwsExamples.SECRET_KEY, "us-east-1"));
    }

    @Test
    void awsSigV2ExampleFormVerifies() {
        PostFormAuth auth = PostFormAuth.parse(v2Form()).orElseThrow();
        assertTrue(auth.sigV2());
        assertDoesNotThrow(() -> auth.verify(PostPolicyTest.V2_SECRET, "us-east-1"));
        assertThrows(AuthException.class, () -> auth.verify(AwsExamples.SECRET_KEY, "us-east-1"));
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        Map<String, String> noPolicy = v2Form();
        noPolicy.remove("policy");
        AuthException e = assertThrows(AuthException.class, () -> PostFormAuth.parse(noPolicy));
        assertEquals(Kind.MISSING_FIELDS, e.kind());
        assertEquals("Bucket POST must contain a field named 'policy'.  If it is specified, please check the order "
                + "of the fields.", e.getMessage());
        Map<String, String> noSignature = PostPolicyTest.exampleForm();
        noSignature.remove("x-amz-signature");
        assertEquals("X-Amz-Signature", assertThrows(AuthException.class,
                () -> PostFormAuth.parse(noSignature)).extra().get("ArgumentName"));
        assertEquals(Kind.MISSING_FIELDS, assertThrows(AuthException.class,
                () -> PostFormAuth.parse(Map.of("policy", "e30="))).kind());
    }
}
