package dev.sseproxy.sse;

import dev.sseproxy.crypto.SseMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The encryption decision and SSE header validation of spec §3.1, §3.8 and §3.9. */
class EncryptionPolicyTest {
    static final BucketEncryptionDefault NEVER_CONFIGURED = BucketEncryptionDefault.sseS3(Set.of());
    static final BucketEncryptionDefault KMS_BUCKET_KEY = new BucketEncryptionDefault(SseMode.SSE_KMS,
            "alias/payments", true, Set.of());
    static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String KEY_MD5 = "tP/LI3N87DFaSk0aoqYgzg==";

    static EncryptionDecision decide(Map<String, String> h, BucketEncryptionDefault bucket) {
        return EncryptionPolicy.decide(h::get, bucket, true);
    }

    static SseException rejected(Map<String, String> h, BucketEncryptionDefault bucket) {
        return assertThrows(SseException.class, () -> decide(h, bucket));
    }

    @Test
    void noHeadersOnANeverConfiguredBucketIsDefaultSseS3() {
        EncryptionDecision d = decide(Map.of(), NEVER_CONFIGURED);
        assertEquals(SseMode.SSE_S3, d.mode());
        assertTrue(d.fromBucketDefault());
        assertFalse(d.bucketKey());
    }

    @Test
    void noHeadersOnAKmsBucketUsesItsKeyAndBucketKey() {
        EncryptionDecision d = decide(Map.of(), KMS_BUCKET_KEY);
        assertEquals(SseMode.SSE_KMS, d.mode());
        assertEquals(Optional.of("alias/payments"), d.kmsKeyId());
        assertTrue(d.bucketKey());
    }

    @Test
    void awsKmsWithoutKeyIdUsesTheManagedKeyButInheritsTheBucketKeyFlag() {
        EncryptionDecision d = decide(Map.of(EncryptionPolicy.S, "aws:kms"), KMS_BUCKET_KEY);
        assertEquals(SseMode.SSE_KMS, d.mode());
        assertEquals(Optional.empty(), d.kmsKeyId(), "empty = the account's aws/s3 key");
        assertTrue(d.bucketKey());
        assertFalse(d.fromBucketDefault());
        assertFalse(decide(Map.of(EncryptionPolicy.S, "aws:kms", EncryptionPolicy.B, "false"), KMS_BUCKET_KEY).bucketKey());
    }

    @Test
    void requestHeadersWinOverTheBucketDefault() {
        assertEquals(SseMode.SSE_S3, decide(Map.of(EncryptionPolicy.S, "AES256"), KMS_BUCKET_KEY).mode());
    }

