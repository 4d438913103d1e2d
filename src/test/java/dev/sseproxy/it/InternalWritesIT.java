package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * {@code sse.InternalWrites} (issue 13) end to end, through the root-only {@code /admin/internal} routes
 * of a dedicated proxy that runs with the test hook on: a plaintext object of an adopted MinIO bucket
 * re-encrypted in place (ciphertext at rest, byte-exact reads, metadata and tags kept), the copy's
 * conditions (the client ETag it expects; a client write between its read and its write, made
 * deterministic by the pause hook), authorization of the acting IAM user, service-principal writes under
 * S3's documented inventory destination policy, and the CloudTrail events.
 */
class InternalWritesIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BATCH = "batchoperations.s3.amazonaws.com";
    static ProxyProcess proxy;
    static HttpClient http;
    static MinioClient minio;
    static String[] tenant;
    static S3Client s3;

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.startDedicated("internal-writes", 970, Map.of("SSE_PROXY_INTERNAL_WRITES_TEST_HOOKS", "true"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        minio = Clients.backend();
        tenant = proxy.newAccount("iw-tenant");
        s3 = Clients.sdk(proxy.endpoint(), tenant[1], tenant[2]);
    }

    @AfterAll
    static void tearDown() {
        if (s3 != null) {
            s3.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    // ---- copyInPlace --------------------------------------------------------------------------

    @Test
    void plaintextObjectsOfAnAdoptedBucketAreReEncryptedInPlaceWithMetadataAndTagsKept() throws Exception {
        String bucket = adoptedBucket("iw-adopt");
        byte[] small = random(200_000, 1);
        byte[] large = random(3 * 1024 * 1024 + 17, 2); // above the 1 MiB buffer limit: the streaming path
        for (var o : Map.of("small.bin", small, "large.bin", large).entrySet()) {
            minio.putObject(PutObjectArgs.builder().bucket(bucket).object(o.getKey())
                    .stream(new ByteArrayInputStream(o.getValue()), (long) o.getValue().length, -1L)
                    .contentType("application/x-test").userMetadata(Map.of("owner", "alice"))
                    .tags(Map.of("project", "apollo", "tier", "gold")).build());
        }
        assertNull(s3.headObject(b -> b.bucket(bucket).key("small.bin")).serverSideEncryption(), "NOT-SSE before");

        for (var o : Map.of("small.bin", small, "large.bin", large).entrySet()) {
            String key = o.getKey();
            JsonNode copied = ok(call("/admin/internal/copy-in-place", body("bucket", bucket, "key", key)
                    .put("sse", "aws:kms").put("bucketKey", true)));
            assertEquals("aws:kms", copied.path("sse").asText(), copied::toString);
            assertTrue(copied.path("bucketKey").asBoolean(), copied::toString);
            assertTrue(copied.path("kmsKeyArn").asText().startsWith("arn:aws:kms:"), copied::toString);

            byte[] atRest = backendBytes(bucket, key);
            assertFalse(Arrays.equals(o.getValue(), atRest), key + " is stored in clear");
            assertFalse(contains(atRest, Arrays.copyOfRange(o.getValue(), 1000, 1064)), key + " has plaintext at rest");

            ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            assertArrayEquals(o.getValue(), read.asByteArray(), key + " reads back byte-exact");
            GetObjectResponse r = read.response();
            assertEquals(ServerSideEncryption.AWS_KMS, r.serverSideEncryption());
            assertEquals(Boolean.TRUE, r.bucketKeyEnabled());
            assertEquals(copied.path("kmsKeyArn").asText(), r.ssekmsKeyId());
            assertEquals("application/x-test", r.contentType());
            assertEquals("alice", r.metadata().get("owner"));
            assertEquals("\"" + copied.path("etag").asText() + "\"", r.eTag());
            assertEquals(Map.of("project", "apollo", "tier", "gold"), s3.getObjectTagging(b -> b.bucket(bucket).key(key))
                    .tagSet().stream().collect(Collectors.toMap(Tag::key, Tag::value)));
        }

        // CloudTrail: a CopyObject data event with SSEApplied, the actor and invokedBy
        JsonNode event = event("CopyObject", bucket, "small.bin");
        assertEquals("SSE_KMS", event.path("additionalEventData").path("SSEApplied").asText(), event::toString);
        assertEquals("Root", event.path("userIdentity").path("type").asText(), event::toString);
        assertEquals(tenant[0], event.path("userIdentity").path("accountId").asText(), event::toString);
        assertEquals(BATCH, event.path("userIdentity").path("invokedBy").asText(), event::toString);
        assertEquals(bucket, event.path("requestParameters").path("bucketName").asText(), event::toString);
        assertEquals("small.bin", event.path("requestParameters").path("key").asText(), event::toString);
        assertEquals("Data", event.path("eventCategory").asText(), event::toString);
    }

    @Test
    void multipartObjectsPlaintextAtMinioAndEncryptedThroughTheProxyAreReEncryptedWhole() throws Exception {
        String bucket = adoptedBucket("iw-mpu");
        byte[] legacy = random(11 * 1024 * 1024 + 5, 8);
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object("legacy-mpu")
                .stream(new ByteArrayInputStream(legacy), (long) legacy.length, 5L * 1024 * 1024).build());
        assertTrue(s3.headObject(b -> b.bucket(bucket).key("legacy-mpu")).eTag().endsWith("-3\""), "multipart at MinIO");
        byte[] encrypted = random(10 * 1024 * 1024 + 3, 9);
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("proxy-mpu")).uploadId();
        var p1 = s3.uploadPart(b -> b.bucket(bucket).key("proxy-mpu").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(Arrays.copyOfRange(encrypted, 0, 5 * 1024 * 1024)));
        var p2 = s3.uploadPart(b -> b.bucket(bucket).key("proxy-mpu").uploadId(upload).partNumber(2),
                RequestBody.fromBytes(Arrays.copyOfRange(encrypted, 5 * 1024 * 1024, encrypted.length)));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("proxy-mpu").uploadId(upload).multipartUpload(m -> m.parts(
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1).eTag(p1.eTag()).build(),
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(2).eTag(p2.eTag()).build())));
        assertEquals(ServerSideEncryption.AES256, s3.headObject(b -> b.bucket(bucket).key("proxy-mpu")).serverSideEncryption());

        for (var o : Map.of("legacy-mpu", legacy, "proxy-mpu", encrypted).entrySet()) {
            String etag = s3.headObject(b -> b.bucket(bucket).key(o.getKey())).eTag();
            ok(call("/admin/internal/copy-in-place", body("bucket", bucket, "key", o.getKey(), "expectedEtag", etag)
                    .put("sse", "aws:kms").put("bucketKey", true)));
            ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.getKey()));
            assertArrayEquals(o.getValue(), read.asByteArray(), o.getKey());
            assertEquals(ServerSideEncryption.AWS_KMS, read.response().serverSideEncryption(), o.getKey());
            byte[] atRest = backendBytes(bucket, o.getKey());
            assertFalse(contains(atRest, Arrays.copyOfRange(o.getValue(), 6_000_000, 6_000_064)), o.getKey());
        }
    }

    @Test
    void theBucketDefaultAppliesWhenNoEncryptionIsAskedAndAnUnchangedSelfCopyIsRefused() throws Exception {
        String bucket = adoptedBucket("iw-default");
        byte[] data = random(5000, 3);
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object("k").stream(new ByteArrayInputStream(data),
                (long) data.length, -1L).build());
        JsonNode copied = ok(call("/admin/internal/copy-in-place", body("bucket", bucket, "key", "k")));
        assertEquals("AES256", copied.path("sse").asText(), copied::toString);
        assertEquals(ServerSideEncryption.AES256, s3.headObject(b -> b.bucket(bucket).key("k")).serverSideEncryption());
        assertEquals("Default_SSE_S3", event("CopyObject", bucket, "k").path("additionalEventData").path("SSEApplied")
                .asText());
        // SSE-S3 already, the bucket's default not explicit, nothing asked: S3's "illegal copy"
        HttpResponse<String> again = call("/admin/internal/copy-in-place", body("bucket", bucket, "key", "k"));
        assertError(again, 400, "InvalidRequest");
        assertTrue(again.body().contains("copy an object to itself without changing"), again::body);
    }

    @Test
    void anExpectedEtagThatDiffersIs412AndTheObjectStaysAsItWas() throws Exception {
        String bucket = adoptedBucket("iw-etag");
        byte[] data = random(4000, 4);
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object("k").stream(new ByteArrayInputStream(data),
                (long) data.length, -1L).build());
        HttpResponse<String> r = call("/admin/internal/copy-in-place", body("bucket", bucket, "key", "k")
                .put("expectedEtag", "0123456789abcdef0123456789abcdef").put("sse", "aws:kms"));
        assertError(r, 412, "PreconditionFailed");
        assertArrayEquals(data, backendBytes(bucket, "k"), "untouched: still the plaintext MinIO had");
        String etag = s3.headObject(b -> b.bucket(bucket).key("k")).eTag();
        ok(call("/admin/internal/copy-in-place", body("bucket", bucket, "key", "k").put("expectedEtag", etag)
                .put("sse", "aws:kms")));
        assertEquals(ServerSideEncryption.AWS_KMS, s3.headObject(b -> b.bucket(bucket).key("k")).serverSideEncryption());
        assertError(call("/admin/internal/copy-in-place", body("bucket", bucket, "key", "missing")), 404, "NoSuchKey");
    }

    @Test
    void aClientWriteBetweenTheReadAndTheWriteIsNeverOverwritten() throws Exception {
        String bucket = Clients.newBucket(s3, "iw-race");
        for (int size : new int[] {10_000, 2 * 1024 * 1024}) {
            String key = "race-" + size;
            byte[] old = random(size, 5);
            byte[] newer = random(size / 2, 6);
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(old));
            String pause = "p" + size;
            CompletableFuture<HttpResponse<String>> copy = http.sendAsync(ProxyProcess.signed("POST",
                    proxy.managementEndpoint(), "/admin/internal/copy-in-place", null, body("bucket", bucket, "key", key)
                            .put("sse", "aws:kms").put("pause", pause).toString(), ProxyProcess.ROOT_ACCESS_KEY,
                    ProxyProcess.ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
            await(() -> paused(pause), "the copy reaches its pause (it has read the object)");
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(newer)); // the client's write
            ok(call("/admin/internal/pauses/" + pause + "/release", JSON.createObjectNode()));
            assertError(copy.get(), 412, "PreconditionFailed");
            ResponseBytes<GetObjectResponse> now = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            assertArrayEquals(newer, now.asByteArray(), key + ": the client's newer object is intact");
            assertEquals(ServerSideEncryption.AES256, now.response().serverSideEncryption(), key);
        }
    }

    @Test
    void theActingIamUserNeedsGetObjectAndPutObject() throws Exception {
        String bucket = Clients.newBucket(s3, "iw-iam");
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("data of k"));
        try (IamClient iam = IamUsersIT.iam(proxy.endpoint(), tenant[1], tenant[2])) {
            iam.createUser(r -> r.userName("reader-" + bucket));
            iam.putUserPolicy(r -> r.userName("reader-" + bucket).policyName("read").policyDocument(allow(bucket,
                    "\"s3:GetObject\"")));
            iam.createUser(r -> r.userName("writer-" + bucket));
            iam.putUserPolicy(r -> r.userName("writer-" + bucket).policyName("rw").policyDocument(allow(bucket,
                    "\"s3:GetObject\",\"s3:PutObject\"")));
        }
        assertError(call("/admin/internal/copy-in-place", body("bucket", bucket, "key", "k").put("account", tenant[0])
                .put("user", "reader-" + bucket).put("sse", "AES256")), 403, "AccessDenied");
        JsonNode denied = event("CopyObject", bucket, "k");
        assertEquals("AccessDenied", denied.path("errorCode").asText(), denied::toString);
        assertEquals("IAMUser", denied.path("userIdentity").path("type").asText(), denied::toString);
        assertEquals("reader-" + bucket, denied.path("userIdentity").path("userName").asText(), denied::toString);
        assertTrue(denied.path("userIdentity").path("principalId").asText().startsWith("AIDA"), denied::toString);

        // with s3:PutObject too, and a mode that asks no KMS rights: allowed
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        JsonNode ok = ok(call("/admin/internal/copy-in-place", body("bucket", bucket, "key", "k").put("account", tenant[0])
                .put("user", "writer-" + bucket)));
        assertEquals("AES256", ok.path("sse").asText());
        assertEquals("data of k", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String());
    }

    @Test
    void anSseCObjectCannotBeCopiedWithoutItsKey() throws Exception {
        String bucket = Clients.sseCBucket(s3, "iw-ssec");
        byte[] key = random(32, 7);
        String k64 = java.util.Base64.getEncoder().encodeToString(key);
        String md5 = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(key));
        try (S3Client tls = S3Client.builder().endpointOverride(proxy.tlsEndpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(tenant[1], tenant[2])))
                .forcePathStyle(true).httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                        .tlsTrustManagersProvider(() -> Clients.trustManagers(proxy.certificate())).build()).build()) {
            tls.putObject(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256").sseCustomerKey(k64)
                    .sseCustomerKeyMD5(md5), RequestBody.fromString("customer-keyed"));
        }
        HttpResponse<String> r = call("/admin/internal/copy-in-place", body("bucket", bucket, "key", "c")
                .put("sse", "AES256"));
        assertError(r, 400, "InvalidRequest");
        assertTrue(r.body().contains("The object was stored using a form of Server Side Encryption. The correct "
                + "parameters must be provided to retrieve the object."), r::body);
    }

    // ---- replaceTagging -----------------------------------------------------------------------

    @Test
    void replaceTaggingReplacesTheSetAndRefusesWhatS3Refuses() throws Exception {
        String bucket = Clients.newBucket(s3, "iw-tags");
        s3.putObject(b -> b.bucket(bucket).key("k").tagging("a=1&b=2"), RequestBody.fromString("x"));
        ObjectNode tags = JSON.createObjectNode().put("c", "3").put("with space", "v:1/2");
        ok(call("/admin/internal/tagging", body("bucket", bucket, "key", "k").set("tags", tags)));
        assertEquals(Map.of("c", "3", "with space", "v:1/2"), s3.getObjectTagging(b -> b.bucket(bucket).key("k"))
                .tagSet().stream().collect(Collectors.toMap(Tag::key, Tag::value)));
        JsonNode event = event("PutObjectTagging", bucket, "k");
        assertEquals(BATCH, event.path("userIdentity").path("invokedBy").asText(), event::toString);

        ObjectNode eleven = JSON.createObjectNode();
        for (int i = 0; i < 11; i++) {
            eleven.put("t" + i, "v");
        }
        HttpResponse<String> tooMany = call("/admin/internal/tagging", body("bucket", bucket, "key", "k").set("tags", eleven));
        assertEquals(400, tooMany.statusCode(), tooMany::body);
        assertError(call("/admin/internal/tagging", body("bucket", bucket, "key", "nope").set("tags", tags)), 404,
                "NoSuchKey");
    }

    // ---- putServiceObject ---------------------------------------------------------------------

    @Test
    void aServiceWriteNeedsTheDocumentedInventoryDestinationPolicy() throws Exception {
        String source = Clients.newBucket(s3, "iw-inv-src");
        String[] other = proxy.newAccount("iw-dest-owner");
        try (S3Client dest = Clients.sdk(proxy.endpoint(), other[1], other[2])) {
            String allowed = Clients.newBucket(dest, "iw-inv-dst");
            String closed = Clients.newBucket(dest, "iw-inv-closed");
            // S3 User Guide, "Grant permissions for S3 Inventory and S3 analytics" (destination bucket policy)
            dest.putBucketPolicy(b -> b.bucket(allowed).policy("""
                    {"Version":"2012-10-17","Statement":[{"Sid":"InventoryAndAnalyticsExamplePolicy","Effect":"Allow",
                     "Principal":{"Service":"s3.amazonaws.com"},"Action":"s3:PutObject",
                     "Resource":["arn:aws:s3:::%s/*"],
                     "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::%s"},
                      "StringEquals":{"aws:SourceAccount":"%s","s3:x-amz-acl":"bucket-owner-full-control"}}}]}
                    """.formatted(allowed, source, tenant[0])));
            ObjectNode report = JSON.createObjectNode().put("service", "s3.amazonaws.com").put("sourceAccount", tenant[0])
                    .put("sourceArn", "arn:aws:s3:::" + source).put("key", "inv/manifest.json")
                    .put("body", "{\"sourceBucket\":\"" + source + "\"}").put("contentType", "application/json");
            JsonNode written = ok(call("/admin/internal/service-object", report.deepCopy().put("bucket", allowed)));
            assertEquals("AES256", written.path("sse").asText(), written::toString);
            ResponseBytes<GetObjectResponse> got = dest.getObjectAsBytes(b -> b.bucket(allowed).key("inv/manifest.json"));
            assertEquals("{\"sourceBucket\":\"" + source + "\"}", got.asUtf8String());
            assertEquals("application/json", got.response().contentType());
            assertFalse(new String(backendBytes(allowed, "inv/manifest.json"), StandardCharsets.ISO_8859_1)
                    .contains("sourceBucket"), "the report is stored encrypted");
            JsonNode event = event("PutObject", allowed, "inv/manifest.json");
            assertEquals("AWSService", event.path("userIdentity").path("type").asText(), event::toString);
            assertEquals("s3.amazonaws.com", event.path("userIdentity").path("invokedBy").asText(), event::toString);
            assertEquals("Default_SSE_S3", event.path("additionalEventData").path("SSEApplied").asText(), event::toString);

            // an explicit SSE-KMS destination encryption (the inventory configuration's)
            JsonNode kms = ok(call("/admin/internal/service-object", report.deepCopy().put("bucket", allowed)
                    .put("key", "inv/data.csv.gz").put("sse", "aws:kms")));
            assertEquals("aws:kms", kms.path("sse").asText(), kms::toString);

            // another source account, another source bucket, or no policy at all: AccessDenied
            assertError(call("/admin/internal/service-object", report.deepCopy().put("bucket", allowed)
                    .put("sourceAccount", other[0])), 403, "AccessDenied");
            assertError(call("/admin/internal/service-object", report.deepCopy().put("bucket", allowed)
                    .put("sourceArn", "arn:aws:s3:::someone-elses")), 403, "AccessDenied");
            assertError(call("/admin/internal/service-object", report.deepCopy().put("bucket", closed)), 403, "AccessDenied");
            // the owner's own report (batch completion reports): allowed without a policy when ownerMayWrite
            ok(call("/admin/internal/service-object", report.deepCopy().put("bucket", closed).put("sourceAccount", other[0])
                    .put("ownerMayWrite", true)));
            assertError(call("/admin/internal/service-object", report.deepCopy().put("bucket", closed).put("ownerMayWrite",
                    true)), 403, "AccessDenied");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    static String allow(String bucket, String actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions
                + "],\"Resource\":\"arn:aws:s3:::" + bucket + "/*\"}]}";
    }

    /** A bucket made at MinIO directly and adopted for the tenant. */
    static String adoptedBucket(String prefix) throws Exception {
        String bucket = Clients.bucketName(prefix);
        minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        proxy.admin("POST", "/admin/buckets/" + bucket + "/adopt", "{\"account\":\"" + tenant[0] + "\"}");
        return bucket;
    }

    static ObjectNode body(String... kv) {
        ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            n.put(kv[i], kv[i + 1]);
        }
        return n;
    }

    static HttpResponse<String> call(String path, JsonNode body) throws Exception {
        return http.send(ProxyProcess.signed("POST", proxy.managementEndpoint(), path, null, body.toString(),
                ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, () -> r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r::body);
        assertEquals(code, JSON.readTree(r.body()).path("code").asText(), r::body);
    }

    static boolean paused(String name) {
        JsonNode n = proxy.admin("GET", "/admin/internal/pauses", "");
        for (JsonNode p : n.path("reached")) {
            if (p.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The newest CloudTrail record of {@code eventName} on that object, waiting for the audit writer. */
    static JsonNode event(String eventName, String bucket, String key) throws Exception {
        String arn = "arn:aws:s3:::" + bucket + "/" + key;
        String[] found = new String[1];
        await(() -> {
            found[0] = proxy.sql("SELECT record FROM audit_event WHERE event_name = '" + eventName + "' AND '" + arn
                    + "' = ANY(resource_names) ORDER BY event_time DESC LIMIT 1");
            return !found[0].isEmpty();
        }, eventName + " event of " + arn);
        return JSON.readTree(found[0]);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "waited 30 s for: " + what);
            Thread.sleep(50);
        }
    }

    static byte[] backendBytes(String bucket, String key) throws Exception {
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
