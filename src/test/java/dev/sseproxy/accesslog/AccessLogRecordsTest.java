package dev.sseproxy.accesslog;

import static dev.sseproxy.testing.AccessLogLines.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sseproxy.observability.AccessDetails;
import dev.sseproxy.observability.CompletedRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records in S3's server access log format: the documented fields, in order, quoted as S3 quotes them. */
class AccessLogRecordsTest {
    static final List<String> FIELDS = List.of("Bucket Owner", "Bucket", "Time", "Remote IP", "Requester", "Request ID",
            "Operation", "Key", "Request-URI", "HTTP status", "Error Code", "Bytes Sent", "Object Size", "Total Time",
            "Turn-Around Time", "Referer", "User-Agent", "Version Id", "Host Id", "Signature Version", "Cipher Suite",
            "Authentication Type", "Host Header", "TLS version", "Access Point ARN", "aclRequired", "Source region");

    static CompletedRequest request(String operation, String method, String key, Map<String, String> query, int status,
            String error, String userAgent, String userArn, AccessDetails access) {
        return new CompletedRequest("3E57427F3EXAMPLE", "host+id=", Instant.parse("2019-02-06T00:00:38.123Z"), 7_400_000,
                operation, key == null ? "bucket" : "object", method, "logged", key, "000000000001", "000000000001",
                "AKIAEXAMPLE", false, "192.0.2.3", userAgent, "logged.localhost:8080", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                status, error, error == null ? null : "message", true, 0, 113, Map.of(), query,
                Map.of("x-amz-version-id", "v1"), null, "sse_s3", Map.of(), null, userArn, null, null, access);
    }

    @Test
    void aPutObjectRecordHasEveryFieldInTheDocumentedOrder() {
        CompletedRequest r = request("PutObject", "PUT", "photos/2019/a b+c.jpg", Map.of(), 200, null, "aws-cli/2.9 \"quoted\"",
                null, new AccessDetails("/logged/photos/2019/a%20b%2Bc.jpg", "HTTP/1.1", null, 3_200_000, 42, null, null));
        List<String> f = parse(AccessLogRecords.format(r));
        assertEquals(FIELDS.size(), f.size(), f::toString);
        assertEquals(List.of("000000000001", "logged", "[06/Feb/2019:00:00:38 +0000]", "192.0.2.3", "000000000001",
                "3E57427F3EXAMPLE", "REST.PUT.OBJECT", "photos/2019/a%20b%2Bc.jpg",
                "PUT /logged/photos/2019/a%20b%2Bc.jpg HTTP/1.1", "200", "-", "113", "42", "7", "3", "-",
                "aws-cli/2.9 \"quoted\"", "v1", "host+id=", "SigV4", "TLS_AES_128_GCM_SHA256", "AuthHeader",
                "logged.localhost:8080", "TLSv1.3", "-", "-", "-"), f);
    }

    @Test
    void operationsAreNamedAsS3NamesThem() {
        Map<String, String> logging = new LinkedHashMap<>();
        logging.put("logging", "");
        assertEquals("REST.PUT.LOGGING_STATUS", AccessLogRecords.operation(request("PutBucketLogging", "PUT", null, logging,
                200, null, null, null, null)));
        assertEquals("REST.GET.BUCKET", AccessLogRecords.operation(request("ListObjectsV2", "GET", null,
                Map.of("list-type", "2"), 200, null, null, null, null)));
        assertEquals("REST.GET.OBJECT", AccessLogRecords.operation(request("GetObject", "GET", "k", Map.of(), 200, null,
                null, null, null)));
        assertEquals("REST.HEAD.OBJECT", AccessLogRecords.operation(request("HeadObject", "HEAD", "k", Map.of(), 404,
                "NoSuchKey", null, null, null)));
        assertEquals("REST.GET.ACL", AccessLogRecords.operation(request("GetObjectAcl", "GET", "k", Map.of("acl", ""), 200,
                null, null, null, null)));
        assertEquals("REST.POST.UPLOADS", AccessLogRecords.operation(request("CreateMultipartUpload", "POST", "k",
                Map.of("uploads", ""), 200, null, null, null, null)));
    }

    @Test
    void anErrorOfAnIamUserWithoutDetailsHasDashesAndItsArn() {
        CompletedRequest r = request("GetObject", "GET", "k", Map.of(), 403, "AccessDenied", null,
                "arn:aws:iam::000000000001:user/alice", null);
        List<String> f = parse(AccessLogRecords.format(r));
        assertEquals(FIELDS.size(), f.size());
        assertEquals("arn:aws:iam::000000000001:user/alice", f.get(4));
        assertEquals("-", f.get(8));
        assertEquals("403", f.get(9));
        assertEquals("AccessDenied", f.get(10));
        assertEquals("-", f.get(16));
    }

    @Test
    void unquotedFieldsNeverHoldASpaceAndQuotedOnesEscapeTheirQuotes() {
        CompletedRequest r = request("GetObject", "GET", "new\nline", Map.of(), 200, null, "a\\b\"c\nd", null,
                new AccessDetails("/logged/x?y=\"", "HTTP/1.1", "http://ref erer/", -1, -1, null, null));
        String line = AccessLogRecords.format(r);
        assertEquals(-1, line.indexOf('\n'));
        List<String> f = parse(line);
        assertEquals(FIELDS.size(), f.size(), f::toString);
        assertEquals("new%0Aline", f.get(7));
        assertEquals("GET /logged/x?y=\" HTTP/1.1", f.get(8));
        assertEquals("http://ref erer/", f.get(15));
        assertEquals("a\\b\"c%0Ad", f.get(16));
    }
}
