package dev.sseproxy.it;

import static dev.sseproxy.it.SseObjectsIT.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import io.minio.GetObjectArgs;
import io.minio.GetObjectLockConfigurationArgs;
import io.minio.GetObjectRetentionArgs;
import io.minio.IsObjectLegalHoldEnabledArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.messages.Item;
import io.minio.messages.RetentionMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 Object Lock through the proxy (issue 15, item 1), with the AWS SDK v2 and raw HTTP, checked against
 * MinIO itself: the ciphertext version MinIO stores is the one that is locked, and MinIO refuses to
 * delete it through the proxy until the lock allows. Every object here is locked in GOVERNANCE mode
 * only (COMPLIANCE could not be cleaned up), and the buckets are emptied with the bypass at the end.
 */
class ObjectLockIT {
    static final String LOCKED = "Access Denied because object protected by object lock.";
    static ProxyProcess proxy;
    static S3Client s3;
    static MinioClient minio;
    static final List<String> lockBuckets = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.get();
        s3 = Clients.sdk();
        minio = Clients.backend();
    }

    @AfterAll
    static void tearDown() {
        for (String b : lockBuckets) {
            emptyLockBucket(b);
        }
    }

    /** Removes every version of a lock bucket at MinIO (governance bypass), then the bucket through the proxy. */
    static void emptyLockBucket(String b) {
        try {
            for (Item i : versions(b, null)) {
                minio.removeObject(RemoveObjectArgs.builder().bucket(b).object(i.objectName()).versionId(i.versionId())
                        .bypassGovernanceMode(true).build());
            }
            s3.deleteBucket(x -> x.bucket(b));
        } catch (Exception e) {
            System.err.println("ObjectLockIT: could not remove " + b + ": " + e);
        }
    }

    static String lockBucket(String prefix) {
        String b = Clients.bucketName(prefix);
        s3.createBucket(x -> x.bucket(b).objectLockEnabledForBucket(true));
        lockBuckets.add(b);
        return b;
    }

    /** Every version (and delete marker) MinIO holds under {@code prefix} (null: all). */
    static List<Item> versions(String bucket, String prefix) throws Exception {
        List<Item> all = new ArrayList<>();
        for (var r : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                .includeVersions(true).build())) {
            all.add(r.get());
        }
        return all;
    }

    static S3Exception s3Error(int status, String code, String message, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(status, e.statusCode(), e::toString);
        assertEquals(code, e.awsErrorDetails().errorCode(), e::toString);
        if (message != null) {
            assertEquals(message, e.awsErrorDetails().errorMessage(), e::toString);
        }
        return e;
    }

    static Instant inMinutes(long m) {
        return Instant.now().plus(Duration.ofMinutes(m)).truncatedTo(ChronoUnit.SECONDS);
    }

    static byte[] minioBytes(String bucket, String key, String versionId) throws Exception {
        try (var in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).versionId(versionId).build())) {
            return in.readAllBytes();
        }
    }

    // ---- a bucket created with Object Lock, its default retention, and the locked ciphertext ----

    @Test
    void defaultRetentionLocksTheCiphertextVersionInMinioAndOnlyTheBypassDeletesIt() throws Exception {
        String b = lockBucket("lock-default");
        var fresh = s3.getObjectLockConfiguration(x -> x.bucket(b)).objectLockConfiguration();
        assertEquals("Enabled", fresh.objectLockEnabledAsString());
        assertNull(fresh.rule());
        assertEquals("Enabled", minio.getBucketVersioning(io.minio.GetBucketVersioningArgs.builder().bucket(b).build())
                .status().toString(), "the backend bucket is versioned");
        // as on S3: a lock bucket is versioned from the start, and its versioning cannot be suspended
        assertEquals(software.amazon.awssdk.services.s3.model.BucketVersioningStatus.ENABLED,
                s3.getBucketVersioning(x -> x.bucket(b)).status());
        s3Error(409, "InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
                () -> s3.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(v -> v.status("Suspended"))));
        assertEquals(software.amazon.awssdk.services.s3.model.BucketVersioningStatus.ENABLED,
                s3.getBucketVersioning(x -> x.bucket(b)).status());

        s3.putObjectLockConfiguration(x -> x.bucket(b).objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
        var set = s3.getObjectLockConfiguration(x -> x.bucket(b)).objectLockConfiguration();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, set.rule().defaultRetention().mode());
        assertEquals(1, set.rule().defaultRetention().days());
        assertNull(set.rule().defaultRetention().years());
        var atMinio = minio.getObjectLockConfiguration(GetObjectLockConfigurationArgs.builder().bucket(b).build());
        assertEquals(RetentionMode.GOVERNANCE, atMinio.mode(), "MinIO holds the default rule");

        byte[] plain = "default retention keeps this secret text locked".getBytes(StandardCharsets.UTF_8);
        s3.putObject(x -> x.bucket(b).key("doc"), RequestBody.fromBytes(plain));
        HeadObjectResponse head = s3.headObject(x -> x.bucket(b).key("doc"));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        Instant until = head.objectLockRetainUntilDate();
        assertTrue(Duration.between(Instant.now().plus(Duration.ofDays(1)), until).abs().toMinutes() < 5, () -> "" + until);
        String versionId = head.versionId();
        assertNotNull(versionId, "HEAD passes MinIO's version id on");

        List<Item> stored = versions(b, "doc");
        assertEquals(1, stored.size(), "one PUT, one version: " + stored);
        assertEquals(versionId, stored.get(0).versionId());
        var retention = minio.getObjectRetention(GetObjectRetentionArgs.builder().bucket(b).object("doc")
                .versionId(versionId).build());
        assertEquals(RetentionMode.GOVERNANCE, retention.mode(), "the ciphertext version is what MinIO locked");
        byte[] atRest = minioBytes(b, "doc", versionId);
        assertFalse(contains(atRest, plain), "nothing in clear at rest");
        assertArrayEquals(plain, s3.getObjectAsBytes(x -> x.bucket(b).key("doc")).asByteArray());

        s3Error(403, "AccessDenied", LOCKED, () -> s3.deleteObject(x -> x.bucket(b).key("doc").versionId(versionId)));
        assertEquals(1, versions(b, "doc").size(), "the locked version is still there");
        s3.deleteObject(x -> x.bucket(b).key("doc").versionId(versionId).bypassGovernanceRetention(true));
        assertEquals(List.of(), versions(b, "doc"), "the bypass deleted the version at MinIO");

        // a configuration without a rule removes the default: new versions are not locked
        s3.putObjectLockConfiguration(x -> x.bucket(b).objectLockConfiguration(c -> c.objectLockEnabled("Enabled")));
        assertNull(s3.getObjectLockConfiguration(x -> x.bucket(b)).objectLockConfiguration().rule());
        s3.putObject(x -> x.bucket(b).key("free"), RequestBody.fromString("free"));
        assertNull(s3.headObject(x -> x.bucket(b).key("free")).objectLockMode());
        String free = versions(b, "free").get(0).versionId();
        s3.deleteObject(x -> x.bucket(b).key("free").versionId(free));
        assertEquals(List.of(), versions(b, "free"));
    }

    // ---- retention and legal hold of a version ----

    @Test
    void retentionAndLegalHoldRoundTripAndProtectTheVersion() throws Exception {
        String b = lockBucket("lock-ret");
        byte[] plain = "retained and held".getBytes(StandardCharsets.UTF_8);
        Instant until = inMinutes(60);
        s3.putObject(x -> x.bucket(b).key("k").objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(until)
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromBytes(plain));

        var got = s3.getObjectAsBytes(x -> x.bucket(b).key("k"));
        GetObjectResponse r = got.response();
        assertArrayEquals(plain, got.asByteArray());
        assertEquals(ObjectLockMode.GOVERNANCE, r.objectLockMode());
        assertEquals(until, r.objectLockRetainUntilDate());
        assertEquals(ObjectLockLegalHoldStatus.ON, r.objectLockLegalHoldStatus());
        String v = r.versionId();

        var ret = s3.getObjectRetention(x -> x.bucket(b).key("k").versionId(v)).retention();
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, ret.mode());
        assertEquals(until, ret.retainUntilDate());
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.getObjectLegalHold(x -> x.bucket(b).key("k").versionId(v))
                .legalHold().status());
        assertTrue(minio.isObjectLegalHoldEnabled(IsObjectLegalHoldEnabledArgs.builder().bucket(b).object("k")
                .versionId(v).build()), "MinIO holds the legal hold");
        assertFalse(contains(minioBytes(b, "k", v), plain));

        // a legal hold protects whatever the bypass says
        s3Error(403, "AccessDenied", LOCKED, () -> s3.deleteObject(x -> x.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true)));
        s3.putObjectLegalHold(x -> x.bucket(b).key("k").versionId(v).legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        assertEquals(ObjectLockLegalHoldStatus.OFF, s3.getObjectLegalHold(x -> x.bucket(b).key("k").versionId(v))
                .legalHold().status());
        // governance: shortening needs the bypass, extending does not
        s3Error(403, "AccessDenied", LOCKED, () -> s3.putObjectRetention(x -> x.bucket(b).key("k").versionId(v)
                .retention(t -> t.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(inMinutes(30)))));
        Instant later = inMinutes(120);
        s3.putObjectRetention(x -> x.bucket(b).key("k").versionId(v)
                .retention(t -> t.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(later)));
        assertEquals(later, s3.getObjectRetention(x -> x.bucket(b).key("k").versionId(v)).retention().retainUntilDate());
        assertEquals(later, minio.getObjectRetention(GetObjectRetentionArgs.builder().bucket(b).object("k").versionId(v)
                .build()).retainUntilDate().toInstant());

        // a user who may do everything but bypass governance: the bypass header does not count
        String[] user = UserLocks.user(proxy, "lock-nobypass", "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"s3:BypassGovernanceRetention\",\"Resource\":\"*\"}]}");
        S3Client asUser = Clients.sdk(proxy.endpoint(), user[0], user[1]);
        s3Error(403, "AccessDenied", LOCKED, () -> asUser.deleteObject(x -> x.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true)));
        s3Error(403, "AccessDenied", LOCKED, () -> asUser.putObjectRetention(x -> x.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true).retention(t -> t.mode(ObjectLockRetentionMode.GOVERNANCE)
                        .retainUntilDate(inMinutes(10)))));
        // the root may: an empty retention with the bypass removes it, then the version deletes freely
        s3.putObjectRetention(x -> x.bucket(b).key("k").versionId(v).bypassGovernanceRetention(true)
                .retention(t -> { }));
        s3Error(404, "NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration",
                () -> s3.getObjectRetention(x -> x.bucket(b).key("k").versionId(v)));
        s3.deleteObject(x -> x.bucket(b).key("k").versionId(v));
        assertEquals(List.of(), versions(b, "k"));
    }

    @Test
    void lockHeadersTravelWithMultipartUploadsAndCopiesButACopyDoesNotInheritTheSourceLock() throws Exception {
        String b = lockBucket("lock-mpu");
        Instant until = inMinutes(60);
        String upload = s3.createMultipartUpload(x -> x.bucket(b).key("mp").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(until)).uploadId();
        byte[] part = new byte[100_000];
        new java.util.Random(7).nextBytes(part);
        String etag = s3.uploadPart(x -> x.bucket(b).key("mp").uploadId(upload).partNumber(1), RequestBody.fromBytes(part)).eTag();
        s3.completeMultipartUpload(x -> x.bucket(b).key("mp").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        HeadObjectResponse head = s3.headObject(x -> x.bucket(b).key("mp"));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        assertEquals(until, head.objectLockRetainUntilDate());
        assertArrayEquals(part, s3.getObjectAsBytes(x -> x.bucket(b).key("mp")).asByteArray());
        for (Item i : versions(b, "mp")) {
            // completion stamps the envelope with a metadata copy: every version MinIO keeps stays locked
            assertEquals(RetentionMode.GOVERNANCE, minio.getObjectRetention(GetObjectRetentionArgs.builder().bucket(b)
                    .object("mp").versionId(i.versionId()).build()).mode(), () -> "version " + i.versionId());
            assertFalse(contains(minioBytes(b, "mp", i.versionId()), java.util.Arrays.copyOf(part, 64)));
        }

        s3.copyObject(x -> x.sourceBucket(b).sourceKey("mp").destinationBucket(b).destinationKey("copy-plain"));
        HeadObjectResponse plainCopy = s3.headObject(x -> x.bucket(b).key("copy-plain"));
        assertNull(plainCopy.objectLockMode(), "a copy carries no lock of its source");
        s3.copyObject(x -> x.sourceBucket(b).sourceKey("mp").destinationBucket(b).destinationKey("copy-held")
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON));
        String heldVersion = s3.headObject(x -> x.bucket(b).key("copy-held")).versionId();
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.getObjectLegalHold(x -> x.bucket(b).key("copy-held")
                .versionId(heldVersion)).legalHold().status());
        s3Error(403, "AccessDenied", LOCKED, () -> s3.deleteObject(x -> x.bucket(b).key("copy-held").versionId(heldVersion)));
        s3.putObjectLegalHold(x -> x.bucket(b).key("copy-held").versionId(heldVersion)
                .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
    }

    @Test
    void aStreamedPutKeepsItsLockThroughTheEnvelopeStamp() throws Exception {
        // above the in-memory limit (1 MiB) a PUT streams and its checksum is stamped afterwards by a
        // metadata copy in MinIO: the version that copy leaves must be as locked as the request asked
        String b = lockBucket("lock-big");
        Instant until = inMinutes(60);
        byte[] plain = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(11).nextBytes(plain);
        s3.putObject(x -> x.bucket(b).key("big").objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(until)
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromBytes(plain));
        HeadObjectResponse head = s3.headObject(x -> x.bucket(b).key("big").checksumMode("ENABLED"));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        assertEquals(until, head.objectLockRetainUntilDate());
        assertEquals(ObjectLockLegalHoldStatus.ON, head.objectLockLegalHoldStatus());
        assertArrayEquals(plain, s3.getObjectAsBytes(x -> x.bucket(b).key("big")).asByteArray());
        List<Item> stored = versions(b, "big");
        assertFalse(stored.isEmpty());
        for (Item i : stored) {
            var ret = minio.getObjectRetention(GetObjectRetentionArgs.builder().bucket(b).object("big")
                    .versionId(i.versionId()).build());
            assertEquals(RetentionMode.GOVERNANCE, ret.mode(), () -> "version " + i.versionId() + " of " + stored.size());
            assertEquals(until, ret.retainUntilDate().toInstant());
            assertTrue(minio.isObjectLegalHoldEnabled(IsObjectLegalHoldEnabledArgs.builder().bucket(b).object("big")
                    .versionId(i.versionId()).build()));
            assertFalse(contains(minioBytes(b, "big", i.versionId()), java.util.Arrays.copyOf(plain, 64)));
        }
        for (Item i : stored) {
            s3.putObjectLegalHold(x -> x.bucket(b).key("big").versionId(i.versionId())
                    .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        }
    }

    @Test
    void aBucketPolicyCapsTheRetentionOfNewVersionsWithTheObjectLockConditionKeys() throws Exception {
        String b = lockBucket("lock-pol");
        s3.putBucketPolicy(x -> x.bucket(b).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::" + b + "/*\","
                + "\"Condition\":{\"NumericGreaterThan\":{\"s3:object-lock-remaining-retention-days\":\"10\"}}},"
                + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::"
                + b + "/*\",\"Condition\":{\"StringEquals\":{\"s3:object-lock-mode\":\"COMPLIANCE\"}}}]}"));
        s3Error(403, "AccessDenied", null, () -> s3.putObject(x -> x.bucket(b).key("long").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(inMinutes(30 * 24 * 60)), RequestBody.fromString("x")));
        s3Error(403, "AccessDenied", null, () -> s3.putObject(x -> x.bucket(b).key("compliance")
                .objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(inMinutes(5)), RequestBody.fromString("x")));
        s3.putObject(x -> x.bucket(b).key("short").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(inMinutes(60)), RequestBody.fromString("x"));
        assertEquals(ObjectLockMode.GOVERNANCE, s3.headObject(x -> x.bucket(b).key("short")).objectLockMode());
        assertEquals(List.of(), versions(b, "long"));
        assertEquals(List.of(), versions(b, "compliance"));
        s3.deleteBucketPolicy(x -> x.bucket(b));
    }

    @Test
    void lockHeadersNeedTheirOwnPermissionsToBeSetAndToBeSeen() throws Exception {
        String b = lockBucket("lock-iam");
        Instant until = inMinutes(60);
        s3.putObject(x -> x.bucket(b).key("k").objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(until)
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromString("locked"));
        String[] user = UserLocks.user(proxy, "lock-rw", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::" + b + "/*\"}]}");
        S3Client asUser = Clients.sdk(proxy.endpoint(), user[0], user[1]);
        HeadObjectResponse seen = asUser.headObject(x -> x.bucket(b).key("k"));
        assertNull(seen.objectLockMode(), "no s3:GetObjectRetention: no retention headers");
        assertNull(seen.objectLockRetainUntilDate());
        assertNull(seen.objectLockLegalHoldStatus(), "no s3:GetObjectLegalHold: no legal hold header");
        assertEquals("locked", asUser.getObjectAsBytes(x -> x.bucket(b).key("k")).asUtf8String());
        HeadObjectResponse owner = s3.headObject(x -> x.bucket(b).key("k"));
        assertEquals(ObjectLockMode.GOVERNANCE, owner.objectLockMode());
        assertEquals(ObjectLockLegalHoldStatus.ON, owner.objectLockLegalHoldStatus());

        s3Error(403, "AccessDenied", null, () -> asUser.putObject(x -> x.bucket(b).key("u").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(until), RequestBody.fromString("x")));
        s3Error(403, "AccessDenied", null, () -> asUser.putObject(x -> x.bucket(b).key("u")
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromString("x")));
        assertEquals(List.of(), versions(b, "u"), "nothing stored for the refused writes");
        asUser.putObject(x -> x.bucket(b).key("u"), RequestBody.fromString("x"));
        s3Error(403, "AccessDenied", null, () -> asUser.getObjectRetention(x -> x.bucket(b).key("k")));
        s3Error(403, "AccessDenied", null, () -> asUser.putObjectLegalHold(x -> x.bucket(b).key("k")
                .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF))));
        s3.putObjectLegalHold(x -> x.bucket(b).key("k").legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
    }

    @Test
    void aPostFormCarriesItsLockFieldsToTheEncryptedWrite() throws Exception {
        String b = lockBucket("lock-post");
        Instant until = inMinutes(60);
        byte[] plain = "posted under a lock".getBytes(StandardCharsets.UTF_8);
        var r = post(b, plain, "key", "posted", "x-amz-object-lock-mode", "GOVERNANCE",
                "x-amz-object-lock-retain-until-date", until.toString());
        assertEquals(204, r.statusCode(), r::body);
        HeadObjectResponse head = s3.headObject(x -> x.bucket(b).key("posted"));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        assertEquals(until, head.objectLockRetainUntilDate());
        List<Item> stored = versions(b, "posted");
        assertEquals(1, stored.size(), stored::toString);
        assertEquals(RetentionMode.GOVERNANCE, minio.getObjectRetention(GetObjectRetentionArgs.builder().bucket(b)
                .object("posted").versionId(stored.get(0).versionId()).build()).mode());
        assertFalse(contains(minioBytes(b, "posted", stored.get(0).versionId()), plain));

        var half = post(b, plain, "key", "half", "x-amz-object-lock-mode", "GOVERNANCE");
        assertEquals(400, half.statusCode(), half::body);
        assertTrue(half.body().contains("<Code>InvalidArgument</Code>"), half::body);
        assertEquals(List.of(), versions(b, "half"));
    }

    /** A SigV4-signed POST form of the root to {@code bucket}: the fields given, each allowed by the policy. */
    static java.net.http.HttpResponse<String> post(String bucket, byte[] file, String... nameValue) throws Exception {
        Instant now = Instant.now();
        String amzDate = dev.sseproxy.auth.SigV4.amzDate(now);
        String credential = ProxyProcess.ROOT_ACCESS_KEY + "/" + amzDate.substring(0, 8) + "/us-east-1/s3/aws4_request";
        StringBuilder policy = new StringBuilder("{\"expiration\":\"" + now.plus(10, ChronoUnit.MINUTES)
                .truncatedTo(ChronoUnit.SECONDS) + "\",\"conditions\":[{\"bucket\":\"" + bucket + "\"},"
                + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},{\"x-amz-credential\":\"" + credential + "\"},"
                + "{\"x-amz-date\":\"" + amzDate + "\"}");
        for (int i = 0; i < nameValue.length; i += 2) {
            policy.append(",[\"starts-with\",\"$").append(nameValue[i]).append("\",\"\"]");
        }
        policy.append("]}");
        java.util.Map<String, String> form = PostObjectIT.signedPolicy(java.util.Base64.getEncoder().encodeToString(
                policy.toString().getBytes(StandardCharsets.UTF_8)), amzDate);
        for (int i = 0; i < nameValue.length; i += 2) {
            form.put(nameValue[i], nameValue[i + 1]);
        }
        return PostObjectIT.postTo(bucket, form, file);
    }

    // ---- S3's errors ----

    @Test
    void lockParametersAreRefusedAsS3DoesOnBucketsWithoutLockAndWhenMalformed() throws Exception {
        String plainBucket = Clients.newBucket(s3, "lock-none");
        String b = lockBucket("lock-err");
        Instant until = inMinutes(30);
        Consumer<software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder> locked = x -> x.key("k")
                .objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(until);
        s3Error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration",
                () -> s3.putObject(x -> locked.accept(x.bucket(plainBucket)), RequestBody.fromString("x")));
        s3Error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration",
                () -> s3.putObject(x -> x.bucket(plainBucket).key("k").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                        RequestBody.fromString("x")));
        s3Error(400, "InvalidArgument", "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
                () -> s3.putObject(x -> x.bucket(b).key("k").objectLockMode(ObjectLockMode.GOVERNANCE), RequestBody.fromString("x")));
        s3Error(400, "InvalidArgument", "Unknown wormMode directive.", () -> s3.putObject(x -> x.bucket(b).key("k")
                .objectLockMode("governance").objectLockRetainUntilDate(until), RequestBody.fromString("x")));
        s3Error(400, "InvalidArgument", "The retain until date must be in the future!", () -> s3.putObject(x -> x.bucket(b)
                .key("k").objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(inMinutes(-5)),
                RequestBody.fromString("x")));
        s3Error(400, "InvalidArgument", "Legal Hold must be either of 'ON' or 'OFF'", () -> s3.putObject(x -> x.bucket(b)
                .key("k").objectLockLegalHoldStatus("on"), RequestBody.fromString("x")));
        s3Error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration", () -> s3.createMultipartUpload(x -> x
                .bucket(plainBucket).key("k").objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(until)));
        assertEquals(List.of(), versions(b, "k"), "nothing refused was stored");

        // a PUT with lock parameters needs Content-MD5 or a checksum (a signed payload hash does not count)
        Response noMd5 = Req.of("PUT", "/" + b + "/raw").header("x-amz-object-lock-mode", "GOVERNANCE")
                .header("x-amz-object-lock-retain-until-date", until.toString()).body("raw body").sign().send();
        assertEquals(400, noMd5.status(), noMd5::toString);
        assertEquals("InvalidRequest", noMd5.element("Code"), noMd5::toString);
        assertEquals("Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock "
                + "parameters", noMd5.element("Message"));
        Response withMd5 = Req.of("PUT", "/" + b + "/raw").header("x-amz-object-lock-mode", "GOVERNANCE")
                .header("x-amz-object-lock-retain-until-date", until.toString())
                .header("Content-MD5", java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
                        .getInstance("MD5").digest("raw body".getBytes(StandardCharsets.UTF_8))))
                .body("raw body").sign().send();
        assertEquals(200, withMd5.status(), withMd5::toString);

        // the subresources
        s3Error(404, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket",
                () -> s3.getObjectLockConfiguration(x -> x.bucket(plainBucket)));
        s3Error(409, "InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
                () -> s3.putObjectLockConfiguration(x -> x.bucket(plainBucket).objectLockConfiguration(c -> c
                        .objectLockEnabled("Enabled"))));
        s3Error(400, "MalformedXML", null, () -> s3.putObjectLockConfiguration(x -> x.bucket(b).objectLockConfiguration(c -> c
                .objectLockEnabled("Enabled").rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE)
                        .days(1).years(1))))));
        s3Error(400, "MalformedXML", null, () -> s3.putObjectLockConfiguration(x -> x.bucket(b).objectLockConfiguration(c -> c
                .objectLockEnabled("Disabled"))));
        s3Error(400, "InvalidArgument", "Default retention period must be a positive integer value.",
                () -> s3.putObjectLockConfiguration(x -> x.bucket(b).objectLockConfiguration(c -> c.objectLockEnabled("Enabled")
                        .rule(r -> r.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(0))))));
        s3.putObject(x -> x.bucket(plainBucket).key("k"), RequestBody.fromString("x"));
        s3Error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration", () -> s3.putObjectRetention(x -> x
                .bucket(plainBucket).key("k").retention(t -> t.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(until))));
        s3Error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration", () -> s3.putObjectLegalHold(x -> x
                .bucket(plainBucket).key("k").legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON))));
        s3Error(400, "InvalidArgument", "x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.",
                () -> s3.deleteObject(x -> x.bucket(plainBucket).key("k").bypassGovernanceRetention(true)));
        s3.putObject(x -> x.bucket(b).key("plain"), RequestBody.fromString("x"));
        s3Error(404, "NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration",
                () -> s3.getObjectRetention(x -> x.bucket(b).key("plain")));
        s3Error(404, "NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration",
                () -> s3.getObjectLegalHold(x -> x.bucket(b).key("plain")));
        s3Error(400, "InvalidArgument", "The retain until date must be in the future!", () -> s3.putObjectRetention(x -> x
                .bucket(b).key("plain").retention(t -> t.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(inMinutes(-1)))));
        s3.deleteObject(x -> x.bucket(plainBucket).key("k"));
        s3.deleteBucket(x -> x.bucket(plainBucket));
    }

    // ---- the AWS CLI ----

    @Test
    void awsCliCreatesALockBucketLocksAVersionAndDeletesItOnlyWithTheBypass() throws Exception {
        String b = Clients.bucketName("lock-cli");
        lockBuckets.add(b);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sse-proxy-lock-cli");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("f.txt"), "locked by the aws cli");
        aws(dir, 0, "s3api", "create-bucket", "--bucket", b, "--object-lock-enabled-for-bucket");
        aws(dir, 0, "s3api", "put-object-lock-configuration", "--bucket", b, "--object-lock-configuration",
                "{\"ObjectLockEnabled\":\"Enabled\",\"Rule\":{\"DefaultRetention\":{\"Mode\":\"GOVERNANCE\",\"Days\":1}}}");
        String conf = aws(dir, 0, "s3api", "get-object-lock-configuration", "--bucket", b);
        assertTrue(conf.contains("\"Mode\": \"GOVERNANCE\"") && conf.contains("\"Days\": 1"), conf);
        Instant until = inMinutes(90);
        aws(dir, 0, "s3api", "put-object", "--bucket", b, "--key", "k", "--body", file.toString(),
                "--object-lock-mode", "GOVERNANCE", "--object-lock-retain-until-date", until.toString());
        var head = new com.fasterxml.jackson.databind.ObjectMapper().readTree(aws(dir, 0, "s3api", "head-object",
                "--bucket", b, "--key", "k"));
        assertEquals("GOVERNANCE", head.path("ObjectLockMode").asText(), head::toString);
        assertEquals(until, Instant.parse(head.path("ObjectLockRetainUntilDate").asText().replace("+00:00", "Z")));
        String v = head.path("VersionId").asText();
        assertEquals(List.of(v), versions(b, "k").stream().map(Item::versionId).toList());
        assertEquals(RetentionMode.GOVERNANCE, minio.getObjectRetention(GetObjectRetentionArgs.builder().bucket(b)
                .object("k").versionId(v).build()).mode());

        String refused = aws(dir, 254, "s3api", "delete-object", "--bucket", b, "--key", "k", "--version-id", v);
        assertTrue(refused.contains("AccessDenied") && refused.contains(LOCKED), refused);
        assertEquals(1, versions(b, "k").size());
        aws(dir, 0, "s3api", "delete-object", "--bucket", b, "--key", "k", "--version-id", v,
                "--bypass-governance-retention");
        assertEquals(List.of(), versions(b, "k"), "deleted at MinIO with the bypass");
    }

    /** Runs the AWS CLI v2 against the proxy in a clean environment; its stdout (stderr when it must fail). */
    static String aws(java.nio.file.Path dir, int exit, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", proxy.endpoint().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().putAll(java.util.Map.of("LANG", "C.UTF-8",
                "HOME", dir.toString(), "AWS_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY, "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_DEFAULT_OUTPUT", "json", "AWS_PAGER", "", "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", dir.resolve("config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("credentials").toString()));
        Process p = pb.start();
        if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws timed out: " + cmd);
        }
        String out = java.nio.file.Files.readString(dir.resolve("out"));
        String err = java.nio.file.Files.readString(dir.resolve("err"));
        assertEquals(exit, p.exitValue(), () -> String.join(" ", cmd) + "\n" + out + "\n" + err);
        return exit == 0 ? out : err;
    }

    /** IAM users for the tests above: a key of the root's account given to a new user with one inline policy. */
    static final class UserLocks {
        static String[] user(ProxyProcess proxy, String prefix, String policy) {
            String account = proxy.sql("SELECT account_id FROM access_key WHERE access_key_id = '"
                    + ProxyProcess.ROOT_ACCESS_KEY + "'");
            String name = IamUsersIT.unique(prefix);
            String userId = ("AIDA" + Long.toString(System.nanoTime(), 36).toUpperCase() + "ZZZZZZZZZZZZZZZZZ").substring(0, 21);
            proxy.sql("INSERT INTO iam_user (user_id, account_id, user_name, path, created_at) VALUES ('" + userId + "', '"
                    + account + "', '" + name + "', '/', now())");
            var key = proxy.admin("POST", "/admin/accounts/" + account + "/keys", "");
            String akid = key.get("accessKeyId").asText();
            proxy.sql("UPDATE access_key SET user_id = '" + userId + "' WHERE access_key_id = '" + akid + "'");
            proxy.sql("INSERT INTO iam_user_policy (user_id, policy_name, document) VALUES ('" + userId + "', 'p', '"
                    + policy + "')");
            return new String[] {akid, key.get("secretAccessKey").asText()};
        }
    }
}
