package dev.sseproxy.api.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sseproxy.api.aws.ServiceScope.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dispatch rules' classification (package documentation, rules 1 and 4), table-driven. */
class ServiceScopeTest {
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKID/20261206/us-east-1/%s/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=abc";

    @ParameterizedTest(name = "{0} + target {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
        "s3, null, s3",
        "kms, null, kms",
        "KMS, null, kms",
        "cloudtrail, null, cloudtrail",
        "iam, null, iam",
        "sts, null, sts",
        "dynamodb, null, dynamodb",
        // the scope wins over a target of another service
        "s3, TrentService.ListKeys, s3",
        "kms, com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents, kms",
    })
    void theCredentialScopeNamesTheService(String service, String target, String expected) {
        assertEquals(expected, ServiceScope.service(AUTH.formatted(service), null, target));
    }

    @ParameterizedTest(name = "unsigned, target {0} -> {1}")
    @CsvSource(nullValues = "null", value = {
        "null, s3",
        "TrentService.ListKeys, kms",
        "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents, cloudtrail",
        "DynamoDB_20120810.ListTables, s3",
        "TrentService, s3",
    })
    void withoutACredentialTheTargetNamesIt(String target, String expected) {
        assertEquals(expected, ServiceScope.service(null, null, target));
        // SigV2 and a credential that does not parse count as no credential
        assertEquals(expected, ServiceScope.service("AWS AKID:c2lnbmF0dXJl", null, target));
        assertEquals(expected, ServiceScope.service("AWS4-HMAC-SHA256 Credential=AKID/kms, Signature=x", null, target));
    }

    @ParameterizedTest(name = "presigned {0} -> {1}")
    @CsvSource(nullValues = "null", value = {
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261206%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=x, s3",
        "X-Amz-Credential=AKID%2f20261206%2fus-east-1%2fsts%2faws4_request, sts",
        "a=1&X-Amz-Credential=AKID/20261206/us-east-1/kms/aws4_request&b=%zz, kms",
        "x-amz-credential=AKID%2F20261206%2Fus-east-1%2Fkms%2Faws4_request, s3",
        "X-Amz-Credential=, s3",
        "%%%&&&=, s3",
        "null, s3",
    })
    void aPresignedUrlsCredentialNamesIt(String query, String expected) {
        assertEquals(expected, ServiceScope.service(null, query, null));
    }

    @ParameterizedTest(name = "scope {0} -> {1}")
    @CsvSource(nullValues = "null", value = {
        "AKID/20261206/us-east-1/s3/aws4_request, s3",
        "AKID/20261206/s3/aws4_request, s3", // SigV4a: no region
        "AKID/20261206/us-east-1/s3/aws4_requestX, null",
        "/aws4_request, null",
        "AKID//aws4_request, null",
        "s3/aws4_request, null",
        "'', null",
    })
    void scopes(String credential, String expected) {
        assertEquals(expected, ServiceScope.serviceOfScope(credential));
    }

    @Test
    void anUnknownServicesErrorFollowsTheShapeOfTheRequest() {
        assertEquals(Protocol.JSON, ServiceScope.protocolOf("DynamoDB_20120810.ListTables", null, null));
        assertEquals(Protocol.JSON, ServiceScope.protocolOf(null, "application/x-amz-json-1.0", null));
        assertEquals(Protocol.QUERY, ServiceScope.protocolOf(null, "application/x-www-form-urlencoded; charset=utf-8", null));
        assertEquals(Protocol.QUERY, ServiceScope.protocolOf(null, null, "Action=ListQueues&Version=2012-11-05"));
        assertEquals(Protocol.QUERY, ServiceScope.protocolOf(null, null, "Version=1&Action=ListQueues"));
        assertEquals(null, ServiceScope.protocolOf(null, "application/octet-stream", "prefix=Action="));
        assertEquals(null, ServiceScope.protocolOf(null, null, null));
    }
}
