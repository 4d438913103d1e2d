package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The S3 guide's encryption-enforcing bucket policies, pasted as AWS publishes them (bucket name
 * replaced), against PutObject requests with and without the headers; and a worst-case policy that must
 * still parse and evaluate in linear time.
 */
class EncryptionPoliciesTest {
    static final String OWNER = "111122223333";

    /** "How to prevent uploads of unencrypted objects to Amazon S3" (AWS security blog / S3 user guide). */
    static final String DENY_UNENCRYPTED = """
            {
              "Version": "2012-10-17",
              "Id": "PutObjectPolicy",
              "Statement": [
                {
                  "Sid": "DenyIncorrectEncryptionHeader",
                  "Effect": "Deny",
                  "Principal": "*",
                  "Action": "s3:PutObject",
                  "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
                  "Condition": {
                    "StringNotEquals": {
                      "s3:x-amz-server-side-encryption": "AES256"
                    }
                  }
                },
                {
                  "Sid": "DenyUnEncryptedObjectUploads",
                  "Effect": "Deny",
                  "Principal": "*",
                  "Action": "s3:PutObject",
                  "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
                  "Condition": {
                    "Null": {
                      "s3:x-amz-server-side-encryption": "true"
                    }
                  }
                }
              ]
            }
            """;

    /** "Requiring SSE-KMS with a specific AWS KMS key for all objects written to a bucket" (S3 user guide). */
    static final String REQUIRE_KMS_KEY = """
            {
              "Version": "2012-10-17",
              "Id": "PutObjPolicy",
              "Statement": [{
                "Sid": "DenyObjectsThatAreNotSSEKMSWithSpecificKey",
                "Principal": "*",
                "Effect": "Deny",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
                "Condition": {
                  "ArnNotEqualsIfExists": {
                    "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-2:111122223333:key/01234567-89ab-cdef-0123-456789abcdef"
                  }
                }
              }]
            }
            """;

    /** "Requiring SSE-KMS for all objects written to a bucket" (S3 user guide). */
    static final String REQUIRE_KMS = """
            {
              "Version": "2012-10-17",
              "Id": "PutObjPolicy",
              "Statement": [{
                "Sid": "DenyObjectsThatAreNotSSEKMS",
                "Principal": "*",
                "Effect": "Deny",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
                "Condition": {
                  "Null": {
                    "s3:x-amz-server-side-encryption-aws-kms-key-id": "true"
                  }
                }
              }]
            }
            """;

    static final String KEY = "arn:aws:kms:us-east-2:111122223333:key/01234567-89ab-cdef-0123-456789abcdef";
    static final String OTHER_KEY = "arn:aws:kms:us-east-2:111122223333:key/99999999-89ab-cdef-0123-456789abcdef";

