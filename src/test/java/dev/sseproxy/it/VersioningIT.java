package dev.sseproxy.it;

import static dev.sseproxy.it.SseObjectsIT.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Versioning (issue 15 item 1) through the AWS CLI v2 and the AWS SDK for Java v2, every version
 * checked at rest in MinIO (the SDK pointed at MinIO directly): ciphertext only, one envelope per
 * version, one backend version per PUT.
 */
class VersioningIT {
    static S3Client s3;
    static S3Client minio;
    static ProxyProcess proxy;
    static Path work;

    @BeforeAll
    static void setUp() throws IOException {
        proxy = ProxyProcess.get();
        s3 = Clients.sdk();
        minio = Clients.sdk(proxy.minioEndpoint(), ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD);
        work = Files.createTempDirectory("sse-proxy-versioning-it");
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        minio.close();
    }

    static byte[] text(String label, int n, long seed) {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(seed);
        while (sb.length() < n) {
            sb.append(label).append(" plaintext-marker-").append(r.nextInt(1000)).append('\n');
        }
        return sb.substring(0, n).getBytes(StandardCharsets.UTF_8);
    }

    static String versioned(String prefix) {
        String b = Clients.newBucket(s3, prefix);
        s3.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        return b;
    }

    /** Every version of {@code key} as MinIO holds it: ciphertext, with the proxy's envelope. */
    static void assertCiphertextAtRest(String bucket, String key, List<byte[]> plaintexts, int expectedVersions) {
        var versions = minio.listObjectVersions(x -> x.bucket(bucket).prefix(key)).versions().stream()
                .filter(v -> v.key().equals(key)).toList();
        assertEquals(expectedVersions, versions.size(), "backend versions of " + key);
        Set<String> wrapped = new HashSet<>();
        for (ObjectVersion v : versions) {
            var head = minio.headObject(x -> x.bucket(bucket).key(key).versionId(v.versionId()));
            Map<String, String> meta = head.metadata();
            assertTrue(meta.keySet().stream().anyMatch(k -> k.startsWith("sse-proxy-")), "no envelope on " + v.versionId());
            wrapped.add(String.valueOf(new java.util.TreeMap<>(meta)));
            byte[] stored = minio.getObjectAsBytes(x -> x.bucket(bucket).key(key).versionId(v.versionId())).asByteArray();
            for (byte[] p : plaintexts) {
                assertFalse(contains(stored, java.util.Arrays.copyOf(p, Math.min(p.length, 32))),
                        "plaintext at rest in version " + v.versionId());
            }
        }
        assertEquals(versions.size(), wrapped.size(), "each version has its own envelope");
    }

    // ------------------------------------------------------------------ the acceptance test

