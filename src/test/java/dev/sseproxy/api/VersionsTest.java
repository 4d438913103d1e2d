package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Version ids and PutBucketVersioning documents, checked as S3 checks them. */
class VersionsTest {
    @Test
    void versionIdsAreNullOrMinioUuids() {
        assertTrue(Versions.valid("null"));
        assertTrue(Versions.valid("be087ec4-ed03-429e-b62e-ef26216d2869"));
        assertTrue(Versions.valid("BE087EC4-ED03-429E-B62E-EF26216D2869"));
        assertFalse(Versions.valid(""));
        assertFalse(Versions.valid("Null"));
        assertFalse(Versions.valid("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"));
        assertFalse(Versions.valid("be087ec4-ed03-429e-b62e-ef26216d286"));
        assertFalse(Versions.valid("be087ec4xed03-429e-b62e-ef26216d2869"));
        assertFalse(Versions.valid("ge087ec4-ed03-429e-b62e-ef26216d2869"));
        S3Exception e = assertThrows(S3Exception.class, () -> Versions.check("zzz", "versionId"));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("Invalid version id specified", e.getMessage());
    }

    static String doc(String inner) {
        return "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + inner
                + "</VersioningConfiguration>";
    }

    static String status(String xml, String mfa) {
        return BucketVersioningOperation.status(xml.getBytes(StandardCharsets.UTF_8), mfa);
    }

    @Test
    void putBucketVersioningDocuments() {
        assertEquals("Enabled", status(doc("<Status>Enabled</Status>"), null));
        assertEquals("Suspended", status(doc("<Status>Suspended</Status><MfaDelete>Disabled</MfaDelete>"), null));
        assertEquals(S3ErrorCode.MALFORMED_XML, assertThrows(S3Exception.class,
                () -> status(doc("<Status>Disabled</Status>"), null)).code());
        assertEquals(S3ErrorCode.MALFORMED_XML, assertThrows(S3Exception.class,
                () -> status("<Versioning><Status>Enabled</Status></Versioning>", null)).code());
        assertEquals(S3ErrorCode.MALFORMED_XML, assertThrows(S3Exception.class, () -> status("", null)).code());
        assertEquals(S3ErrorCode.MALFORMED_XML, assertThrows(S3Exception.class,
                () -> status(doc("<Status>Enabled</Status><MfaDelete>On</MfaDelete>"), null)).code());
        assertEquals(S3ErrorCode.ILLEGAL_VERSIONING_CONFIGURATION, assertThrows(S3Exception.class,
                () -> status(doc(""), null)).code());
        S3Exception mfa = assertThrows(S3Exception.class,
                () -> status(doc("<Status>Enabled</Status><MfaDelete>Enabled</MfaDelete>"), null));
        assertEquals(S3ErrorCode.ACCESS_DENIED, mfa.code());
        assertEquals("Mfa Authentication must be used for this request", mfa.getMessage());
    }
}
