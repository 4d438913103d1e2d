package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S3's checks of Object Lock parameters and documents, before anything reaches the backend. */
class ObjectLocksTest {
    static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    static ObjectLocks.WriteLock parse(String... nameValue) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValue.length; i += 2) {
            h.add(nameValue[i], nameValue[i + 1]);
        }
        return ObjectLocks.parse(h::get, NOW);
    }

    static S3Exception refused(S3ErrorCode code, String message, Runnable r) {
        S3Exception e = assertThrows(S3Exception.class, r::run);
        assertEquals(code, e.code());
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
        return e;
    }

    @Test
    void aWriteWithoutLockHeadersHasNoLock() {
        assertTrue(parse("content-type", "text/plain").isEmpty());
    }

    @Test
    void modeAndDateGoTogetherAndAreSentAsIso() {
        var lock = parse("x-amz-object-lock-mode", "GOVERNANCE", "x-amz-object-lock-retain-until-date", "2026-12-08T01:02:03+01:00",
                "x-amz-object-lock-legal-hold", "ON");
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        lock.copyTo(out);
        assertEquals("GOVERNANCE", out.get("x-amz-object-lock-mode"));
        assertEquals("2026-12-08T00:02:03.000Z", out.get("x-amz-object-lock-retain-until-date"));
        assertEquals("ON", out.get("x-amz-object-lock-legal-hold"));
        var e = refused(S3ErrorCode.INVALID_ARGUMENT, "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
                () -> parse("x-amz-object-lock-mode", "GOVERNANCE"));
        assertEquals(Map.of("ArgumentName", "x-amz-object-lock-retain-until-date"), e.details());
        refused(S3ErrorCode.INVALID_ARGUMENT, "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
                () -> parse("x-amz-object-lock-retain-until-date", "2027-01-01T00:00:00Z"));
    }

    @Test
    void badValuesAreInvalidArgumentsNamingTheHeader() {
        var mode = refused(S3ErrorCode.INVALID_ARGUMENT, "Unknown wormMode directive.", () -> parse(
                "x-amz-object-lock-mode", "governance", "x-amz-object-lock-retain-until-date", "2027-01-01T00:00:00Z"));
        assertEquals("x-amz-object-lock-mode", mode.details().get("ArgumentName"));
        refused(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be provided in ISO 8601 format", () -> parse(
                "x-amz-object-lock-mode", "COMPLIANCE", "x-amz-object-lock-retain-until-date", "tomorrow"));
        refused(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be in the future!", () -> parse(
                "x-amz-object-lock-mode", "COMPLIANCE", "x-amz-object-lock-retain-until-date", "2026-12-06T23:59:59Z"));
        refused(S3ErrorCode.INVALID_ARGUMENT, "Legal Hold must be either of 'ON' or 'OFF'",
                () -> parse("x-amz-object-lock-legal-hold", "on"));
        assertNull(parse("x-amz-object-lock-legal-hold", "OFF").mode());
    }

    static byte[] xml(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void lockConfigurationsAreCheckedAsS3Does() {
        var ok = ObjectLockOperations.LockConfiguration.parse(xml("<ObjectLockConfiguration><ObjectLockEnabled>Enabled"
                + "</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>2</Years></DefaultRetention>"
                + "</Rule></ObjectLockConfiguration>"));
        assertEquals("2", ok.rule.defaultRetention.years);
        assertNull(ok.rule.defaultRetention.days);
        assertNull(ObjectLockOperations.LockConfiguration.parse(xml("<ObjectLockConfiguration><ObjectLockEnabled>Enabled"
                + "</ObjectLockEnabled></ObjectLockConfiguration>")).rule);
        for (String bad : new String[] {
            "<ObjectLockConfiguration/>",
            "<ObjectLockConfiguration><ObjectLockEnabled>Disabled</ObjectLockEnabled></ObjectLockConfiguration>",
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule/></ObjectLockConfiguration>",
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE"
                    + "</Mode><Days>1</Days><Years>1</Years></DefaultRetention></Rule></ObjectLockConfiguration>",
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE"
                    + "</Mode></DefaultRetention></Rule></ObjectLockConfiguration>",
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>BAD"
                    + "</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>",
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE"
                    + "</Mode><Days>x</Days></DefaultRetention></Rule></ObjectLockConfiguration>",
            "<Foo><ObjectLockEnabled>Enabled</ObjectLockEnabled></Foo>"}) {
            refused(S3ErrorCode.MALFORMED_XML, null, () -> ObjectLockOperations.LockConfiguration.parse(xml(bad)));
        }
        var zero = refused(S3ErrorCode.INVALID_ARGUMENT, "Default retention period must be a positive integer value.",
                () -> ObjectLockOperations.LockConfiguration.parse(xml("<ObjectLockConfiguration><ObjectLockEnabled>Enabled"
                        + "</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>0</Days></DefaultRetention>"
                        + "</Rule></ObjectLockConfiguration>")));
        assertEquals("Days", zero.details().get("ArgumentName"));
        refused(S3ErrorCode.INVALID_ARGUMENT, "Default retention period too large.",
                () -> ObjectLockOperations.LockConfiguration.parse(xml("<ObjectLockConfiguration><ObjectLockEnabled>Enabled"
                        + "</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Years>101</Years>"
                        + "</DefaultRetention></Rule></ObjectLockConfiguration>")));
    }

    @Test
    void retentionDocumentsAreCheckedAsS3Does() {
        var r = ObjectLockOperations.Retention.parse(xml("<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>"
                + "2026-12-09T00:00:00Z</RetainUntilDate></Retention>"), NOW);
        assertEquals("2026-12-09T00:00:00.000Z", r.retainUntilDate);
        var empty = ObjectLockOperations.Retention.parse(xml("<Retention/>"), NOW);
        assertNull(empty.mode);
        refused(S3ErrorCode.MALFORMED_XML, null, () -> ObjectLockOperations.Retention.parse(xml(
                "<Retention><Mode>GOVERNANCE</Mode></Retention>"), NOW));
        refused(S3ErrorCode.MALFORMED_XML, null, () -> ObjectLockOperations.Retention.parse(xml(
                "<Retention><Mode>X</Mode><RetainUntilDate>2026-12-09T00:00:00Z</RetainUntilDate></Retention>"), NOW));
        refused(S3ErrorCode.MALFORMED_XML, null, () -> ObjectLockOperations.Retention.parse(xml(
                "<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>1577836800</RetainUntilDate></Retention>"), NOW));
        var past = refused(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be in the future!",
                () -> ObjectLockOperations.Retention.parse(xml("<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>"
                        + "2026-12-01T00:00:00Z</RetainUntilDate></Retention>"), NOW));
        assertEquals("RetainUntilDate", past.details().get("ArgumentName"));
    }

    @Test
    void minioRefusalsBecomeS3s() {
        S3Exception locked = ErrorTranslator.fromBackendLock("InvalidRequest", "Object is WORM protected and cannot be overwritten");
        assertEquals(S3ErrorCode.ACCESS_DENIED, locked.code());
        assertEquals("Access Denied because object protected by object lock.", locked.getMessage());
        assertEquals("Bucket is missing Object Lock Configuration",
                ErrorTranslator.fromBackendLock("InvalidRequest", "Bucket is missing ObjectLockConfiguration").getMessage());
        assertNull(ErrorTranslator.fromBackendLock("InvalidRequest", "something else"));
        assertNull(ErrorTranslator.fromBackendLock("AccessDenied", "Object is WORM protected and cannot be overwritten"));
    }
}