    @Test
    void awsCliRoundTripsThreeVersionsEachEncryptedAtRest() throws Exception {
        String bucket = Clients.newBucket(s3, "ver-cli");
        cli("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
        assertEquals("Enabled", cli("s3api", "get-bucket-versioning", "--bucket", bucket).get("Status").asText());
        List<byte[]> bodies = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // the first buffered (one backend PUT), the others streamed (the CLI's checksum is stamped afterwards)
            byte[] body = text("version " + i, i == 0 ? 3000 : 1024 * 1024 + 300_000 * i, i);
            Path f = work.resolve("v" + i);
            Files.write(f, body);
            JsonNode put = cli("s3api", "put-object", "--bucket", bucket, "--key", "doc.txt", "--body", f.toString());
            String id = put.get("VersionId").asText();
            assertNotEquals("null", id);
            assertEquals("\"" + md5Hex(body) + "\"", put.get("ETag").asText(), "SSE-S3 ETag is the plaintext MD5");
            bodies.add(body);
            ids.add(id);
        }
        assertEquals(3, new HashSet<>(ids).size());
        // one PUT, one version at rest (the ETag stamp rewrote the version in place)
        assertCiphertextAtRest(bucket, "doc.txt", bodies, 3);
        for (int i = 0; i < 3; i++) {
            Path out = work.resolve("out" + i);
            JsonNode get = cli("s3api", "get-object", "--bucket", bucket, "--key", "doc.txt", "--version-id", ids.get(i),
                    out.toString());
            assertEquals(ids.get(i), get.get("VersionId").asText());
            assertArrayEquals(bodies.get(i), Files.readAllBytes(out), "version " + i);
        }
        JsonNode del = cli("s3api", "delete-object", "--bucket", bucket, "--key", "doc.txt", "--version-id", ids.get(1));
        assertEquals(ids.get(1), del.get("VersionId").asText());
        JsonNode list = cli("s3api", "list-object-versions", "--bucket", bucket);
        List<String> listed = new ArrayList<>();
        list.get("Versions").forEach(v -> listed.add(v.get("VersionId").asText()));
        assertEquals(List.of(ids.get(2), ids.get(0)), listed);
        JsonNode latest = list.get("Versions").get(0);
        assertTrue(latest.get("IsLatest").asBoolean());
        assertEquals(bodies.get(2).length, latest.get("Size").asLong(), "plaintext size");
        assertEquals("\"" + md5Hex(bodies.get(2)) + "\"", latest.get("ETag").asText());
        JsonNode marker = cli("s3api", "delete-object", "--bucket", bucket, "--key", "doc.txt");
        assertTrue(marker.get("DeleteMarker").asBoolean());
        String markerId = marker.get("VersionId").asText();
        JsonNode after = cli("s3api", "list-object-versions", "--bucket", bucket);
        assertEquals(markerId, after.get("DeleteMarkers").get(0).get("VersionId").asText());
        assertTrue(after.get("DeleteMarkers").get(0).get("IsLatest").asBoolean());
        assertEquals(2, after.get("Versions").size());
        assertFalse(after.get("Versions").get(0).get("IsLatest").asBoolean());
        // the key is gone from ListObjects, its versions are still there
        assertEquals(0, s3.listObjectsV2(x -> x.bucket(bucket)).keyCount());
        assertArrayEquals(bodies.get(0), s3.getObjectAsBytes(x -> x.bucket(bucket).key("doc.txt").versionId(ids.get(0)))
                .asByteArray());
        assertCiphertextAtRest(bucket, "doc.txt", bodies, 2);
    }

    // ------------------------------------------------------------------ bucket configuration

