package dev.sseproxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.observability.CompletedRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CloudTrail's userIdentity for IAM users' requests, and the records of IAM and STS calls. */
class IamUserRecordsTest {
    final CloudTrailRecords records = new CloudTrailRecords("eu-west-1", "000000000001");

    static JsonNode json(AuditEvent e) throws Exception {
        return CloudTrailRecords.JSON.readTree(e.record());
    }

    static CompletedRequest byUser(CompletedRequest p, String error) {
        return new CompletedRequest(p.requestId(), p.hostId(), p.time(), 1, "PutBucketEncryption", "bucket", "PUT",
                "amzn-s3-demo-bucket", null, "111122223333", "111122223333", "AKIAUSEREXAMPLE00001", false, p.sourceIp(),
                p.userAgent(), p.host(), null, null, error == null ? 200 : 403, error, error == null ? null : "Access Denied",
                true, 0, 0, Map.of(), Map.of("encryption", ""), Map.of(), null, "none", Map.of(), "Alice",
                "arn:aws:iam::111122223333:user/division/Alice", "AIDAEXAMPLEUSERID0001");
    }

    @Test
    void aUsersRequestIsRecordedAsIamUserWithItsIdArnAndName() throws Exception {
        CompletedRequest p = CloudTrailRecordsTest.put(null, Map.of(), Map.of(), null);
        AuditEvent e = records.s3(byUser(p, "AccessDenied"));
        JsonNode u = json(e).get("userIdentity");
        assertEquals("IAMUser", u.get("type").asText());
        assertEquals("AIDAEXAMPLEUSERID0001", u.get("principalId").asText());
        assertEquals("arn:aws:iam::111122223333:user/division/Alice", u.get("arn").asText());
        assertEquals("111122223333", u.get("accountId").asText());
        assertEquals("AKIAUSEREXAMPLE00001", u.get("accessKeyId").asText());
        assertEquals("Alice", u.get("userName").asText());
        assertEquals("AccessDenied", json(e).get("errorCode").asText());
        assertEquals("Alice", e.username(), "LookupEvents' Username is the user's name");
    }

    @Test
    void aRootKeysRequestStaysRoot() throws Exception {
        AuditEvent e = records.s3(CloudTrailRecordsTest.put(null, Map.of(), Map.of(), null));
        JsonNode u = json(e).get("userIdentity");
        assertEquals("Root", u.get("type").asText());
        assertFalse(u.has("userName"));
        assertEquals("root", e.username());
    }

    @Test
    void anIamCallIsAnIamManagementEventNamingItsUserAndPolicy() throws Exception {
        ApiCall c = new ApiCall(ApiCall.IAM_SOURCE, "AttachUserPolicy", CloudTrailRecordsTest.T, "111122223333",
                "AKIAUSEREXAMPLE00001", "Alice", "arn:aws:iam::111122223333:user/Alice", "AIDAEXAMPLEUSERID0001",
                "203.0.113.10", "aws-cli/2.9", "req-1", "AccessDenied", "User: ... is not authorized",
                Map.of("UserName", "Bob", "PolicyArn", "arn:aws:iam::111122223333:policy/p"));
        AuditEvent e = records.api(c);
        JsonNode r = json(e);
        assertEquals("iam.amazonaws.com", r.get("eventSource").asText());
        assertEquals("AttachUserPolicy", r.get("eventName").asText());
        assertEquals("us-east-1", r.get("awsRegion").asText(), "IAM is global");
        assertEquals("IAMUser", r.at("/userIdentity/type").asText());
        assertEquals("Bob", r.at("/requestParameters/userName").asText());
        assertEquals("arn:aws:iam::111122223333:policy/p", r.at("/requestParameters/policyArn").asText());
        assertEquals("AccessDenied", r.get("errorCode").asText());
        assertTrue(r.get("responseElements").isNull(), "never a response (CreateAccessKey's secret)");
        assertTrue(r.get("managementEvent").asBoolean());
        assertFalse(r.get("readOnly").asBoolean());
        assertEquals("iam.amazonaws.com", e.eventSource());
        assertTrue(e.resourceNames().contains("Bob"));
        assertTrue(e.resourceNames().contains("arn:aws:iam::111122223333:policy/p"));
    }

    @Test
    void getCallerIdentityIsAReadOnlyStsEventOfTheRoot() throws Exception {
        ApiCall c = new ApiCall(ApiCall.STS_SOURCE, "GetCallerIdentity", CloudTrailRecordsTest.T, "111122223333",
                "AKEXAMPLE", null, null, null, "203.0.113.10", "aws-cli/2.9", "req-2", null, null, Map.of());
        JsonNode r = json(records.api(c));
        assertEquals("sts.amazonaws.com", r.get("eventSource").asText());
        assertEquals("eu-west-1", r.get("awsRegion").asText());
        assertEquals("Root", r.at("/userIdentity/type").asText());
        assertTrue(r.get("readOnly").asBoolean());
        assertFalse(r.has("errorCode"));
    }
}
