package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * AWS service principals ({@code "Principal": {"Service": "s3.amazonaws.com"}}, issue 13): what S3 Inventory
 * and Batch Operations reports are written as. Destination bucket {@code dest} belongs to {@link #OWNER};
 * the inventoried bucket {@code src} to {@link #SOURCE}.
 */
class ServicePrincipalDecisionsTest {
    static final String OWNER = "111122223333";
    static final String SOURCE = "444455556666";
    static final Principal S3 = Principal.service("s3.amazonaws.com");

    /**
     * S3 User Guide, "Grant permissions for S3 Inventory and S3 analytics": the destination bucket policy
     * S3 documents (Sid, principal, action, resource and conditions as documented).
     */
    static final String INVENTORY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"InventoryAndAnalyticsExamplePolicy","Effect":"Allow",
             "Principal":{"Service":"s3.amazonaws.com"},"Action":"s3:PutObject","Resource":["arn:aws:s3:::dest/*"],
             "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::src"},
              "StringEquals":{"aws:SourceAccount":"%s","s3:x-amz-acl":"bucket-owner-full-control"}}}]}
            """.formatted(SOURCE);

    static final Map<String, String> POLICIES = Map.of(
            "inventory", INVENTORY,
            "none", "",
            "other-service", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},
                     "Action":"s3:PutObject","Resource":"arn:aws:s3:::dest/*"}]}""",
            "public-write", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
                     "Action":"s3:PutObject","Resource":"arn:aws:s3:::dest/*"}]}""",
            "account", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},
                     "Action":"s3:PutObject","Resource":"arn:aws:s3:::dest/*"}]}""".formatted(SOURCE),
            "inventory-and-deny-unencrypted", INVENTORY.replace("]}\n", "") + """
                    ,{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::dest/*",
                     "Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}""",
            "not-principal-deny", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":{"Service":"s3.amazonaws.com"},
                     "Action":"s3:PutObject","Resource":"arn:aws:s3:::dest/*"}]}""",
            "service-type", """
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",
                     "Resource":"arn:aws:s3:::dest/*","Condition":{"StringEquals":{"aws:PrincipalType":"AWSService",
                     "aws:PrincipalServiceName":"s3.amazonaws.com"},"Bool":{"aws:PrincipalIsAWSService":"true"}}}]}""");

    /** policy, action, key, source account, source ARN, x-amz-acl, sse header, allowed. */
    @ParameterizedTest(name = "{0}: {1} {2} from {3} {4} acl={5} sse={6} -> {7}")
    @CsvSource(nullValues = "-", value = {
        // the documented policy: the service, from the named source bucket and account, with the ACL
        "inventory, s3:PutObject, inv/manifest.json, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, true",
        "inventory, s3:PutObject, inv/manifest.json, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, AES256, true",
        "inventory, s3:PutObject, inv/manifest.json, 999999999999, arn:aws:s3:::src, bucket-owner-full-control, -, false",
        "inventory, s3:PutObject, inv/manifest.json, 444455556666, arn:aws:s3:::other, bucket-owner-full-control, -, false",
        "inventory, s3:PutObject, inv/manifest.json, 444455556666, arn:aws:s3:::src, private, -, false",
        "inventory, s3:PutObject, inv/manifest.json, -, -, bucket-owner-full-control, -, false",
        "inventory, s3:GetObject, inv/manifest.json, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, false",
        "inventory, s3:DeleteObject, inv/manifest.json, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, false",
        // no policy, another service's, a grant to an account: a service has no identity side and no account
        "none, s3:PutObject, k, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, false",
        "other-service, s3:PutObject, k, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, false",
        "account, s3:PutObject, k, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, false",
        // "*" names every principal, services too (as anonymous writers)
        "public-write, s3:PutObject, k, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, true",
        // the bucket's denies still apply to the service
        "inventory-and-deny-unencrypted, s3:PutObject, k, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, false",
        "inventory-and-deny-unencrypted, s3:PutObject, k, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, AES256, true",
        // NotPrincipal naming the service excludes it from the deny (and nothing allows it)
        "not-principal-deny, s3:PutObject, k, 444455556666, arn:aws:s3:::src, bucket-owner-full-control, -, false",
        // the principal's own keys
        "service-type, s3:PutObject, k, -, -, -, -, true",
    })
    void serviceWrites(String policy, String action, String key, String sourceAccount, String sourceArn, String acl,
            String sse, boolean allowed) {
        Map<String, List<String>> keys = new HashMap<>();
        put(keys, "aws:SourceAccount", sourceAccount);
        put(keys, "aws:SourceArn", sourceArn);
        put(keys, "s3:x-amz-acl", acl);
        put(keys, "s3:x-amz-server-side-encryption", sse);
        String doc = POLICIES.get(policy);
        Policy bucketPolicy = doc.isEmpty() ? null : Policy.bucketPolicy(doc, "dest");
        Decision d = AuthorizationDecisions.evaluate(new AuthzRequest(S3, action, AuthzRequest.objectArn("dest", key),
                OWNER, null, null, ObjectOwnership.BUCKET_OWNER_ENFORCED, List.of(), bucketPolicy, null,
                k -> keys.getOrDefault(k.toLowerCase(Locale.ROOT), List.of())));
        assertEquals(allowed, d.allowed(), d.reason());
    }

    @Test
    void aServicePolicyStatementNamesOnlyThatServiceAndNoClient() {
        Policy p = Policy.bucketPolicy(INVENTORY, "dest");
        Map<String, List<String>> keys = Map.of("aws:sourceaccount", List.of(SOURCE), "aws:sourcearn",
                List.of("arn:aws:s3:::src"), "s3:x-amz-acl", List.of("bucket-owner-full-control"));
        for (Principal client : List.of(Principal.anonymous(), Principal.account(SOURCE), Principal.user(SOURCE, "u", "/"),
                Principal.service("logging.s3.amazonaws.com"))) {
            Decision d = AuthorizationDecisions.evaluate(new AuthzRequest(client, "s3:PutObject",
                    AuthzRequest.objectArn("dest", "k"), OWNER, null, null, ObjectOwnership.BUCKET_OWNER_ENFORCED,
                    List.of(), p, null, k -> keys.getOrDefault(k.toLowerCase(Locale.ROOT), List.of())));
            assertFalse(d.allowed(), client + ": " + d.reason());
        }
        assertFalse(p.isPublic(), "a grant to a service is not public");
    }

    @Test
    void aServicePrincipalIsNeitherAnonymousNorAnAccount() {
        assertTrue(S3.isService());
        assertFalse(S3.isAnonymous());
        assertFalse(S3.isRoot());
        assertEquals(null, S3.arn());
        assertFalse(Grantee.AUTHENTICATED_USERS.matches(S3));
        assertTrue(Grantee.ALL_USERS.matches(S3));
        assertFalse(Grantee.user(OWNER).matches(S3));
        assertFalse(AuthorizationDecisions.identityOnly(S3, List.of(), "s3:PutObject", "*", null).allowed());
        assertThrows(IllegalArgumentException.class, () -> Principal.service(""));
        ConditionContext c = ConditionContext.withPrincipal(S3, ConditionContext.EMPTY);
        assertEquals(List.of("AWSService"), c.values("aws:PrincipalType"));
        assertEquals(List.of("s3.amazonaws.com"), c.values("aws:PrincipalServiceName"));
        assertEquals(List.of(), c.values("aws:PrincipalAccount"));
        assertEquals(List.of("false"), ConditionContext.withPrincipal(Principal.account(OWNER), null)
                .values("aws:PrincipalIsAWSService"));
    }

    static void put(Map<String, List<String>> m, String k, String v) {
        if (v != null) {
            m.put(k.toLowerCase(Locale.ROOT), List.of(v));
        }
    }
}