    @Test
    void putBucketVersioningValidatesAndNeverGoesBackToUnversioned() {
        String b = Clients.newBucket(s3, "ver-conf");
        assertNull(s3.getBucketVersioning(x -> x.bucket(b)).status());
        // the SDK sends an unknown status as given
        S3Exception bad = assertThrows(S3Exception.class, () -> s3.putBucketVersioning(x -> x.bucket(b)
                .versioningConfiguration(c -> c.status("Off"))));
        assertEquals("MalformedXML", bad.awsErrorDetails().errorCode());
        S3Exception mfa = assertThrows(S3Exception.class, () -> s3.putBucketVersioning(x -> x.bucket(b)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED).mfaDelete("Enabled"))));
        assertEquals("AccessDenied", mfa.awsErrorDetails().errorCode());
        assertEquals(403, mfa.statusCode());
        assertNull(s3.getBucketVersioning(x -> x.bucket(b)).status());
        s3.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)));
        assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(x -> x.bucket(b)).status());
        s3.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(x -> x.bucket(b)).status());
        // MinIO versions the bucket too
        assertEquals(BucketVersioningStatus.ENABLED, minio.getBucketVersioning(x -> x.bucket(b)).status());
    }

    // ------------------------------------------------------------------ suspended: the null version

    @Test
    void suspendedBucketOverwritesTheNullVersionInPlace() {
        String b = versioned("ver-susp");
        String v1 = s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("first")).versionId();
        assertNotNull(v1);
        s3.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)));
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("second"));
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("third"));
        var versions = s3.listObjectVersions(x -> x.bucket(b)).versions();
        assertEquals(List.of("null", v1), versions.stream().map(ObjectVersion::versionId).toList());
        assertEquals("third", s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId("null")).asUtf8String());
        assertEquals("first", s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId(v1)).asUtf8String());
        var head = s3.headObject(x -> x.bucket(b).key("k"));
        assertEquals("null", head.versionId());
        assertEquals(5, head.contentLength());
        assertCiphertextAtRest(b, "k", List.of("first".getBytes(), "third".getBytes()), 2);
    }

    // ------------------------------------------------------------------ encryption per version

    @Test
    void sseKmsAndSseCVersionsEachReportTheirOwnEncryption() throws Exception {
        String b = Clients.sseCBucket(s3, "ver-enc");
        s3.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        String s3v = s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("sse-s3 body")).versionId();
        var kmsPut = s3.putObject(x -> x.bucket(b).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("sse-kms body"));
        byte[] raw = new byte[32];
        new Random(7).nextBytes(raw);
        String key = Base64.getEncoder().encodeToString(raw);
        String keyMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(raw));
        try (S3Client tls = Clients.tlsSdk()) {
            String cv = tls.putObject(x -> x.bucket(b).key("k").sseCustomerAlgorithm("AES256").sseCustomerKey(key)
                    .sseCustomerKeyMD5(keyMd5), RequestBody.fromString("sse-c body")).versionId();
            // the latest (SSE-C) needs its key; the older versions report their own modes
            var kmsHead = s3.headObject(x -> x.bucket(b).key("k").versionId(kmsPut.versionId()));
            assertEquals(ServerSideEncryption.AWS_KMS, kmsHead.serverSideEncryption());
            assertEquals(kmsPut.ssekmsKeyId(), kmsHead.ssekmsKeyId());
            var s3Head = s3.headObject(x -> x.bucket(b).key("k").versionId(s3v));
            assertEquals(ServerSideEncryption.AES256, s3Head.serverSideEncryption());
            assertEquals("sse-kms body", s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId(kmsPut.versionId()))
                    .asUtf8String());
            assertEquals("sse-c body", tls.getObjectAsBytes(x -> x.bucket(b).key("k").versionId(cv)
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(key).sseCustomerKeyMD5(keyMd5)).asUtf8String());
            assertEquals("400", String.valueOf(assertThrows(S3Exception.class,
                    () -> s3.headObject(x -> x.bucket(b).key("k").versionId(cv))).statusCode()));
            // ranges per version
            assertEquals("kms", s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId(kmsPut.versionId())
                    .range("bytes=4-6")).asUtf8String());
        }
        assertCiphertextAtRest(b, "k", List.of("sse-s3 body".getBytes(), "sse-kms body".getBytes(),
                "sse-c body".getBytes()), 3);
    }

    @Test
    void aStreamedPutWhoseChecksumIsStampedMakesOneVersion() {
        String b = versioned("ver-stamp");
        byte[] body = text("streamed", 2 * 1024 * 1024 + 123, 5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // more than the buffer limit, with a trailer checksum: encrypted as it streams, stamped afterwards
            var put = s3.putObject(x -> x.bucket(b).key("s").checksumAlgorithm(
                    software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32), RequestBody.fromInputStream(
                    new java.io.ByteArrayInputStream(body), body.length));
            assertEquals("\"" + md5Hex(body) + "\"", put.eTag());
            ids.add(put.versionId());
        }
        assertCiphertextAtRest(b, "s", List.of(body), 2);
        for (String id : ids) {
            var got = s3.getObject(x -> x.bucket(b).key("s").versionId(id).checksumMode(
                    software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED),
                    software.amazon.awssdk.core.sync.ResponseTransformer.toBytes());
            assertArrayEquals(body, got.asByteArray());
            assertEquals(id, got.response().versionId());
            assertEquals("\"" + md5Hex(body) + "\"", got.response().eTag());
            assertNotNull(got.response().checksumCRC32());
        }
    }

    // ------------------------------------------------------------------ multipart versions

    @Test
    void aMultipartVersionStaysReadableAfterAnOverwriteAndADeleteMarker() {
        String b = versioned("ver-mp");
        byte[] part1 = text("part one", 5 * 1024 * 1024, 1);
        byte[] part2 = text("part two", 1024 * 1024, 2);
        String upload = s3.createMultipartUpload(x -> x.bucket(b).key("big")).uploadId();
        String e1 = s3.uploadPart(x -> x.bucket(b).key("big").uploadId(upload).partNumber(1), RequestBody.fromBytes(part1)).eTag();
        String e2 = s3.uploadPart(x -> x.bucket(b).key("big").uploadId(upload).partNumber(2), RequestBody.fromBytes(part2)).eTag();
        var done = s3.completeMultipartUpload(x -> x.bucket(b).key("big").uploadId(upload).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        String mpVersion = done.versionId();
        assertNotNull(mpVersion);
        assertTrue(done.eTag().endsWith("-2\""), done.eTag());
        s3.putObject(x -> x.bucket(b).key("big"), RequestBody.fromString("small overwrite"));
        s3.deleteObject(x -> x.bucket(b).key("big"));
        byte[] whole = new byte[part1.length + part2.length];
        System.arraycopy(part1, 0, whole, 0, part1.length);
        System.arraycopy(part2, 0, whole, part1.length, part2.length);
        assertArrayEquals(whole, s3.getObjectAsBytes(x -> x.bucket(b).key("big").versionId(mpVersion)).asByteArray());
        var part = s3.getObject(x -> x.bucket(b).key("big").versionId(mpVersion).partNumber(2),
                software.amazon.awssdk.core.sync.ResponseTransformer.toBytes());
        assertArrayEquals(part2, part.asByteArray());
        assertEquals(2, part.response().partsCount());
        var v = s3.listObjectVersions(x -> x.bucket(b)).versions().stream()
                .filter(o -> o.versionId().equals(mpVersion)).findFirst().orElseThrow();
        assertEquals(whole.length, v.size());
        assertEquals(done.eTag(), v.eTag());
        // the completion's restamp made no second version
        assertEquals(2, minio.listObjectVersions(x -> x.bucket(b)).versions().size());
    }

    // ------------------------------------------------------------------ delete markers

    @Test
    void deleteMarkersAnswerAsS3Does() {
        String b = versioned("ver-dm");
        String v1 = s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("v1")).versionId();
        var marker = s3.deleteObject(x -> x.bucket(b).key("k"));
        assertTrue(marker.deleteMarker());
        String markerId = marker.versionId();
        assertNotNull(markerId);
        S3Exception get = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(x -> x.bucket(b).key("k")));
        assertEquals(404, get.statusCode());
        assertEquals("NoSuchKey", get.awsErrorDetails().errorCode());
        assertEquals("true", get.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker").orElse(null));
        assertEquals(markerId, get.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-version-id").orElse(null));
        S3Exception byId = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId(markerId)));
        assertEquals(405, byId.statusCode());
        assertEquals("MethodNotAllowed", byId.awsErrorDetails().errorCode());
        assertEquals(405, assertThrows(S3Exception.class,
                () -> s3.headObject(x -> x.bucket(b).key("k").versionId(markerId))).statusCode());
        S3Exception noVersion = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId("00000000-0000-0000-0000-000000000000")));
        assertEquals("NoSuchVersion", noVersion.awsErrorDetails().errorCode());
        S3Exception invalid = assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId("not-a-version")));
        assertEquals(400, invalid.statusCode());
        assertEquals("InvalidArgument", invalid.awsErrorDetails().errorCode());
        assertEquals("Invalid version id specified", invalid.awsErrorDetails().errorMessage());
        // removing the marker brings the object back
        var undelete = s3.deleteObject(x -> x.bucket(b).key("k").versionId(markerId));
        assertTrue(undelete.deleteMarker());
        assertEquals(markerId, undelete.versionId());
        var back = s3.getObject(x -> x.bucket(b).key("k"), software.amazon.awssdk.core.sync.ResponseTransformer.toBytes());
        assertEquals("v1", back.asUtf8String());
        assertEquals(v1, back.response().versionId());
    }

    // ------------------------------------------------------------------ listing and DeleteObjects

    @Test
    void listObjectVersionsPagesWithKeyAndVersionIdMarkers() {
        String b = versioned("ver-page");
        Map<String, String> etags = new java.util.HashMap<>();
        for (String k : List.of("a", "b", "c")) {
            for (int i = 0; i < 2; i++) {
                String body = k + "-" + i + "-" + "x".repeat(10 * (i + 1));
                var put = s3.putObject(x -> x.bucket(b).key(k), RequestBody.fromString(body));
                etags.put(put.versionId(), put.eTag() + "/" + body.length());
            }
        }
        s3.deleteObject(x -> x.bucket(b).key("b"));
        List<String> seen = new ArrayList<>();
        int markers = 0;
        String keyMarker = null;
        String versionMarker = null;
        int pages = 0;
        while (true) {
            String km = keyMarker;
            String vm = versionMarker;
            ListObjectVersionsResponse r = s3.listObjectVersions(x -> x.bucket(b).maxKeys(2).keyMarker(km).versionIdMarker(vm));
            pages++;
            for (ObjectVersion v : r.versions()) {
                assertEquals(etags.get(v.versionId()), v.eTag() + "/" + v.size(), "plaintext ETag and size of " + v.versionId());
                seen.add(v.versionId());
            }
            for (DeleteMarkerEntry d : r.deleteMarkers()) {
                assertEquals("b", d.key());
                assertTrue(d.isLatest());
                markers++;
            }
            assertTrue(r.versions().size() + r.deleteMarkers().size() <= 2);
            if (!r.isTruncated()) {
                break;
            }
            keyMarker = r.nextKeyMarker();
            versionMarker = r.nextVersionIdMarker();
            // S3's markers: the last key and version id listed, nothing of MinIO's listing cache
            assertTrue(List.of("a", "b", "c").contains(keyMarker), keyMarker);
            assertTrue(pages < 10);
        }
        assertEquals(6, seen.size());
        assertEquals(etags.keySet(), new HashSet<>(seen));
        assertEquals(1, markers);
        // ListObjects hides the delete-marked key and still shows plaintext sizes
        var listed = s3.listObjectsV2(x -> x.bucket(b)).contents();
        assertEquals(List.of("a", "c"), listed.stream().map(o -> o.key()).toList());
        assertEquals(List.of(24L, 24L), listed.stream().map(o -> o.size()).toList());
    }

    @Test
    void deleteObjectsWithVersionIdsAndDeleteMarkers() {
        String b = versioned("ver-multi");
        String v1 = s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("two")).versionId();
        var r = s3.deleteObjects(x -> x.bucket(b).delete(d -> d.objects(
                ObjectIdentifier.builder().key("k").versionId(v1).build(),
                ObjectIdentifier.builder().key("other").build(),
                ObjectIdentifier.builder().key("k").versionId("bogus").build())));
        var byKey = new java.util.HashMap<String, software.amazon.awssdk.services.s3.model.DeletedObject>();
        r.deleted().forEach(d -> byKey.put(d.key() + "/" + d.versionId(), d));
        assertTrue(byKey.containsKey("k/" + v1), byKey.toString());
        var other = r.deleted().stream().filter(d -> d.key().equals("other")).findFirst().orElseThrow();
        assertTrue(other.deleteMarker());
        assertNotNull(other.deleteMarkerVersionId());
        assertEquals(1, r.errors().size());
        assertEquals("InvalidArgument", r.errors().get(0).code());
        assertEquals("bogus", r.errors().get(0).versionId());
        assertEquals(List.of(v2), s3.listObjectVersions(x -> x.bucket(b).prefix("k")).versions().stream()
                .map(ObjectVersion::versionId).toList());
    }

    // ------------------------------------------------------------------ copies, tags, attributes

    @Test
    void copyTaggingAndAttributesAddressAVersion() {
        String b = versioned("ver-copy");
        String v1 = s3.putObject(x -> x.bucket(b).key("k").tagging("gen=one"), RequestBody.fromString("old body")).versionId();
        String v2 = s3.putObject(x -> x.bucket(b).key("k").tagging("gen=two"), RequestBody.fromString("new body!")).versionId();
        var copy = s3.copyObject(x -> x.sourceBucket(b).sourceKey("k").sourceVersionId(v1).destinationBucket(b)
                .destinationKey("restored"));
        assertEquals(v1, copy.copySourceVersionId());
        assertNotNull(copy.versionId());
        assertEquals("old body", s3.getObjectAsBytes(x -> x.bucket(b).key("restored")).asUtf8String());
        // a part copied from an older version
        String up = s3.createMultipartUpload(x -> x.bucket(b).key("parted")).uploadId();
        var partCopy = s3.uploadPartCopy(x -> x.sourceBucket(b).sourceKey("k").sourceVersionId(v1).destinationBucket(b)
                .destinationKey("parted").uploadId(up).partNumber(1));
        assertEquals(v1, partCopy.copySourceVersionId());
        s3.completeMultipartUpload(x -> x.bucket(b).key("parted").uploadId(up).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(partCopy.copyPartResult().eTag()).build())));
        assertEquals("old body", s3.getObjectAsBytes(x -> x.bucket(b).key("parted")).asUtf8String());
        // restoring an old version over its own key is allowed (not a copy onto itself)
        var restore = s3.copyObject(x -> x.sourceBucket(b).sourceKey("k").sourceVersionId(v1).destinationBucket(b)
                .destinationKey("k"));
        assertNotEquals(v2, restore.versionId());
        assertEquals("old body", s3.getObjectAsBytes(x -> x.bucket(b).key("k")).asUtf8String());
        var tags = s3.getObjectTagging(x -> x.bucket(b).key("k").versionId(v2));
        assertEquals(v2, tags.versionId());
        assertEquals("two", tags.tagSet().get(0).value());
        s3.putObjectTagging(x -> x.bucket(b).key("k").versionId(v1).tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("gen").value("retagged").build())));
        assertEquals("retagged", s3.getObjectTagging(x -> x.bucket(b).key("k").versionId(v1)).tagSet().get(0).value());
        assertEquals("two", s3.getObjectTagging(x -> x.bucket(b).key("k").versionId(v2)).tagSet().get(0).value());
        var attrs = s3.getObjectAttributes(x -> x.bucket(b).key("k").versionId(v2).objectAttributes(
                software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE,
                software.amazon.awssdk.services.s3.model.ObjectAttributes.E_TAG));
        assertEquals(9L, attrs.objectSize());
        assertEquals(v2, attrs.versionId());
        assertEquals(md5Hex("new body!".getBytes()), attrs.eTag());
        // object ACL calls address a version too (the ACL itself is kept per key)
        assertEquals(1, s3.getObjectAcl(x -> x.bucket(b).key("k").versionId(v1)).grants().size());
        assertEquals("NoSuchVersion", assertThrows(S3Exception.class, () -> s3.getObjectAcl(x -> x.bucket(b).key("k")
                .versionId("00000000-0000-0000-0000-000000000000"))).awsErrorDetails().errorCode());
        // conditional reads per version
        String v2Etag = s3.headObject(x -> x.bucket(b).key("k").versionId(v2)).eTag();
        assertEquals(412, assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(x -> x.bucket(b).key("k")
                .versionId(v1).ifMatch(v2Etag))).statusCode());
        assertEquals("new body!", s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId(v2).ifMatch(v2Etag))
                .asUtf8String());
    }

    // ------------------------------------------------------------------ IAM: the ...Version actions

    @Test
    void versionActionsAreDecidedOnTheirOwn() {
        String b = versioned("ver-iam");
        String v1 = s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("one")).versionId();
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("two"));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoVersions\",\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":[\"s3:GetObjectVersion\",\"s3:DeleteObjectVersion\","
                + "\"s3:ListBucketVersions\",\"s3:PutBucketVersioning\"],\"Resource\":[\"arn:aws:s3:::" + b
                + "\",\"arn:aws:s3:::" + b + "/*\"]}]}";
        s3.putBucketPolicy(x -> x.bucket(b).policy(policy));
        try {
            assertEquals("two", s3.getObjectAsBytes(x -> x.bucket(b).key("k")).asUtf8String());
            assertEquals(403, assertThrows(S3Exception.class,
                    () -> s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId(v1))).statusCode());
            assertEquals(403, assertThrows(S3Exception.class,
                    () -> s3.headObject(x -> x.bucket(b).key("k").versionId(v1))).statusCode());
            assertEquals(403, assertThrows(S3Exception.class,
                    () -> s3.deleteObject(x -> x.bucket(b).key("k").versionId(v1))).statusCode());
            assertEquals(403, assertThrows(S3Exception.class, () -> s3.listObjectVersions(x -> x.bucket(b))).statusCode());
            assertEquals(403, assertThrows(S3Exception.class, () -> s3.putBucketVersioning(x -> x.bucket(b)
                    .versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)))).statusCode());
            assertEquals(403, assertThrows(S3Exception.class, () -> s3.copyObject(x -> x.sourceBucket(b).sourceKey("k")
                    .sourceVersionId(v1).destinationBucket(b).destinationKey("c"))).statusCode());
            assertTrue(s3.deleteObject(x -> x.bucket(b).key("k")).deleteMarker());
        } finally {
            s3.deleteBucketPolicy(x -> x.bucket(b));
        }
        assertEquals("one", s3.getObjectAsBytes(x -> x.bucket(b).key("k").versionId(v1)).asUtf8String());
    }

    // ------------------------------------------------------------------ helpers

    static String md5Hex(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the AWS CLI v2 against the proxy as root; its JSON answer (an empty object for none). */
    static JsonNode cli(String... args) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory(work, "aws-home");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", proxy.endpoint().toString(),
                "--output", "json"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("AWS_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        Path out = home.resolve("stdout");
        Path err = home.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "aws " + String.join(" ", args) + " timed out");
        String stdout = Files.readString(out);
        assertEquals(0, p.exitValue(), "aws " + String.join(" ", args) + ": " + Files.readString(err));
        return stdout.isBlank() ? new ObjectMapper().createObjectNode() : new ObjectMapper().readTree(stdout);
    }
}
