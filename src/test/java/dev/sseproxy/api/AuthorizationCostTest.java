package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.authz.AuthorizationDecisions;
import dev.sseproxy.authz.AuthzRequest;
import dev.sseproxy.authz.ObjectOwnership;
import dev.sseproxy.authz.Policy;
import dev.sseproxy.authz.Principal;
import dev.sseproxy.authz.PublicAccessBlock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What one authorization costs with a 20-statement bucket policy (the benchmark case): the
 * decision itself plus building the request's condition keys, in ns per operation. Reported on
 * standard output, never asserted (a measurement on a shared machine, not a bound).
 */
class AuthorizationCostTest {
    static String twentyStatements(String bucket) {
        StringBuilder sb = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < 20; i++) {
            if (i > 0) {
                sb.append(',');
            }
            switch (i % 4) {
                case 0 -> sb.append("{\"Sid\":\"Deny").append(i).append("\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                        + "\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::").append(bucket).append("/p").append(i)
                        .append("/*\",\"Condition\":{\"StringNotEquals\":{\"s3:x-amz-server-side-encryption\":\"aws:kms\"}}}");
                case 1 -> sb.append("{\"Sid\":\"Ip").append(i).append("\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                        + "\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::").append(bucket).append("/*\","
                        + "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":[\"10.0.0.0/8\",\"127.0.0.0/8\"]}}}");
                case 2 -> sb.append("{\"Sid\":\"Partner").append(i).append("\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                        + "\"arn:aws:iam::1111222233").append(10 + i).append(":root\"},\"Action\":[\"s3:GetObject\","
                        + "\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::").append(bucket).append("/shared/*\"}");
                default -> sb.append("{\"Sid\":\"Tls").append(i).append("\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                        + "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::").append(bucket).append("\",\"arn:aws:s3:::")
                        .append(bucket).append("/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"},"
                        + "\"DateGreaterThan\":{\"aws:CurrentTime\":\"2099-01-01T00:00:00Z\"}}}");
            }
        }
        return sb.append("]}").toString();
    }

    @Test
    void aTwentyStatementPolicyCostsAFewMicrosecondsAtMost() {
        Policy policy;
        try {
            policy = Policy.bucketPolicy(twentyStatements("bench-bucket"), "bench-bucket");
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("the policy evaluator has not landed yet");
            return;
        }
        Principal who = Principal.account("000000000001");
        int n = 200_000;
        long sink = 0;
        long start = 0;
        for (int round = 0; round < 2; round++) {
            start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Map<String, List<String>> m = new HashMap<>();
                RequestConditions.put(m, "aws:SecureTransport", "false");
                RequestConditions.put(m, "aws:SourceIp", "127.0.0.1");
                RequestConditions.put(m, "aws:CurrentTime", "2026-12-06T12:00:00Z");
                RequestConditions.put(m, "s3:x-amz-server-side-encryption", "aws:kms");
                RequestConditions.put(m, "s3:signatureversion", "AWS4-HMAC-SHA256");
                RequestConditions.put(m, "s3:authType", "REST-HEADER");
                var r = new AuthzRequest(who, "s3:PutObject", "arn:aws:s3:::bench-bucket/p4/object-" + (i & 1023),
                        "000000000001", null, null, ObjectOwnership.BUCKET_OWNER_ENFORCED, List.of(), policy,
                        PublicAccessBlock.ALL, RequestConditions.context(m));
                sink += AuthorizationDecisions.evaluate(r).allowed() ? 1 : 0;
            }
        }
        double nsPerOp = (System.nanoTime() - start) / (double) n;
        System.out.printf("AuthorizationCostTest: 20-statement bucket policy, context + decision: %.0f ns/op (%d allowed)%n",
                nsPerOp, sink);
        assertTrue(sink > 0);
    }
}
