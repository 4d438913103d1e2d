package dev.sseproxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.kms.KmsCall;
import dev.sseproxy.kms.KmsException;
import dev.sseproxy.observability.CompletedRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudTrailRecordsTest {
    static final Instant T = Instant.parse("2026-10-02T08:16:03.123456Z");
    final CloudTrailRecords records = new CloudTrailRecords("eu-west-1", "000000000001");

    static CompletedRequest put(String sseApplied, Map<String, String> requestHeaders, Map<String, String> response,
            String error) {
        return new CompletedRequest("7Q3H2Z0EXAMPLE02", "aG9zdA==", T, 1_000_000, "PutObject", "object", "PUT",
                "amzn-s3-demo-bucket", "reports/q1.csv", "111122223333", "111122223333", "AKIAEXAMPLEKEY", false,
                "203.0.113.10", "Boto3/1.40.0", "amzn-s3-demo-bucket.s3.eu-west-1.amazonaws.com", null, null,
                error == null ? 200 : 400, error, error == null ? null : "bad", true, 11, 0, requestHeaders, Map.of(),
                response, sseApplied, "sse_kms", Map.of());
    }

    static JsonNode json(AuditEvent e) throws Exception {
        return CloudTrailRecords.JSON.readTree(e.record());
    }

    @Test
    void aDataEventHasTheSkeletonOfSpecSection83() throws Exception {
        Map<String, String> response = new LinkedHashMap<>();
        response.put("x-amz-server-side-encryption", "aws:kms");
        response.put("x-amz-server-side-encryption-bucket-key-enabled", "true");
        AuditEvent e = records.s3(put("Default_SSE_KMS", Map.of("x-amz-sdk-checksum-algorithm", "CRC32"), response, null));
        JsonNode r = json(e);
        assertEquals("1.11", r.get("eventVersion").asText());
        assertEquals("2026-10-02T08:16:03Z", r.get("eventTime").asText(), "whole seconds, as CloudTrail");
        assertEquals("s3.amazonaws.com", r.get("eventSource").asText());
        assertEquals("PutObject", r.get("eventName").asText());
        assertEquals("eu-west-1", r.get("awsRegion").asText());
        assertEquals("203.0.113.10", r.get("sourceIPAddress").asText());
        assertEquals("Boto3/1.40.0", r.get("userAgent").asText());
        assertEquals("amzn-s3-demo-bucket", r.at("/requestParameters/bucketName").asText());
        assertEquals("reports/q1.csv", r.at("/requestParameters/key").asText());
        assertEquals("CRC32", r.at("/requestParameters/x-amz-sdk-checksum-algorithm").asText());
        assertEquals("true", r.at("/responseElements/x-amz-server-side-encryption-bucket-key-enabled").asText());
        assertEquals("Default_SSE_KMS", r.at("/additionalEventData/SSEApplied").asText());
        assertEquals(11, r.at("/additionalEventData/bytesTransferredIn").asLong());
        assertEquals("AuthHeader", r.at("/additionalEventData/AuthenticationMethod").asText());
        assertEquals("aG9zdA==", r.at("/additionalEventData/x-amz-id-2").asText());
        assertEquals("7Q3H2Z0EXAMPLE02", r.get("requestID").asText());
        assertEquals(e.eventId().toString(), r.get("eventID").asText());
        assertFalse(r.get("readOnly").asBoolean());
        assertEquals("AWS::S3::Object", r.at("/resources/0/type").asText());
        assertEquals("arn:aws:s3:::amzn-s3-demo-bucket/reports/q1.csv", r.at("/resources/0/ARN").asText());
        assertEquals("arn:aws:s3:::amzn-s3-demo-bucket", r.at("/resources/1/ARN").asText());
        assertEquals("Data", r.get("eventCategory").asText());
        assertFalse(r.get("managementEvent").asBoolean());
        assertEquals("111122223333", r.get("recipientAccountId").asText());
        assertEquals("AKIAEXAMPLEKEY", r.at("/userIdentity/accessKeyId").asText());
        assertNull(r.get("errorCode"));
        assertNull(r.get("tlsDetails"), "plain HTTP");
        // the stored columns LookupEvents filters on
        assertEquals("111122223333", e.accountId());
        assertEquals(List.of("amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket",
                "arn:aws:s3:::amzn-s3-demo-bucket/reports/q1.csv"), e.resourceNames());
        assertEquals("root", e.username());
        assertEquals(T, e.eventTime());
    }

    @Test
    void aFailedOrCutRequestCarriesItsError() throws Exception {
        JsonNode failed = json(records.s3(put(null, Map.of(), Map.of(), "InvalidArgument")));
        assertEquals("InvalidArgument", failed.get("errorCode").asText());
        assertEquals("bad", failed.get("errorMessage").asText());
        assertTrue(failed.get("responseElements").isNull());
        CompletedRequest p = put(null, Map.of(), Map.of(), null);
        CompletedRequest cut = new CompletedRequest(p.requestId(), p.hostId(), p.time(), 1, "GetObject", "object", "GET",
                p.bucket(), p.key(), p.bucketOwner(), p.accountId(), p.accessKeyId(), true, p.sourceIp(), null,
                p.host(), null, null, 200, null, null, false, 0, 65536, Map.of(), Map.of(), Map.of(), null, "sse_s3",
                Map.of());
        JsonNode r = json(records.s3(cut));
        assertEquals("ConnectionClosed", r.get("errorCode").asText());
        assertTrue(r.get("readOnly").asBoolean());
        assertEquals("QueryString", r.at("/additionalEventData/AuthenticationMethod").asText());
    }

    @Test
    void bucketConfigurationCallsAreManagementEventsOfTheBucketOwner() throws Exception {
        CompletedRequest p = put(null, Map.of(), Map.of(), null);
        CompletedRequest get = new CompletedRequest(p.requestId(), p.hostId(), p.time(), 1, "GetBucketEncryption",
                "bucket", "GET", p.bucket(), null, "444455556666", "444455556666", "AKIAOTHER", false, p.sourceIp(),
                null, p.host(), "TLSv1.3", "TLS_AES_128_GCM_SHA256", 200, null, null, true, 0, 300, Map.of(),
                Map.of("encryption", ""), Map.of(), null, "none", Map.of());
        AuditEvent e = records.s3(get);
        JsonNode r = json(e);
        assertEquals("Management", r.get("eventCategory").asText());
        assertTrue(r.get("managementEvent").asBoolean());
        assertTrue(r.get("readOnly").asBoolean());
        assertEquals("", r.at("/requestParameters/encryption").asText());
        assertEquals(1, r.get("resources").size());
        assertEquals("444455556666", e.accountId());
        assertEquals("TLSv1.3", r.at("/tlsDetails/tlsVersion").asText());
        assertEquals("TLS_AES_128_GCM_SHA256", r.at("/additionalEventData/CipherSuite").asText());
    }

    @Test
    void anUnauthenticatedRequestIsRecordedInTheRootAccountsTrail() throws Exception {
        CompletedRequest p = put(null, Map.of(), Map.of(), "AccessDenied");
        CompletedRequest anon = new CompletedRequest(p.requestId(), p.hostId(), p.time(), 1, "Unknown", "service",
                "GET", null, null, null, null, null, false, p.sourceIp(), null, p.host(), null, null, 403,
                "AccessDenied", "Access Denied", true, 0, 200, Map.of(), Map.of(), Map.of(), null, "none", Map.of());
        AuditEvent e = records.s3(anon);
        JsonNode r = json(e);
        assertEquals("000000000001", e.accountId());
        assertEquals("AWSAccount", r.at("/userIdentity/type").asText());
        assertEquals("anonymous", r.at("/userIdentity/accountId").asText());
        assertNull(e.username());
        assertTrue(e.resourceNames().isEmpty());
    }

    @Test
    void kmsCallsAreRecordedAsAwsKmsRecordsS3sCalls() throws Exception {
        String arn = "arn:aws:kms:eu-west-1:111122223333:key/0f6c2e8a-1b7d-4c55-9d3e-2a4b6c8d0e1f";
        AuditEvent e = records.kms(new KmsCall("generate_data_key", "sse-proxy-x",
                Map.of("aws:s3:arn", "arn:aws:s3:::b/k"), "111122223333", T, null), arn);
        JsonNode r = json(e);
        assertEquals("kms.amazonaws.com", r.get("eventSource").asText());
        assertEquals("GenerateDataKey", r.get("eventName").asText());
        assertEquals(arn, r.at("/requestParameters/keyId").asText());
        assertEquals("AES_256", r.at("/requestParameters/keySpec").asText());
        assertEquals("arn:aws:s3:::b/k", r.at("/requestParameters/encryptionContext/aws:s3:arn").asText());
        assertEquals("s3.amazonaws.com", r.at("/userIdentity/invokedBy").asText());
        assertEquals("s3.amazonaws.com", r.get("sourceIPAddress").asText());
        assertTrue(r.get("readOnly").asBoolean());
        assertEquals(arn, r.at("/resources/0/ARN").asText());
        assertEquals(List.of(arn), e.resourceNames());
        assertEquals("111122223333", e.accountId());

        JsonNode throttled = json(records.kms(new KmsCall("decrypt", "sse-proxy-x", Map.of(), null, T,
                new KmsException.Throttled("rate")), arn));
        assertEquals("Decrypt", throttled.get("eventName").asText());
        assertEquals("ThrottlingException", throttled.get("errorCode").asText());
        assertEquals("000000000001", throttled.get("recipientAccountId").asText(), "the proxy's own call");
        assertNull(records.kms(new KmsCall("key_info", "sse-proxy-x", Map.of(), null, T, null), arn),
                "reading a key's versions is not an AWS KMS event");
        assertEquals("ReEncrypt", json(records.kms(new KmsCall("rewrap", "k", Map.of(), null, T, null), arn))
                .get("eventName").asText());
    }

    @Test
    void aNulCharacterNeverReachesATextColumnButStaysInTheRecord() throws Exception {
        CompletedRequest r = put(null, Map.of(), Map.of(), "InvalidRequest");
        CompletedRequest nul = new CompletedRequest(r.requestId(), r.hostId(), r.time(), r.durationNanos(), r.operation(),
                r.scope(), r.method(), r.bucket(), "a\u0000b", r.bucketOwner(), null, "AK\u0000ID", false, r.sourceIp(),
                r.userAgent(), r.host(), null, null, 400, "InvalidRequest", "bad", true, 0, 0, Map.of(), Map.of(),
                Map.of(), null, "none", Map.of());
        AuditEvent e = records.s3(nul);
        for (String column : List.of(e.accountId(), e.eventName(), String.valueOf(e.username()), e.accessKeyId(),
                e.resources(), e.record(), String.join(",", e.resourceNames()))) {
            assertFalse(column.contains("\u0000"), column);
        }
        assertTrue(e.resourceNames().contains("arn:aws:s3:::amzn-s3-demo-bucket/a\uFFFDb"), e.resourceNames().toString());
        assertEquals("AK\uFFFDID", e.accessKeyId());
        assertEquals("a\u0000b", json(e).at("/requestParameters/key").asText(), "the JSON escapes it");
    }

    @Test
    void eventIdsAreVersion4UuidsAndDistinct() {
        java.util.Set<java.util.UUID> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            java.util.UUID id = CloudTrailRecords.eventId();
            assertEquals(4, id.version());
            assertEquals(2, id.variant());
            assertTrue(seen.add(id));
        }
    }
}