    static Decision put(String policy, Principal who, String headers) {
        Map<String, List<String>> m = new HashMap<>();
        if (!headers.isEmpty()) {
            for (String kv : headers.split(" ")) {
                int eq = kv.indexOf('=');
                m.put(kv.substring(0, eq).toLowerCase(Locale.ROOT), List.of(kv.substring(eq + 1)));
            }
        }
        return AuthorizationDecisions.evaluate(new AuthzRequest(who, "s3:PutObject",
                AuthzRequest.objectArn("amzn-s3-demo-bucket", "reports/q1.csv"), OWNER, null, null,
                ObjectOwnership.BUCKET_OWNER_ENFORCED, List.of(), Policy.bucketPolicy(policy, "amzn-s3-demo-bucket"),
                PublicAccessBlock.ALL, k -> m.getOrDefault(k.toLowerCase(Locale.ROOT), List.of())));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "deny-unencrypted | ``                                                                  | explicit",
        "deny-unencrypted | s3:x-amz-server-side-encryption=AES256                              | allow",
        "deny-unencrypted | s3:x-amz-server-side-encryption=aws:kms                             | explicit",
        "deny-unencrypted | s3:x-amz-server-side-encryption=aes256                              | explicit",
        "deny-unencrypted | s3:x-amz-server-side-encryption-customer-algorithm=AES256           | explicit",
        // IfExists holds when the key is missing: without a key id (S3 sets it from the bucket default key too) denied
        "require-kms-key  | ``                                                                  | explicit",
        "require-kms-key  | s3:x-amz-server-side-encryption=AES256                              | explicit",
        "require-kms-key  | s3:x-amz-server-side-encryption=aws:kms s3:x-amz-server-side-encryption-aws-kms-key-id=" + KEY + " | allow",
        "require-kms-key  | s3:x-amz-server-side-encryption=aws:kms s3:x-amz-server-side-encryption-aws-kms-key-id=" + OTHER_KEY + " | explicit",
        "require-kms-key  | s3:x-amz-server-side-encryption=aws:kms s3:x-amz-server-side-encryption-aws-kms-key-id=alias/mine | explicit",
        "require-kms      | ``                                                                  | explicit",
        "require-kms      | s3:x-amz-server-side-encryption=AES256                              | explicit",
        "require-kms      | s3:x-amz-server-side-encryption=aws:kms s3:x-amz-server-side-encryption-aws-kms-key-id=" + OTHER_KEY + " | allow",
    })
    void theGuidesPoliciesBehaveAsOnAws(String policy, String headers, String outcome) {
        String doc = switch (policy) {
            case "deny-unencrypted" -> DENY_UNENCRYPTED;
            case "require-kms-key" -> REQUIRE_KMS_KEY;
            default -> REQUIRE_KMS;
        };
        for (Principal who : List.of(Principal.account(OWNER), Principal.user(OWNER, "uploader", "/"))) {
            Decision d = put(doc, who, headers);
            String got = d.allowed() ? "allow" : d.explicitDeny() ? "explicit" : "deny";
            // a user has no identity policy here: what the policy does not deny it is implicitly denied
            String want = who.isRoot() || !outcome.equals("allow") ? outcome : "deny";
            assertEquals(want, got, () -> who + ": " + d.reason());
        }
        assertEquals(false, Policy.bucketPolicy(doc, "amzn-s3-demo-bucket").isPublic());
    }

    @Test
    void theDenyNamesTheStatement() {
        assertEquals("explicit deny: bucket policy statement DenyUnEncryptedObjectUploads".substring(0, 40),
                put(DENY_UNENCRYPTED, Principal.account(OWNER), "").reason().substring(0, 40));
        assertTrue(put(REQUIRE_KMS_KEY, Principal.account(OWNER), "s3:x-amz-server-side-encryption-aws-kms-key-id=x")
                .reason().endsWith("DenyObjectsThatAreNotSSEKMSWithSpecificKey"));
    }

    /**
     * 20 KiB of the worst wildcards: patterns of stars and question marks against long ARNs and values, many
     * statements, many values per condition. Bounded by the pattern and text lengths, not by backtracking:
     * one parse and 100 evaluations stay far under a second (a backtracking matcher would not finish).
     */
    @Test
    void aWorstCasePolicyParsesAndEvaluatesInLinearTime() {
        String stars = "*a".repeat(60) + "?";
        StringBuilder doc = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        int i = 0;
        while (doc.length() < 19 * 1024) {
            if (i++ > 0) {
                doc.append(',');
            }
            doc.append("{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*").append("*?".repeat(10))
                    .append("x\",\"Resource\":\"arn:aws:s3:::b/").append(stars)
                    .append("\",\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"").append(stars).append("\",\"")
                    .append(stars).append("b\"]}}}");
        }
        doc.append("]}");
        String json = doc.toString();
        assertTrue(json.length() <= 20 * 1024, "the document fits S3's limit: " + json.length());
        String key = "a".repeat(1024);
        ConditionContext ctx = k -> k.equalsIgnoreCase("s3:prefix") ? List.of("a".repeat(1024)) : List.of();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            long start = System.nanoTime();
            Policy p = Policy.bucketPolicy(json, "b");
            for (int n = 0; n < 100; n++) {
                assertEquals(Policy.Verdict.NONE, p.verdict(Principal.anonymous(), "s3:GetObject",
                        AuthzRequest.objectArn("b", key), ctx));
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 1000, "took " + ms + " ms");
        });
    }
}