    @Test
    void kmsKeyIdWithoutServerSideEncryptionIsInvalidArgument() {
        SseException e = rejected(Map.of(EncryptionPolicy.K, "alias/x"), NEVER_CONFIGURED);
        assertEquals(SseException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals(EncryptionPolicy.KMS_REQUIRES_S, e.getMessage());
        assertEquals(SseException.Kind.INVALID_ARGUMENT,
                rejected(Map.of(EncryptionPolicy.S, "AES256", EncryptionPolicy.K, "alias/x"), NEVER_CONFIGURED).kind());
    }

    @Test
    void unknownAlgorithmIsNotSupported() {
        for (String bad : new String[] {"bogus", "aes256", "", "true"}) {
            SseException e = rejected(Map.of(EncryptionPolicy.S, bad), NEVER_CONFIGURED);
            assertEquals("The encryption method specified is not supported", e.getMessage());
            assertEquals(EncryptionPolicy.S, e.argumentName());
            assertEquals(bad, e.argumentValue());
        }
    }

    @Test
    void encryptionContextMustBeBase64JsonOfStrings() {
        EncryptionDecision d = decide(Map.of(EncryptionPolicy.S, "aws:kms", EncryptionPolicy.X,
                "eyJwcm9qZWN0IjoiYWxwaGEifQ=="), NEVER_CONFIGURED);
        assertEquals(Map.of("project", "alpha"), d.context());
        assertEquals(EncryptionPolicy.BAD_CONTEXT, rejected(Map.of(EncryptionPolicy.S, "aws:kms",
                EncryptionPolicy.X, "not base64!"), NEVER_CONFIGURED).getMessage());
        assertEquals(EncryptionPolicy.BAD_CONTEXT, rejected(Map.of(EncryptionPolicy.S, "aws:kms",
                EncryptionPolicy.X, "eyJhIjoxfQ=="), NEVER_CONFIGURED).getMessage(), "{\"a\":1} has a number");
    }

    static Map<String, String> sseC(String alg, String key, String md5) {
        Map<String, String> h = new HashMap<>();
        if (alg != null) {
            h.put(EncryptionPolicy.C_ALG, alg);
        }
        if (key != null) {
            h.put(EncryptionPolicy.C_KEY, key);
        }
        if (md5 != null) {
            h.put(EncryptionPolicy.C_MD5, md5);
        }
        return h;
    }

    @Test
    void validCustomerKeyIsSseCWithItsMd5() {
        EncryptionDecision d = decide(sseC("AES256", KEY, KEY_MD5), NEVER_CONFIGURED);
        assertEquals(SseMode.SSE_C, d.mode());
        assertEquals(KEY_MD5, d.customerKey().orElseThrow().md5Base64());
        assertFalse(d.customerKey().orElseThrow().toString().contains(KEY));
    }

    @Test
    void sseCValidationFollowsS3sOrder() {
        Map<String, String> both = sseC("AES256", KEY, KEY_MD5);
        both.put(EncryptionPolicy.S, "AES256");
        assertTrue(rejected(both, NEVER_CONFIGURED).getMessage().contains("incompatible with the encryption method"));
        assertTrue(rejected(sseC(null, KEY, KEY_MD5), NEVER_CONFIGURED).getMessage().contains("valid encryption algorithm"));
        assertTrue(rejected(sseC("AES256", null, KEY_MD5), NEVER_CONFIGURED).getMessage().contains("appropriate secret key"));
        assertEquals(SseException.Kind.INVALID_ENCRYPTION_ALGORITHM, rejected(sseC("AES128", KEY, KEY_MD5), NEVER_CONFIGURED).kind());
        assertEquals("The calculated MD5 hash of the key did not match the hash that was provided.",
                rejected(sseC("AES256", KEY, "AAAAAAAAAAAAAAAAAAAAAA=="), NEVER_CONFIGURED).getMessage());
        SseException noMd5 = rejected(sseC("AES256", KEY, null), NEVER_CONFIGURED);
        assertEquals(SseException.Kind.INVALID_ARGUMENT, noMd5.kind());
        assertEquals("Requests specifying Server Side Encryption with Customer provided keys must provide the client "
                + "calculated MD5 of the secret key.", noMd5.getMessage());
        assertEquals(SseException.Kind.INVALID_ARGUMENT, assertThrows(SseException.class,
                () -> EncryptionPolicy.customerKey(sseC("AES256", KEY, null)::get, "", false)).kind(), "reads too");
        String shortKey = "AAECAwQFBgcICQoLDA0ODw==";
        assertEquals("The secret key was invalid for the specified algorithm.",
                rejected(sseC("AES256", shortKey, EncryptionPolicy.md5(java.util.Base64.getDecoder().decode(shortKey))),
                        NEVER_CONFIGURED).getMessage());
    }

    @Test
    void sseCOverPlainHttpOrOnABlockingBucketIsRefused() {
        assertEquals(SseException.Kind.INVALID_REQUEST, assertThrows(SseException.class,
                () -> EncryptionPolicy.decide(sseC("AES256", KEY, KEY_MD5)::get, NEVER_CONFIGURED, false)).kind());
        assertEquals(SseException.Kind.ACCESS_DENIED,
                rejected(sseC("AES256", KEY, KEY_MD5), BucketEncryptionDefault.sseS3(Set.of("SSE-C"))).kind());
    }
}
