package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.InventoryConfiguration;
import software.amazon.awssdk.services.s3.model.InventoryFormat;
import software.amazon.awssdk.services.s3.model.InventoryFrequency;
import software.amazon.awssdk.services.s3.model.InventoryIncludedObjectVersions;
import software.amazon.awssdk.services.s3.model.ListBucketInventoryConfigurationsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.SSES3;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * Issue 13, item 2, end to end: S3 Inventory configurations through the SDK v2 and the AWS CLI with
 * S3's errors, and reports in S3's layout for a bucket holding every kind of object (plaintext objects
 * put at MinIO before adoption, SSE-S3, SSE-KMS with and without a bucket key, SSE-C, multipart),
 * each row checked against what HEAD says, written encrypted, only where the destination's policy
 * lets the S3 service write, on demand and on schedule. Its own proxy: data files of 3 rows at most
 * (so a report spans several), a check every 2 seconds.
 */
class InventoryIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT_ACCOUNT = "000000000001";
    static final String ALL_FIELDS = "Size,LastModifiedDate,StorageClass,ETag,IsMultipartUploaded,ReplicationStatus,"
            + "EncryptionStatus,ObjectLockRetainUntilDate,ObjectLockMode,ObjectLockLegalHoldStatus,"
            + "IntelligentTieringAccessTier,BucketKeyStatus,ChecksumAlgorithm,ObjectAccessControlList,ObjectOwner,KMSKeyArn";
    static final String SCHEMA = "Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, "
            + "ReplicationStatus, EncryptionStatus, ObjectLockRetainUntilDate, ObjectLockMode, ObjectLockLegalHoldStatus, "
            + "IntelligentTieringAccessTier, BucketKeyStatus, ChecksumAlgorithm, ObjectAccessControlList, ObjectOwner, KMSKeyArn";

    static ProxyProcess proxy;
    static S3Client s3;
    static S3Client tls;
    static MinioClient minio;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        proxy = ProxyProcess.startDedicated("inventory", 900, Map.of("SSE_PROXY_INVENTORY_MAX_ROWS_PER_FILE", "3",
                "SSE_PROXY_INVENTORY_CHECK_INTERVAL", "2s"));
        s3 = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        tls = S3Client.builder().endpointOverride(proxy.tlsEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.builder()
                        .tlsTrustManagersProvider(() -> Clients.trustManagers(proxy.certificate())).build()).build();
        minio = Clients.backend();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
            tls.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    static InventoryConfiguration config(String id, String dest, boolean enabled, String... fields) {
        return InventoryConfiguration.builder().id(id).isEnabled(enabled)
                .includedObjectVersions(InventoryIncludedObjectVersions.CURRENT)
                .schedule(s -> s.frequency(InventoryFrequency.DAILY))
                .destination(d -> d.s3BucketDestination(x -> x.bucket("arn:aws:s3:::" + dest).format(InventoryFormat.CSV)
                        .prefix("reports").encryption(e -> e.sses3(SSES3.builder().build()))))
                .optionalFieldsWithStrings(fields).build();
    }

    static void put(String bucket, InventoryConfiguration c) {
        s3.putBucketInventoryConfiguration(r -> r.bucket(bucket).id(c.id()).inventoryConfiguration(c));
    }

    // ---- the configuration API --------------------------------------------------------------------

    @Test
    void configurationsArePutGotListedAndDeletedWithTheSdk() {
        String bucket = Clients.newBucket(s3, "inv-api");
        InventoryConfiguration c = config("coverage-1", "some-destination", false, "Size", "EncryptionStatus",
                "BucketKeyStatus", "KMSKeyArn").toBuilder().filter(f -> f.prefix("logs/")).build();
        put(bucket, c);
        assertEquals(c, s3.getBucketInventoryConfiguration(r -> r.bucket(bucket).id("coverage-1")).inventoryConfiguration());

        // a put replaces
        InventoryConfiguration weekly = c.toBuilder().schedule(s -> s.frequency(InventoryFrequency.WEEKLY)).build();
        put(bucket, weekly);
        assertEquals(weekly, s3.getBucketInventoryConfiguration(r -> r.bucket(bucket).id("coverage-1"))
                .inventoryConfiguration());

        s3.deleteBucketInventoryConfiguration(r -> r.bucket(bucket).id("coverage-1"));
        assertError(assertThrows(S3Exception.class, () -> s3.getBucketInventoryConfiguration(r -> r.bucket(bucket)
                .id("coverage-1"))), 404, "NoSuchConfiguration", "The specified configuration does not exist.");
        assertError(assertThrows(S3Exception.class, () -> s3.deleteBucketInventoryConfiguration(r -> r.bucket(bucket)
                .id("coverage-1"))), 404, "NoSuchConfiguration", "The specified configuration does not exist.");
        assertTrue(s3.listBucketInventoryConfigurations(r -> r.bucket(bucket)).inventoryConfigurationList().isEmpty());
    }

    @Test
    void aThousandConfigurationsAreListedAHundredAPageAndTheNextIsTooMany() {
        String bucket = Clients.newBucket(s3, "inv-many");
        // 990 stored directly (the limit is what is tested, not 990 more PUTs), the last 10 through the SDK
        proxy.sql("INSERT INTO inventory_configuration (bucket, id, enabled, dest_bucket, included_versions, optional_fields, "
                + "frequency) SELECT '" + bucket + "', 'cfg-' || lpad(i::text, 4, '0'), false, 'dest', 'Current', 'Size', "
                + "'Daily' FROM generate_series(0, 989) i");
        for (int i = 990; i < 1000; i++) {
            put(bucket, config(String.format("cfg-%04d", i), "dest", false, "Size"));
        }
        List<String> ids = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListBucketInventoryConfigurationsResponse page = s3.listBucketInventoryConfigurations(r -> r.bucket(bucket)
                    .continuationToken(t));
            assertTrue(page.inventoryConfigurationList().size() <= 100);
            assertEquals(t, page.continuationToken());
            page.inventoryConfigurationList().forEach(x -> ids.add(x.id()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
            pages++;
        } while (token != null);
        assertEquals(1000, ids.size());
        assertEquals(String.format("cfg-%04d", 999), ids.get(999));
        assertTrue(pages >= 10);
        assertError(assertThrows(S3Exception.class, () -> put(bucket, config("one-more", "dest", false))), 400,
                "TooManyConfigurations",
                "You are attempting to create a new configuration but have already reached the 1,000-configuration limit.");
        put(bucket, config("cfg-0000", "dest", false, "ETag")); // replacing one is still allowed
        assertError(assertThrows(S3Exception.class, () -> s3.listBucketInventoryConfigurations(r -> r.bucket(bucket)
                .continuationToken("not-a-token!"))), 400, "InvalidArgument", null);

        // deleting the bucket deletes its configurations
        s3.deleteBucket(r -> r.bucket(bucket));
        assertEquals("0", proxy.sql("SELECT count(*) FROM inventory_configuration WHERE bucket = '" + bucket + "'").trim());
        s3.createBucket(r -> r.bucket(bucket));
        assertTrue(s3.listBucketInventoryConfigurations(r -> r.bucket(bucket)).inventoryConfigurationList().isEmpty());
    }

    @Test
    void invalidConfigurationsGetS3sErrors() {
        String bucket = Clients.newBucket(s3, "inv-err");
        InventoryConfiguration ok = config("a", "dest", false, "Size");
        assertError(assertThrows(S3Exception.class, () -> s3.putBucketInventoryConfiguration(r -> r.bucket(bucket).id("b")
                .inventoryConfiguration(ok))), 400, "InvalidArgument", null);
        assertError(assertThrows(S3Exception.class, () -> put(bucket, ok.toBuilder().destination(d -> d.s3BucketDestination(
                x -> x.bucket("dest").format(InventoryFormat.CSV))).build())), 400, "InvalidS3DestinationBucket",
                "Invalid bucket ARN.");
        assertError(assertThrows(S3Exception.class, () -> put(bucket, ok.toBuilder().destination(d -> d.s3BucketDestination(
                x -> x.bucket("arn:aws:s3::000000000001:dest").format(InventoryFormat.CSV))).build())), 400,
                "InvalidS3DestinationBucket", "Bucket ARN should not specify a namespace.");
        assertError(assertThrows(S3Exception.class, () -> put(bucket, ok.toBuilder().destination(d -> d.s3BucketDestination(
                x -> x.bucket("arn:aws:s3:::dest").format(InventoryFormat.PARQUET))).build())), 501, "NotImplemented", null);
        assertError(assertThrows(S3Exception.class, () -> put(bucket, ok.toBuilder().schedule(s -> s.frequency("Monthly"))
                .build())), 400, "MalformedXML", null);
        assertError(assertThrows(S3Exception.class, () -> put(bucket, ok.toBuilder().optionalFieldsWithStrings("Colour")
                .build())), 400, "MalformedXML", null);
        String longId = "x".repeat(65);
        assertError(assertThrows(S3Exception.class, () -> put(bucket, ok.toBuilder().id(longId).build())), 400,
                "MalformedXML", null);
        assertTrue(s3.listBucketInventoryConfigurations(r -> r.bucket(bucket)).inventoryConfigurationList().isEmpty(),
                "nothing refused was stored");
    }

    @Test
    void theAwsCliPutsAndGetsAConfiguration() throws Exception {
        String bucket = Clients.newBucket(s3, "inv-cli");
        Path home = Files.createTempDirectory("inv-cli");
        String json = "{\"Destination\":{\"S3BucketDestination\":{\"AccountId\":\"" + ROOT_ACCOUNT + "\",\"Bucket\":"
                + "\"arn:aws:s3:::cli-destination\",\"Format\":\"CSV\",\"Prefix\":\"inv\",\"Encryption\":{\"SSEKMS\":"
                + "{\"KeyId\":\"arn:aws:kms:us-east-1:" + ROOT_ACCOUNT + ":alias/aws/s3\"}}}},\"IsEnabled\":false,"
                + "\"Id\":\"cli-1\",\"IncludedObjectVersions\":\"All\",\"OptionalFields\":[\"Size\",\"EncryptionStatus\"],"
                + "\"Schedule\":{\"Frequency\":\"Weekly\"}}";
        String[] root = {ROOT_ACCOUNT, ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY};
        KmsApiIT.CliResult put = KmsApiIT.awsCli(home, proxy.endpoint(), root, "s3api", "put-bucket-inventory-configuration",
                "--bucket", bucket, "--id", "cli-1", "--inventory-configuration", json);
        assertEquals(0, put.exit(), put::toString);
        KmsApiIT.CliResult get = KmsApiIT.awsCli(home, proxy.endpoint(), root, "s3api", "get-bucket-inventory-configuration",
                "--bucket", bucket, "--id", "cli-1");
        assertEquals(0, get.exit(), get::toString);
        assertEquals(JSON.readTree(json), JSON.readTree(get.stdout()).path("InventoryConfiguration"), get::toString);
    }

    // ---- reports --------------------------------------------------------------------------------------

    /** S3's documented policy for an inventory destination. */
    static String destinationPolicy(String dest, String source) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"InventoryExamplePolicy\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":"
                + "[\"arn:aws:s3:::" + dest + "/*\"],\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::" + source
                + "\"},\"StringEquals\":{\"aws:SourceAccount\":\"" + ROOT_ACCOUNT + "\",\"s3:x-amz-acl\":"
                + "\"bucket-owner-full-control\"}}}]}";
    }

    /** A source bucket made at MinIO with two plaintext objects (one multipart), adopted, then written through the proxy. */
    static Map<String, byte[]> fill(String source, String customerKey) throws Exception {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        Random random = new Random(13);
        minio.makeBucket(MakeBucketArgs.builder().bucket(source).build());
        byte[] legacy = "plaintext before the proxy".getBytes(StandardCharsets.UTF_8);
        minio.putObject(PutObjectArgs.builder().bucket(source).object("legacy/a b,\"c\".txt")
                .stream(new ByteArrayInputStream(legacy), (long) legacy.length, -1L).build());
        byte[] legacyBig = new byte[6 * 1024 * 1024];
        random.nextBytes(legacyBig);
        minio.putObject(PutObjectArgs.builder().bucket(source).object("legacy/multipart.bin")
                .stream(new ByteArrayInputStream(legacyBig), -1L, 5L * 1024 * 1024).build());
        objects.put("legacy/a b,\"c\".txt", legacy);
        objects.put("legacy/multipart.bin", legacyBig);
        JsonNode adopted = proxy.admin("POST", "/admin/buckets/" + source + "/adopt", "{\"account\":\"" + ROOT_ACCOUNT + "\"}");
        assertEquals(2, adopted.path("notEncrypted").asInt(), adopted::toString);
        s3.putBucketEncryption(r -> r.bucket(source).serverSideEncryptionConfiguration(c -> c.rules(ServerSideEncryptionRule
                .builder().applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                .blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.NONE)).build())));

        byte[] small = "through the proxy".getBytes(StandardCharsets.UTF_8);
        s3.putObject(r -> r.bucket(source).key("sse-s3.txt").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(small));
        s3.putObject(r -> r.bucket(source).key("kms/bucket-key.txt").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .bucketKeyEnabled(true), RequestBody.fromBytes(small));
        s3.putObject(r -> r.bucket(source).key("kms/per-object-key.txt").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .bucketKeyEnabled(false), RequestBody.fromBytes(small));
        tls.putObject(r -> r.bucket(source).key("customer/key.txt").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(customerKey).sseCustomerKeyMD5(md5Base64(Base64.getDecoder().decode(customerKey))),
                RequestBody.fromBytes(small));
        for (String k : List.of("sse-s3.txt", "kms/bucket-key.txt", "kms/per-object-key.txt", "customer/key.txt")) {
            objects.put(k, small);
        }
        byte[] part = new byte[5 * 1024 * 1024];
        random.nextBytes(part);
        String upload = s3.createMultipartUpload(r -> r.bucket(source).key("multipart/kms.bin")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).bucketKeyEnabled(true)).uploadId();
        String e1 = s3.uploadPart(r -> r.bucket(source).key("multipart/kms.bin").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(part)).eTag();
        String e2 = s3.uploadPart(r -> r.bucket(source).key("multipart/kms.bin").uploadId(upload).partNumber(2),
                RequestBody.fromBytes(small)).eTag();
        s3.completeMultipartUpload(r -> r.bucket(source).key("multipart/kms.bin").uploadId(upload).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] whole = java.util.Arrays.copyOf(part, part.length + small.length);
        System.arraycopy(small, 0, whole, part.length, small.length);
        objects.put("multipart/kms.bin", whole);
        return objects;
    }

    @Test
    void anOnDemandReportListsEveryObjectAsHeadSeesItInS3sLayoutEncrypted() throws Exception {
        String source = Clients.bucketName("inv-src");
        String dest = Clients.newBucket(s3, "inv-dst");
        byte[] rawKey = new byte[32];
        new Random(7).nextBytes(rawKey);
        String customerKey = Base64.getEncoder().encodeToString(rawKey);
        Map<String, byte[]> objects = fill(source, customerKey);
        s3.putBucketPolicy(r -> r.bucket(dest).policy(destinationPolicy(dest, source)));
        String fields = ALL_FIELDS;
        put(source, config("everything", dest, false, fields.split(",")));

        JsonNode run = proxy.admin("POST", "/admin/inventory/run", "{\"bucket\":\"" + source + "\",\"id\":\"everything\"}");
        String manifestKey = run.path("manifestKey").asText();
        assertTrue(manifestKey.matches("reports/" + source + "/everything/\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}Z/manifest\\.json"),
                run::toString);
        assertEquals(objects.size(), run.path("objects").asInt(), run::toString);

        byte[] manifest = s3.getObjectAsBytes(r -> r.bucket(dest).key(manifestKey)).asByteArray();
        String folder = manifestKey.substring(0, manifestKey.length() - "manifest.json".length());
        String checksum = s3.getObjectAsBytes(r -> r.bucket(dest).key(folder + "manifest.checksum")).asUtf8String();
        assertEquals(md5Hex(manifest), checksum.trim());
        JsonNode m = JSON.readTree(manifest);
        assertEquals(source, m.path("sourceBucket").asText());
        assertEquals("arn:aws:s3:::" + dest, m.path("destinationBucket").asText());
        assertEquals("2016-11-30", m.path("version").asText());
        assertEquals("CSV", m.path("fileFormat").asText());
        assertEquals(SCHEMA, m.path("fileSchema").asText());
        long created = Long.parseLong(m.path("creationTimestamp").asText());
        assertTrue(Math.abs(created - System.currentTimeMillis()) < 600_000, m::toString);
        // 7 objects, 3 rows a file
        assertEquals(3, m.path("files").size(), m::toString);

        Map<String, List<String>> rows = new HashMap<>();
        List<String> hive = new ArrayList<>();
        for (JsonNode f : m.path("files")) {
            String key = f.path("key").asText();
            assertTrue(key.matches("reports/" + source + "/everything/data/[0-9a-f-]{36}\\.csv\\.gz"), key);
            byte[] gz = s3.getObjectAsBytes(r -> r.bucket(dest).key(key)).asByteArray();
            assertEquals(gz.length, f.path("size").asLong());
            assertEquals(md5Hex(gz), f.path("MD5checksum").asText());
            for (String line : gunzip(gz).split("\n")) {
                List<String> cols = csv(line);
                assertEquals(SCHEMA.split(", ").length, cols.size(), line);
                rows.put(URLDecoder.decode(cols.get(1), StandardCharsets.UTF_8), cols);
            }
            hive.add("s3://" + dest + "/" + key);
            assertCiphertextAtMinio(dest, key, gz);
        }
        assertCiphertextAtMinio(dest, manifestKey, manifest);
        assertEquals(objects.keySet(), rows.keySet());
        String symlinkPrefix = "reports/" + source + "/everything/hive/dt=";
        String symlinkKey = s3.listObjectsV2(r -> r.bucket(dest).prefix(symlinkPrefix)).contents().get(0).key();
        assertEquals(String.join("\n", hive) + "\n", s3.getObjectAsBytes(r -> r.bucket(dest).key(symlinkKey)).asUtf8String());

        for (var e : rows.entrySet()) {
            String key = e.getKey();
            List<String> c = e.getValue();
            HeadObjectResponse head = key.startsWith("customer/")
                    ? tls.headObject(r -> r.bucket(source).key(key).sseCustomerAlgorithm("AES256").sseCustomerKey(customerKey)
                            .sseCustomerKeyMD5(md5Base64(rawKey)))
                    : s3.headObject(r -> r.bucket(source).key(key));
            String etag = head.eTag().replace("\"", "");
            assertEquals(source, c.get(0));
            assertEquals(Long.toString(head.contentLength()), c.get(2), key);
            assertEquals(objects.get(key).length, head.contentLength(), key);
            assertTrue(c.get(3).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"), c.get(3));
            assertEquals(head.lastModified(), Instant.parse(c.get(3)).truncatedTo(ChronoUnit.SECONDS), key);
            assertEquals("STANDARD", c.get(5));
            assertEquals(etag, c.get(4), key);
            assertEquals(Boolean.toString(etag.contains("-")), c.get(6), key);
            assertEquals(key.contains("multipart"), etag.contains("-"), key);
            String status = head.sseCustomerAlgorithm() != null ? "SSE-C"
                    : head.serverSideEncryption() == ServerSideEncryption.AES256 ? "SSE-S3"
                    : head.serverSideEncryption() == ServerSideEncryption.AWS_KMS ? "SSE-KMS" : "NOT-SSE";
            assertEquals(status, c.get(8), key);
            assertEquals(Boolean.TRUE.equals(head.bucketKeyEnabled()) ? "ENABLED" : "DISABLED", c.get(13), key);
            assertEquals(head.ssekmsKeyId() == null ? "" : head.ssekmsKeyId(), c.get(17), key);
            for (int i : new int[] {7, 9, 10, 11, 12, 14, 15, 16}) {
                assertEquals("", c.get(i), key + " column " + i);
            }
        }
        assertEquals("NOT-SSE", rows.get("legacy/multipart.bin").get(8));
        assertEquals("true", rows.get("legacy/multipart.bin").get(6));
        assertEquals("ENABLED", rows.get("kms/bucket-key.txt").get(13));
        assertEquals("DISABLED", rows.get("kms/per-object-key.txt").get(13));
        assertTrue(rows.get("kms/per-object-key.txt").get(17).startsWith("arn:aws:kms:us-east-1:" + ROOT_ACCOUNT + ":key/"));
        assertEquals("SSE-C", rows.get("customer/key.txt").get(8));
        assertEquals("legacy%2Fa+b%2C%22c%22.txt", rows.get("legacy/a b,\"c\".txt").get(1));

        JsonNode status = statusOf(source, "everything");
        assertEquals("DELIVERED", status.path("lastStatus").asText(), status::toString);
        assertEquals(manifestKey, status.path("lastManifest").asText(), status::toString);
    }

    @Test
    void aDestinationWhosePolicyDoesNotAllowS3GetsNoReportAndTheFailureIsRecorded() throws Exception {
        String source = Clients.newBucket(s3, "inv-src2");
        String closed = Clients.newBucket(s3, "inv-closed");
        s3.putObject(r -> r.bucket(source).key("one.txt"), RequestBody.fromString("one"));
        put(source, config("refused", closed, false, "EncryptionStatus"));
        double before = proxy.metric("sse_proxy_inventory_reports_total", "outcome=\"failed\"", "reason=\"AccessDenied\"");

        HttpResponse<String> r = http.send(ProxyProcess.signed("POST", proxy.managementEndpoint(), "/admin/inventory/run", null,
                "{\"bucket\":\"" + source + "\",\"id\":\"refused\"}", ProxyProcess.ROOT_ACCESS_KEY,
                ProxyProcess.ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode(), r::body);
        assertEquals("AccessDenied", JSON.readTree(r.body()).path("code").asText(), r::body);
        assertEquals(0, s3.listObjectsV2(x -> x.bucket(closed)).keyCount(), "nothing was written to the destination");
        JsonNode status = statusOf(source, "refused");
        assertEquals("FAILED", status.path("lastStatus").asText(), status::toString);
        assertTrue(status.path("lastError").asText().startsWith("AccessDenied"), status::toString);
        assertTrue(status.path("lastManifest").isNull(), status::toString);
        assertEquals(before + 1, proxy.metric("sse_proxy_inventory_reports_total", "outcome=\"failed\"",
                "reason=\"AccessDenied\""));

        // once the policy allows it, the next run delivers
        s3.putBucketPolicy(x -> x.bucket(closed).policy(destinationPolicy(closed, source)));
        JsonNode ok = proxy.admin("POST", "/admin/inventory/run", "{\"bucket\":\"" + source + "\",\"id\":\"refused\"}");
        assertEquals(1, ok.path("objects").asInt(), ok::toString);
        assertEquals("DELIVERED", statusOf(source, "refused").path("lastStatus").asText());

        HttpResponse<String> unknown = http.send(ProxyProcess.signed("POST", proxy.managementEndpoint(), "/admin/inventory/run",
                null, "{\"bucket\":\"" + source + "\",\"id\":\"nope\"}", ProxyProcess.ROOT_ACCESS_KEY,
                ProxyProcess.ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode(), unknown::body);
        assertEquals("NoSuchConfiguration", JSON.readTree(unknown.body()).path("code").asText(), unknown::body);
    }

    @Test
    void anEnabledConfigurationGetsItsDailyReportFromThePeriodicCheck() throws Exception {
        String source = Clients.newBucket(s3, "inv-daily");
        String dest = Clients.newBucket(s3, "inv-daily-dst");
        s3.putObject(r -> r.bucket(source).key("a.txt"), RequestBody.fromString("a"));
        s3.putBucketPolicy(r -> r.bucket(dest).policy(destinationPolicy(dest, source)));
        put(source, config("daily", dest, true, "Size", "EncryptionStatus"));
        JsonNode status = statusOf(source, "daily");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"DELIVERED".equals(status.path("lastStatus").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            status = statusOf(source, "daily");
        }
        assertEquals("DELIVERED", status.path("lastStatus").asText(), status::toString);
        String manifestKey = status.path("lastManifest").asText();
        JsonNode m = JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(dest).key(manifestKey)).asByteArray());
        assertEquals("Bucket, Key, Size, EncryptionStatus", m.path("fileSchema").asText());
        String dataKey = m.path("files").get(0).path("key").asText();
        assertEquals("\"" + source + "\",\"a.txt\",\"1\",\"SSE-S3\"\n",
                gunzip(s3.getObjectAsBytes(r -> r.bucket(dest).key(dataKey)).asByteArray()));
        // not due again for a day: the next checks leave it alone
        String lastRun = status.path("lastRunAt").asText();
        Thread.sleep(5000);
        assertEquals(lastRun, statusOf(source, "daily").path("lastRunAt").asText());
    }

    // ---- helpers --------------------------------------------------------------------------------------

    static JsonNode statusOf(String bucket, String id) {
        for (JsonNode c : proxy.admin("GET", "/admin/inventory", null).path("configurations")) {
            if (c.path("bucket").asText().equals(bucket) && c.path("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no configuration " + bucket + "/" + id + " in the admin API");
    }

    /** The object as MinIO stores it: ciphertext under the proxy's envelope, not the bytes a client reads. */
    static void assertCiphertextAtMinio(String bucket, String key, byte[] plaintext) throws Exception {
        byte[] stored;
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            stored = in.readAllBytes();
        }
        assertNotEquals(HexFormat.of().formatHex(plaintext), HexFormat.of().formatHex(stored), key);
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("sourceBucket"), key);
        assertTrue(minio.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).userMetadata().keySet()
                .stream().anyMatch(k -> k.toLowerCase().startsWith("sse-proxy-")), key);
    }

    /** A CSV line of quoted fields (a quote inside doubled), as S3 Inventory writes it. */
    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            assertEquals('"', line.charAt(i), line);
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                char c = line.charAt(i++);
                if (c == '"') {
                    if (i < line.length() && line.charAt(i) == '"') {
                        b.append('"');
                        i++;
                        continue;
                    }
                    break;
                }
                b.append(c);
            }
            out.add(b.toString());
            if (i < line.length()) {
                assertEquals(',', line.charAt(i), line);
                i++;
            }
        }
        return out;
    }

    static String gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static byte[] md5(byte[] b) {
        try {
            return MessageDigest.getInstance("MD5").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String md5Hex(byte[] b) {
        return HexFormat.of().formatHex(md5(b));
    }

    static String md5Base64(byte[] b) {
        return Base64.getEncoder().encodeToString(md5(b));
    }
}
