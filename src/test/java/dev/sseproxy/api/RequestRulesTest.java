package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The request rules the operations rely on: conditions, ranges, copy sources, names, headers. */
class RequestRulesTest {
    static final Instant LM = Instant.parse("2026-01-10T10:00:00Z");

    static S3ErrorCode condition(Map<String, String> h) {
        try {
            Conditions.check(h::get, "", "\"abc\"", LM, false);
            return null;
        } catch (S3Exception e) {
            return e.code();
        }
    }

    @Test
    void conditionalHeadersFollowS3Precedence() {
        assertEquals(null, condition(Map.of("if-match", "\"abc\"")));
        assertEquals(null, condition(Map.of("if-match", "*")));
        assertEquals(S3ErrorCode.PRECONDITION_FAILED, condition(Map.of("if-match", "\"zzz\"")));
        assertEquals(S3ErrorCode.NOT_MODIFIED, condition(Map.of("if-none-match", "abc")));
        assertEquals(null, condition(Map.of("if-none-match", "\"zzz\"")));
        assertEquals(S3ErrorCode.NOT_MODIFIED, condition(Map.of("if-modified-since", "Sat, 10 Jan 2026 10:00:00 GMT")));
        assertEquals(null, condition(Map.of("if-modified-since", "Fri, 09 Jan 2026 10:00:00 GMT")));
        assertEquals(S3ErrorCode.PRECONDITION_FAILED, condition(Map.of("if-unmodified-since", "Fri, 09 Jan 2026 10:00:00 GMT")));
        // a true If-Match wins over a false If-Unmodified-Since; a false If-None-Match over a true If-Modified-Since
        assertEquals(null, condition(Map.of("if-match", "\"abc\"", "if-unmodified-since", "Fri, 09 Jan 2026 10:00:00 GMT")));
        assertEquals(null, condition(Map.of("if-none-match", "\"zzz\"", "if-modified-since", "Sun, 11 Jan 2026 10:00:00 GMT")));
        assertEquals(null, condition(Map.of("if-modified-since", "not a date")));
    }

    @Test
    void copySourceConditionsAnswer412NotNotModified() {
        S3Exception e = assertThrows(S3Exception.class,
                () -> Conditions.check(Map.of("x-amz-copy-source-if-none-match", "\"abc\"")::get, "x-amz-copy-source-", "\"abc\"", LM, true));
        assertEquals(S3ErrorCode.PRECONDITION_FAILED, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-0", "bytes=10-19", "bytes=-5", "bytes=7-"})
    void singleRangesAreHonoured(String r) {
        assertTrue(Ranges.isSingleByteRange(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=5-3", "bytes=0-1,5-6", "items=0-1", "bytes=", "bytes=a-b", "0-10"})
    void otherRangesAreIgnored(String r) {
        assertFalse(Ranges.isSingleByteRange(r));
    }

    @Test
    void copySourceIsUrlDecodedWithOrWithoutLeadingSlash() {
        assertEquals(new CopySource("b", "dir/a b+c.txt", null), CopySource.parse("/b/dir/a%20b%2Bc.txt"));
        assertEquals(new CopySource("b", "ü", "null"), CopySource.parse("b/%C3%BC?versionId=null"));
        assertEquals("/b/dir/a%20b%2Bc.txt", CopySource.parse("b/dir/a%20b%2Bc.txt").backendHeader());
        assertThrows(S3Exception.class, () -> CopySource.parse("bucket-only"));
        assertThrows(S3Exception.class, () -> CopySource.parse("b/k?versionId=3HL4kqtJlcpXroDTDmJ"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my-bucket", "my.bucket.1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void validBucketNames(String name) {
        assertDoesNotThrow(() -> BucketOperations.CreateBucket.checkName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Upper", "under_score", "-start", "end-", "a..b", "192.168.1.1", "xn--abc",
        "sthree-x", "x-s3alias", "x--ol-s3", "a.-b"})
    void invalidBucketNames(String name) {
        assertEquals(S3ErrorCode.INVALID_BUCKET_NAME,
                assertThrows(S3Exception.class, () -> BucketOperations.CreateBucket.checkName(name)).code());
    }

    @Test
    void awsChunkedIsStrippedFromStoredContentEncoding() {
        assertEquals("", ObjectHeaders.stripAwsChunked("aws-chunked"));
        assertEquals("gzip", ObjectHeaders.stripAwsChunked("aws-chunked,gzip"));
        assertEquals("gzip,br", ObjectHeaders.stripAwsChunked("gzip, aws-chunked, br"));
    }

    @Test
    void keysOver1024BytesAreTooLong() {
        assertDoesNotThrow(() -> KeyRules.check("k".repeat(1024)));
        assertEquals(S3ErrorCode.KEY_TOO_LONG, assertThrows(S3Exception.class, () -> KeyRules.check("é".repeat(513))).code());
    }

    @Test
    void errorXmlCarriesCodeMessageResourceAndRequestId() {
        String xml = ErrorResponder.xml(S3Exception.noSuchKey("a<b"), "/bkt/a<b", "0123456789ABCDEF");
        assertTrue(xml.startsWith("<?xml"), xml);
        assertTrue(xml.contains("<Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"), xml);
        assertTrue(xml.contains("<Key>a&lt;b</Key>") && xml.contains("<Resource>/bkt/a&lt;b</Resource>"), xml);
        assertTrue(xml.contains("<RequestId>0123456789ABCDEF</RequestId><HostId>"), xml);
    }
}
