package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Object operations through the AWS SDK for Java v2 with its default settings (CRC32, aws-chunked). */
class SdkObjectsIT {
    static S3Client s3;
    static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        bucket = Clients.bucketName("objects");
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String md5Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void putThenGetReturnsTheSameBytesAndMd5Etag() throws Exception {
        byte[] data = random(300_000);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("a/b c+d.bin").contentType("application/x-test")
                .metadata(Map.of("color", "blue")), RequestBody.fromBytes(data));
        assertEquals("\"" + md5Hex(data) + "\"", put.eTag());
        assertNotNull(put.checksumCRC32(), "the SDK's default CRC32 is verified and echoed");
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("a/b c+d.bin"));
        assertArrayEquals(data, got.asByteArray());
        assertEquals("application/x-test", got.response().contentType());
        assertEquals("blue", got.response().metadata().get("color"));
        assertEquals(put.eTag(), got.response().eTag());
    }

    @Test
    void emptyObjectRoundTrips() {
        s3.putObject(b -> b.bucket(bucket).key("empty"), RequestBody.empty());
        assertEquals(0, s3.getObjectAsBytes(b -> b.bucket(bucket).key("empty")).asByteArray().length);
        assertEquals(0L, s3.headObject(b -> b.bucket(bucket).key("empty")).contentLength());
    }

    @Test
    void headObjectShowsEntityHeadersAndMetadata() {
        s3.putObject(b -> b.bucket(bucket).key("head").cacheControl("max-age=60").contentDisposition("inline")
                .contentLanguage("de").contentEncoding("identity").metadata(Map.of("k", "v")),
                RequestBody.fromString("x"));
        HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key("head"));
        assertEquals("max-age=60", h.cacheControl());
        assertEquals("inline", h.contentDisposition());
        assertEquals("de", h.contentLanguage());
        assertEquals("v", h.metadata().get("k"));
        assertEquals(1L, h.contentLength());
    }

    @Test
    void checksumsAreStoredAndReturnedWithChecksumMode() {
        for (ChecksumAlgorithm alg : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256)) {
            String key = "ck-" + alg;
            PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key(key).checksumAlgorithm(alg),
                    RequestBody.fromString("checksummed " + alg));
            HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            String sent = switch (alg) {
                case CRC32 -> put.checksumCRC32();
                case CRC32_C -> put.checksumCRC32C();
                case SHA1 -> put.checksumSHA1();
                case SHA256 -> put.checksumSHA256();
                default -> put.checksumCRC64NVME();
            };
            String stored = switch (alg) {
                case CRC32 -> h.checksumCRC32();
                case CRC32_C -> h.checksumCRC32C();
                case SHA1 -> h.checksumSHA1();
                case SHA256 -> h.checksumSHA256();
                default -> h.checksumCRC64NVME();
            };
            assertNotNull(sent, alg + " echoed on PUT");
            assertEquals(sent, stored, alg + " returned on HEAD with checksum mode");
        }
    }

    @Test
    void rangesSingleSuffixAndOpenEnded() {
        byte[] data = random(1000);
        s3.putObject(b -> b.bucket(bucket).key("ranged"), RequestBody.fromBytes(data));
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket(bucket).key("ranged").range("bytes=10-19"));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, 20), r.asByteArray());
        assertEquals("bytes 10-19/1000", r.response().contentRange());
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 990, 1000),
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("ranged").range("bytes=-10")).asByteArray());
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 995, 1000),
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("ranged").range("bytes=995-")).asByteArray());
        S3Exception e = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("ranged").range("bytes=5000-6000")));
        assertEquals(416, e.statusCode());
        assertEquals("InvalidRange", e.awsErrorDetails().errorCode());
    }

    @Test
    void conditionalGetsGive304And412() {
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("cond"), RequestBody.fromString("c"));
        S3Exception notModified = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("cond").ifNoneMatch(put.eTag())));
        assertEquals(304, notModified.statusCode());
        S3Exception failed = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("cond").ifMatch("\"0123\"")));
        assertEquals(412, failed.statusCode());
        assertEquals("PreconditionFailed", failed.awsErrorDetails().errorCode());
        Instant future = Instant.now().plusSeconds(3600);
        assertEquals(304, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("cond").ifModifiedSince(future))).statusCode());
        assertEquals(412, assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(
                b -> b.bucket(bucket).key("cond").ifUnmodifiedSince(Instant.now().minusSeconds(3600)))).statusCode());
        assertEquals("c", s3.getObjectAsBytes(b -> b.bucket(bucket).key("cond").ifMatch(put.eTag())).asUtf8String());
    }

    @Test
    void conditionalPutsCompareTheEtagClientsSee() {
        // S3's conditional writes: If-None-Match: * creates only; If-Match overwrites only the ETag seen
        PutObjectResponse first = s3.putObject(b -> b.bucket(bucket).key("cond-put").ifNoneMatch("*"),
                RequestBody.fromString("first"));
        S3Exception exists = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("cond-put")
                .ifNoneMatch("*"), RequestBody.fromString("again")));
        assertEquals(412, exists.statusCode());
        S3Exception stale = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("cond-put")
                .ifMatch("\"0123456789abcdef0123456789abcdef\""), RequestBody.fromString("stale")));
        assertEquals(412, stale.statusCode());
        assertEquals("PreconditionFailed", stale.awsErrorDetails().errorCode());
        PutObjectResponse second = s3.putObject(b -> b.bucket(bucket).key("cond-put").ifMatch(first.eTag()),
                RequestBody.fromString("second"));
        assertEquals("second", s3.getObjectAsBytes(b -> b.bucket(bucket).key("cond-put")).asUtf8String());
        assertEquals(412, assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("cond-put")
                .ifMatch(first.eTag()), RequestBody.fromString("third"))).statusCode());
        assertEquals(second.eTag(), s3.headObject(b -> b.bucket(bucket).key("cond-put")).eTag());
        S3Exception missing = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket)
                .key("cond-put-missing").ifMatch(first.eTag()), RequestBody.fromString("x")));
        assertEquals(404, missing.statusCode());
        assertEquals("NoSuchKey", missing.awsErrorDetails().errorCode());
    }

    @Test
    void responseOverridesReplaceHeaders() {
        s3.putObject(b -> b.bucket(bucket).key("over").contentType("text/plain"), RequestBody.fromString("o"));
        GetObjectResponse r = s3.getObjectAsBytes(b -> b.bucket(bucket).key("over")
                .responseContentType("application/json").responseContentDisposition("attachment; filename=x.json")
                .responseCacheControl("no-cache")).response();
        assertEquals("application/json", r.contentType());
        assertEquals("attachment; filename=x.json", r.contentDisposition());
        assertEquals("no-cache", r.cacheControl());
    }

    @Test
    void deleteObjectThenGetIsNoSuchKey() {
        s3.putObject(b -> b.bucket(bucket).key("gone"), RequestBody.fromString("g"));
        s3.deleteObject(b -> b.bucket(bucket).key("gone"));
        NoSuchKeyException e = assertThrows(NoSuchKeyException.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("gone")));
        assertEquals(404, e.statusCode());
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key("gone"))).statusCode());
        s3.deleteObject(b -> b.bucket(bucket).key("never-existed"));
    }

    @Test
    void deleteObjectsReportsDeletedKeysAndQuietModeOnlyErrors() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            s3.putObject(b -> b.bucket(bucket).key("del/" + n), RequestBody.fromString("d"));
        }
        var loud = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                o -> o.key("del/0"), o -> o.key("del/1"), o -> o.key("del/missing"))));
        assertEquals(3, loud.deleted().size());
        var quiet = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.quiet(true).objects(
                o -> o.key("del/2"), o -> o.key("del/3"))));
        assertEquals(0, quiet.deleted().size());
        assertEquals(1, s3.listObjectsV2(b -> b.bucket(bucket).prefix("del/")).keyCount());
    }

    @Test
    void copyObjectKeepsOrReplacesMetadata() {
        s3.putObject(b -> b.bucket(bucket).key("src dir/ü file").contentType("text/x-src").metadata(Map.of("m", "1")),
                RequestBody.fromString("copy me"));
        var copied = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src dir/ü file")
                .destinationBucket(bucket).destinationKey("dst-copy"));
        assertNotNull(copied.copyObjectResult().eTag());
        HeadObjectResponse kept = s3.headObject(b -> b.bucket(bucket).key("dst-copy"));
        assertEquals("1", kept.metadata().get("m"));
        assertEquals("text/x-src", kept.contentType());
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src dir/ü file").destinationBucket(bucket)
                .destinationKey("dst-replace").metadataDirective(MetadataDirective.REPLACE)
                .contentType("text/x-new").metadata(Map.of("n", "2")));
        HeadObjectResponse replaced = s3.headObject(b -> b.bucket(bucket).key("dst-replace"));
        assertEquals("2", replaced.metadata().get("n"));
        assertEquals(null, replaced.metadata().get("m"));
        assertEquals("text/x-new", replaced.contentType());
        assertEquals("copy me", s3.getObjectAsBytes(b -> b.bucket(bucket).key("dst-replace")).asUtf8String());
    }

    @Test
    void copyOntoItselfWithoutChangesIsInvalidRequest() {
        s3.putObject(b -> b.bucket(bucket).key("self"), RequestBody.fromString("s"));
        S3Exception e = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("self")
                .destinationBucket(bucket).destinationKey("self")));
        assertEquals("InvalidRequest", e.awsErrorDetails().errorCode());
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("self").destinationBucket(bucket).destinationKey("self")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("x", "y")));
        assertEquals("y", s3.headObject(b -> b.bucket(bucket).key("self")).metadata().get("x"));
    }

    @Test
    void copySourceConditionsAreEnforced() {
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("csrc"), RequestBody.fromString("c"));
        S3Exception e = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("csrc")
                .destinationBucket(bucket).destinationKey("cdst").copySourceIfMatch("\"nope\"")));
        assertEquals(412, e.statusCode());
        assertEquals(412, assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("csrc").destinationBucket(bucket).destinationKey("cdst")
                .copySourceIfNoneMatch(put.eTag()))).statusCode());
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("csrc").destinationBucket(bucket).destinationKey("cdst")
                .copySourceIfMatch(put.eTag()));
        assertEquals("c", s3.getObjectAsBytes(b -> b.bucket(bucket).key("cdst")).asUtf8String());
    }

    @Test
    void unicodeAndSpecialKeysRoundTrip() {
        for (String key : List.of("日本語/ファイル.txt", "with space", "plus+sign", "percent%25", "trailing/",
                "q?mark", "hash#tag", "amp&and=eq", "~tilde")) {
            s3.putObject(b -> b.bucket(bucket).key("k/" + key), RequestBody.fromString(key));
            assertEquals(key, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k/" + key)).asUtf8String(), key);
        }
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket).prefix("k/")).contents().stream()
                .anyMatch(o -> o.key().equals("k/日本語/ファイル.txt")));
        // MinIO cannot store keys with an empty path segment; the client gets a clear 400, not a 5xx
        S3Exception e = assertThrows(S3Exception.class,
                () -> s3.putObject(b -> b.bucket(bucket).key("a//double"), RequestBody.fromString("x")));
        assertEquals(400, e.statusCode());
    }

    @Test
    void objectTagsArePutReadAndDeleted() {
        s3.putObject(b -> b.bucket(bucket).key("tagged").tagging("a=1&b=2"), RequestBody.fromString("t"));
        assertEquals(2, s3.getObjectTagging(b -> b.bucket(bucket).key("tagged")).tagSet().size());
        s3.putObjectTagging(b -> b.bucket(bucket).key("tagged").tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("only").value("one").build())));
        var tags = s3.getObjectTagging(b -> b.bucket(bucket).key("tagged")).tagSet();
        assertEquals(List.of("only"), tags.stream().map(software.amazon.awssdk.services.s3.model.Tag::key).toList());
        s3.deleteObjectTagging(b -> b.bucket(bucket).key("tagged"));
        assertEquals(0, s3.getObjectTagging(b -> b.bucket(bucket).key("tagged")).tagSet().size());
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectTagging(b -> b.bucket(bucket).key("no-such")));
    }

    @Test
    void presignedGetWorksAndExpiredIsAccessDenied() throws Exception {
        s3.putObject(b -> b.bucket(bucket).key("pre"), RequestBody.fromString("presigned"));
        try (var presigner = Clients.presigner()) {
            var url = presigner.presignGetObject(b -> b.signatureDuration(java.time.Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(bucket).key("pre"))).url();
            var conn = (java.net.HttpURLConnection) url.openConnection();
            assertEquals(200, conn.getResponseCode());
            assertEquals("presigned", new String(conn.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            var shortUrl = presigner.presignGetObject(b -> b.signatureDuration(java.time.Duration.ofSeconds(1))
                    .getObjectRequest(g -> g.bucket(bucket).key("pre"))).url();
            Thread.sleep(2100);
            var expired = (java.net.HttpURLConnection) shortUrl.openConnection();
            assertEquals(403, expired.getResponseCode());
            String body = new String(expired.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("<Code>AccessDenied</Code>") && body.contains("Request has expired"), body);
        }
    }

    @Test
    void asyncClientPutsAndGets() throws Exception {
        try (var async = Clients.asyncSdk()) {
            byte[] data = random(2_000_000);
            async.putObject(b -> b.bucket(bucket).key("async"), software.amazon.awssdk.core.async.AsyncRequestBody.fromBytes(data)).get();
            byte[] back = async.getObject(b -> b.bucket(bucket).key("async"),
                    software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes()).get().asByteArray();
            assertArrayEquals(data, back);
            assertEquals(1, async.listObjectsV2(b -> b.bucket(bucket).prefix("async")).get().keyCount());
        }
    }
}
