package dev.sseproxy.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.AuthException.Kind;
import org.junit.jupiter.api.Test;

class AuthExceptionTest {

    @Test
    void kindsMapToTheS3CodesAndStatuses() {
        assertEquals("AccessDenied", Kind.ACCESS_DENIED.s3Code());
        assertEquals(403, Kind.REQUEST_EXPIRED.httpStatus());
        assertEquals("SignatureDoesNotMatch", Kind.SIGNATURE_DOES_NOT_MATCH.s3Code());
        assertEquals("InvalidAccessKeyId", Kind.INVALID_ACCESS_KEY_ID.s3Code());
        assertEquals(400, Kind.AUTHORIZATION_HEADER_MALFORMED.httpStatus());
        assertEquals("AuthorizationQueryParametersError", Kind.AUTHORIZATION_QUERY_PARAMETERS_ERROR.s3Code());
        assertEquals("RequestTimeTooSkewed", Kind.REQUEST_TIME_TOO_SKEWED.s3Code());
        assertEquals(403, Kind.REQUEST_TIME_TOO_SKEWED.httpStatus());
        assertEquals("XAmzContentSHA256Mismatch", Kind.CONTENT_SHA256_MISMATCH.s3Code());
        assertEquals("IncompleteBody", Kind.INCOMPLETE_BODY.s3Code());
        assertEquals("InvalidPolicyDocument", Kind.INVALID_POLICY_DOCUMENT.s3Code());
        assertEquals("EntityTooLarge", Kind.ENTITY_TOO_LARGE.s3Code());
        assertEquals(403, Kind.POLICY_EXPIRED.httpStatus());
    }

    @Test
    void everyKindHasACodeAStatusAndAMessage() {
        for (Kind k : Kind.values()) {
            assertFalse(k.s3Code().isBlank(), k.name());
            assertTrue(k.httpStatus() == 400 || k.httpStatus() == 403, k.name());
            assertFalse(new AuthException(k).getMessage().isBlank(), k.name());
        }
    }

    @Test
    void badDigestNamesEachAlgorithm() {
        assertEquals("The CRC64NVME you specified did not match the calculated checksum.",
                AuthException.badDigest(ChecksumAlgorithm.CRC64NVME).getMessage());
        assertEquals("Value for x-amz-checksum-crc32c header is invalid.",
                AuthException.invalidChecksumValue(ChecksumAlgorithm.CRC32C).getMessage());
    }

    @Test
    void helpersCarryTheExtraElementsAwsAdds() {
        AuthException e = AuthException.invalidAccessKeyId("AKIDX");
        assertEquals(Kind.INVALID_ACCESS_KEY_ID, e.kind());
        assertEquals("AKIDX", e.extra().get("AWSAccessKeyId"));
        AuthException m = AuthException.missingFormField("policy");
        assertEquals("Bucket POST must contain a field named 'policy'.  If it is specified, please check the order "
                + "of the fields.", m.getMessage());
        assertEquals("policy", m.extra().get("ArgumentName"));
        assertEquals("x-amz-a, x-amz-b", AuthException.headersNotSigned("X-Amz-A, x-amz-b").extra()
                .get("HeadersNotSigned"));
    }
}
