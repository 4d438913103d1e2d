package dev.sseproxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.observability.CompletedRequest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records of writes the proxy makes on its own behalf (issue 13, {@code sse.InternalWrites}):
 * {@code userIdentity.invokedBy} names the AWS service, as CloudTrail does for calls a service makes.
 */
class InvokedByRecordsTest {
    static final Instant T = Instant.parse("2026-12-06T08:16:03Z");
    final CloudTrailRecords records = new CloudTrailRecords("us-east-1", "000000000001");

    static CompletedRequest copy(String accountId, String user, String invokedBy) {
        return new CompletedRequest("REQ1", "aG9zdA==", T, 1, "CopyObject", "object", "PUT", "b", "k", "111122223333",
                accountId, null, false, invokedBy == null ? "127.0.0.1" : invokedBy, "sse-proxy-batch/job-1", null, null,
                null, 200, null, null, true, 0, 0, Map.of("x-amz-copy-source", "b/k"), Map.of(),
                Map.of("x-amz-server-side-encryption", "aws:kms"), "SSE_KMS", "sse_kms", Map.of(), user,
                user == null ? null : "arn:aws:iam::111122223333:user/" + user, null, invokedBy);
    }

    @Test
    void aBatchCopyNamesItsActorAndTheBatchService() throws Exception {
        JsonNode r = CloudTrailRecords.JSON.readTree(records.s3(copy("111122223333", null,
                "batchoperations.s3.amazonaws.com")).record());
        assertEquals("Root", r.at("/userIdentity/type").asText());
        assertEquals("111122223333", r.at("/userIdentity/accountId").asText());
        assertEquals("batchoperations.s3.amazonaws.com", r.at("/userIdentity/invokedBy").asText());
        assertEquals("CopyObject", r.get("eventName").asText());
        assertEquals("SSE_KMS", r.at("/additionalEventData/SSEApplied").asText());
        assertEquals("b/k", r.at("/requestParameters/x-amz-copy-source").asText());
        assertEquals("sse-proxy-batch/job-1", r.get("userAgent").asText());
        assertEquals("Data", r.get("eventCategory").asText());

        JsonNode u = CloudTrailRecords.JSON.readTree(records.s3(copy("111122223333", "ops",
                "batchoperations.s3.amazonaws.com")).record());
        assertEquals("IAMUser", u.at("/userIdentity/type").asText());
        assertEquals("ops", u.at("/userIdentity/userName").asText());
        assertEquals("batchoperations.s3.amazonaws.com", u.at("/userIdentity/invokedBy").asText());
    }

    @Test
    void aServiceWriteIsAnAwsServiceIdentityAndAClientRequestHasNoInvokedBy() throws Exception {
        JsonNode s = CloudTrailRecords.JSON.readTree(records.s3(copy(null, null, "s3.amazonaws.com")).record());
        assertEquals("AWSService", s.at("/userIdentity/type").asText());
        assertEquals("s3.amazonaws.com", s.at("/userIdentity/invokedBy").asText());
        assertEquals("s3.amazonaws.com", s.get("sourceIPAddress").asText());
        assertEquals("111122223333", s.get("recipientAccountId").asText());

        JsonNode c = CloudTrailRecords.JSON.readTree(records.s3(copy("111122223333", null, null)).record());
        assertTrue(c.at("/userIdentity/invokedBy").isMissingNode(), c::toString);
    }
}
