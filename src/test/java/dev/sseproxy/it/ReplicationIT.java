package dev.sseproxy.it;

import static dev.sseproxy.it.SseObjectsIT.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Replication (issue 15 item 2, the engine) end to end on the shared proxy: real SDK clients, real MinIO
 * (read directly to check the replicas are ciphertext under the expected key), real PostgreSQL. Waits poll
 * the status header (no timed assertion besides a generous deadline).
 */
class ReplicationIT {
    static ProxyProcess proxy;
    static S3Client s3;
    static S3Client tls;
    static S3Client minio;
    static KmsClient kms;
    static String rootAccount;

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.get();
        s3 = Clients.sdk();
        tls = Clients.tlsSdk();
        minio = Clients.sdk(proxy.minioEndpoint(), ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD);
        kms = KmsClient.builder().endpointOverride(proxy.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
        rootAccount = s3.listBuckets().owner().id();
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        tls.close();
        minio.close();
        kms.close();
    }

    // ---------------------------------------------------------------- helpers

    static String versioned(S3Client c, String prefix) {
        String b = Clients.newBucket(c, prefix);
        versioning(c, b);
        return b;
    }

    static void versioning(S3Client c, String b) {
        c.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }

    /** One rule's options. */
    record Rule(String id, String destination, String prefix, boolean kmsOptIn, boolean deleteMarkers, String replicaKey,
            boolean existing) {
        Rule(String id, String destination, String prefix, boolean kmsOptIn, boolean deleteMarkers, String replicaKey) {
            this(id, destination, prefix, kmsOptIn, deleteMarkers, replicaKey, false);
        }

        static Rule to(String destination) {
            return new Rule("r-" + destination, destination, "", false, false, null);
        }

        Rule kms() {
            return new Rule(id, destination, prefix, true, deleteMarkers, replicaKey, existing);
        }

        Rule markers() {
            return new Rule(id, destination, prefix, kmsOptIn, true, replicaKey, existing);
        }

        Rule replicaKey(String key) {
            return new Rule(id, destination, prefix, kmsOptIn, deleteMarkers, key, existing);
        }

        Rule existingObjects() {
            return new Rule(id, destination, prefix, kmsOptIn, deleteMarkers, replicaKey, true);
        }
    }

    /** PutBucketReplication of these rules (priorities in the order given, highest first). */
    static void configure(String source, Rule... rules) {
        configure(s3, rootAccount, source, rules);
    }

    static void configure(S3Client s3, String rootAccount, String source, Rule... rules) {
        List<software.amazon.awssdk.services.s3.model.ReplicationRule> list = new ArrayList<>();
        for (int i = 0; i < rules.length; i++) {
            list.add(sdkRule(rules[i], rules.length - i));
        }
        s3.putBucketReplication(x -> x.bucket(source).replicationConfiguration(c -> c
                .role("arn:aws:iam::" + rootAccount + ":role/replication").rules(list)));
    }

    static software.amazon.awssdk.services.s3.model.ReplicationRule sdkRule(Rule r, int priority) {
        var b = software.amazon.awssdk.services.s3.model.ReplicationRule.builder().id(r.id()).priority(priority)
                .status("Enabled").filter(f -> f.prefix(r.prefix()))
                .deleteMarkerReplication(d -> d.status(r.deleteMarkers() ? "Enabled" : "Disabled"))
                .destination(d -> {
                    d.bucket("arn:aws:s3:::" + r.destination());
                    if (r.replicaKey() != null) {
                        d.encryptionConfiguration(e -> e.replicaKmsKeyID(r.replicaKey()));
                    }
                });
        if (r.kmsOptIn()) {
            b.sourceSelectionCriteria(s -> s.sseKmsEncryptedObjects(k -> k.status("Enabled")));
        }
        if (r.existing()) {
            b.existingObjectReplication(e -> e.status("Enabled"));
        }
        return b.build();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] text(String label, int n, long seed) {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(seed);
        while (sb.length() < n) {
            sb.append(label).append(" replicated-plaintext-").append(r.nextInt(1000)).append('\n');
        }
        return sb.substring(0, n).getBytes(StandardCharsets.UTF_8);
    }

    /** Polls until {@code done} holds (a 60 s deadline for a failing test, not a timing assertion). */
    static void await(String what, Supplier<Boolean> done) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!done.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            sleep(100);
        }
    }

    static String status(S3Client c, String bucket, String key) {
        return c.headObject(x -> x.bucket(bucket).key(key)).replicationStatusAsString();
    }

    static void awaitStatus(String bucket, String key, String expected) {
        await(bucket + "/" + key + " " + expected, () -> expected.equals(status(s3, bucket, key)));
    }

    static boolean exists(S3Client c, String bucket, String key) {
        try {
            c.headObject(x -> x.bucket(bucket).key(key));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static byte[] get(S3Client c, String bucket, String key) {
        return c.getObjectAsBytes(x -> x.bucket(bucket).key(key)).asByteArray();
    }

    /** The stored object in MinIO: ciphertext (no plaintext run in it) whose envelope names {@code kmsKey} (null: SSE-S3). */
    static void ciphertextAtRest(String bucket, String key, byte[] plaintext, String mode, String kmsKey) {
        byte[] stored = minio.getObjectAsBytes(x -> x.bucket(bucket).key(key)).asByteArray();
        assertFalse(contains(stored, java.util.Arrays.copyOfRange(plaintext, 0, 32)), "plaintext at rest in " + key);
        Map<String, String> meta = StoredEnvelope.unpacked(minio.headObject(x -> x.bucket(bucket).key(key)).metadata());
        assertEquals(mode, meta.get("sse-proxy-mode"), "envelope mode of " + bucket + "/" + key + ": " + meta);
        if (kmsKey != null) {
            assertEquals(kmsKey, meta.get("sse-proxy-kms-key"), "envelope key of " + bucket + "/" + key);
        }
    }

    static String newKmsKey(String what) {
        return kms.createKey(b -> b.description("ReplicationIT " + what)).keyMetadata().arn();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void anSseKmsObjectReplicatesOnlyWithTheOptIn() {
        String key = newKmsKey("source");
        String src = versioned(s3, "repl-kms-src");
        String dst = versioned(s3, "repl-kms-dst");
        configure(src, Rule.to(dst));
        byte[] body = text("kms", 5000, 1);
        s3.putObject(x -> x.bucket(src).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(key),
                RequestBody.fromBytes(body));
        s3.putObject(x -> x.bucket(src).key("plain"), RequestBody.fromBytes(body));
        awaitStatus(src, "plain", "COMPLETED");
        assertNull(status(s3, src, "kms"), "an SSE-KMS object without the opt-in has no status");
        assertFalse(exists(s3, dst, "kms"));

        String src2 = versioned(s3, "repl-kmsin-src");
        String dst2 = versioned(s3, "repl-kmsin-dst");
        String replicaKey = newKmsKey("replica of an SSE-KMS object");
        configure(src2, Rule.to(dst2).kms().replicaKey(replicaKey)); // S3 requires ReplicaKmsKeyID with the opt-in
        s3.putObject(x -> x.bucket(src2).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(key),
                RequestBody.fromBytes(body));
        awaitStatus(src2, "kms", "COMPLETED");
        assertArrayEquals(body, get(s3, dst2, "kms"));
        assertEquals("REPLICA", status(s3, dst2, "kms"));
        HeadObjectResponse h = s3.headObject(x -> x.bucket(dst2).key("kms"));
        assertEquals(ServerSideEncryption.AWS_KMS, h.serverSideEncryption());
        assertEquals(replicaKey, h.ssekmsKeyId(), "the replica is under ReplicaKmsKeyID, not the source's key");
        ciphertextAtRest(dst2, "kms", body, "SSE_KMS", replicaKey);
    }

    @Test
    void theReplicaUsesReplicaKmsKeyIdAndKeepsMetadataAndTags() {
        String replicaKey = newKmsKey("replica");
        String src = versioned(s3, "repl-rk-src");
        String dst = versioned(s3, "repl-rk-dst");
        configure(src, Rule.to(dst).replicaKey(replicaKey));
        byte[] body = text("replica-key", 300_000, 2);
        s3.putObject(x -> x.bucket(src).key("dir/a b.txt").contentType("text/plain; charset=utf-8")
                .contentDisposition("attachment").cacheControl("max-age=60").metadata(Map.of("owner", "alice"))
                .tagging("team=blue&tier=1"), RequestBody.fromBytes(body));
        awaitStatus(src, "dir/a b.txt", "COMPLETED");
        HeadObjectResponse h = s3.headObject(x -> x.bucket(dst).key("dir/a b.txt"));
        assertEquals("REPLICA", h.replicationStatusAsString());
        assertEquals(ServerSideEncryption.AWS_KMS, h.serverSideEncryption());
        assertEquals(replicaKey, h.ssekmsKeyId());
        assertEquals("text/plain; charset=utf-8", h.contentType());
        assertEquals("attachment", h.contentDisposition());
        assertEquals("max-age=60", h.cacheControl());
        assertEquals(Map.of("owner", "alice"), h.metadata());
        assertEquals(body.length, h.contentLength());
        assertEquals(s3.headObject(x -> x.bucket(src).key("dir/a b.txt")).eTag().length(), h.eTag().length());
        var tags = s3.getObjectTagging(x -> x.bucket(dst).key("dir/a b.txt")).tagSet();
        assertEquals(Map.of("team", "blue", "tier", "1"),
                tags.stream().collect(java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value())));
        assertArrayEquals(body, get(s3, dst, "dir/a b.txt"));
        ciphertextAtRest(dst, "dir/a b.txt", body, "SSE_KMS", replicaKey);
    }

    @Test
    void withoutReplicaKmsKeyIdTheReplicaFollowsTheDestinationsDefault() {
        String destKey = newKmsKey("destination default");
        String src = versioned(s3, "repl-def-src");
        String dstS3 = versioned(s3, "repl-def-s3");
        String dstKms = versioned(s3, "repl-def-kms");
        s3.putBucketEncryption(x -> x.bucket(dstS3).serverSideEncryptionConfiguration(c -> c.rules(
                BucketEncryptionIT.rule("AES256", null, null))));
        s3.putBucketEncryption(x -> x.bucket(dstKms).serverSideEncryptionConfiguration(c -> c.rules(
                BucketEncryptionIT.rule("aws:kms", destKey, null))));
        configure(src, Rule.to(dstS3), Rule.to(dstKms));
        byte[] body = text("default", 20_000, 3);
        s3.putObject(x -> x.bucket(src).key("obj"), RequestBody.fromBytes(body));
        awaitStatus(src, "obj", "COMPLETED");
        HeadObjectResponse a = s3.headObject(x -> x.bucket(dstS3).key("obj"));
        assertEquals(ServerSideEncryption.AES256, a.serverSideEncryption());
        assertNull(a.ssekmsKeyId());
        assertEquals("REPLICA", a.replicationStatusAsString());
        HeadObjectResponse b = s3.headObject(x -> x.bucket(dstKms).key("obj"));
        assertEquals(ServerSideEncryption.AWS_KMS, b.serverSideEncryption());
        assertEquals(destKey, b.ssekmsKeyId());
        assertArrayEquals(body, get(s3, dstS3, "obj"));
        assertArrayEquals(body, get(s3, dstKms, "obj"));
        ciphertextAtRest(dstS3, "obj", body, "SSE_S3", null);
        ciphertextAtRest(dstKms, "obj", body, "SSE_KMS", destKey);
    }

    @Test
    void statusIsPendingUntilTheDestinationHasTheReplicaThenCompleted() {
        String src = versioned(s3, "repl-st-src");
        String dst = versioned(s3, "repl-st-dst");
        configure(src, Rule.to(dst));
        s3.deleteBucket(x -> x.bucket(dst)); // gone for now: the replication waits and retries
        byte[] body = text("status", 1000, 4);
        var put = s3.putObject(x -> x.bucket(src).key("k"), RequestBody.fromBytes(body));
        assertEquals("PENDING", status(s3, src, "k"), "queued before the PUT was answered");
        assertEquals("PENDING", s3.getObject(x -> x.bucket(src).key("k")).response().replicationStatusAsString());
        s3.createBucket(x -> x.bucket(dst));
        versioning(s3, dst);
        awaitStatus(src, "k", "COMPLETED");
        assertEquals("COMPLETED", s3.headObject(x -> x.bucket(src).key("k").versionId(put.versionId()))
                .replicationStatusAsString());
        assertEquals("REPLICA", s3.getObject(x -> x.bucket(dst).key("k")).response().replicationStatusAsString());
        // a bucket without replication: no header at all
        String plain = versioned(s3, "repl-none");
        s3.putObject(x -> x.bucket(plain).key("k"), RequestBody.fromBytes(body));
        assertNull(status(s3, plain, "k"));
    }

    @Test
    void sseCObjectsNeverReplicate() throws Exception {
        String src = Clients.sseCBucket(s3, "repl-ssec-src");
        versioning(s3, src);
        String dst = versioned(s3, "repl-ssec-dst");
        configure(src, Rule.to(dst));
        byte[] body = text("ssec", 2000, 5);
        byte[] k = new byte[32];
        new Random(5).nextBytes(k);
        String kb64 = Base64.getEncoder().encodeToString(k);
        String md5 = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(k));
        tls.putObject(x -> x.bucket(src).key("secret").sseCustomerAlgorithm("AES256").sseCustomerKey(kb64)
                .sseCustomerKeyMD5(md5), RequestBody.fromBytes(body));
        s3.putObject(x -> x.bucket(src).key("after"), RequestBody.fromBytes(body));
        awaitStatus(src, "after", "COMPLETED");
        HeadObjectResponse h = tls.headObject(x -> x.bucket(src).key("secret").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(kb64).sseCustomerKeyMD5(md5));
        assertNull(h.replicationStatusAsString(), "an SSE-C object has no replication status");
        assertFalse(exists(s3, dst, "secret"));
        assertEquals("0", proxy.sql("SELECT count(*) FROM replication_queue WHERE bucket = '" + src + "' AND object_key = 'secret'"));
    }

    @Test
    void aDeleteMarkerReplicatesWhenEnabledAndAVersionDeleteNever() {
        String src = versioned(s3, "repl-dm-src");
        String dst = versioned(s3, "repl-dm-dst");
        configure(src, Rule.to(dst).markers());
        byte[] body = text("marker", 1000, 6);
        s3.putObject(x -> x.bucket(src).key("gone"), RequestBody.fromBytes(body));
        var kept = s3.putObject(x -> x.bucket(src).key("kept"), RequestBody.fromBytes(body));
        awaitStatus(src, "gone", "COMPLETED");
        awaitStatus(src, "kept", "COMPLETED");
        s3.deleteObject(x -> x.bucket(src).key("gone"));
        await("delete marker on the destination", () -> !exists(s3, dst, "gone"));
        var versions = s3.listObjectVersions(x -> x.bucket(dst).prefix("gone"));
        assertEquals(1, versions.deleteMarkers().size());
        assertEquals(1, versions.versions().size(), "the replica's version stays under the marker");
        // deleting a specific version never replicates
        s3.deleteObject(x -> x.bucket(src).key("kept").versionId(kept.versionId()));
        s3.putObject(x -> x.bucket(src).key("sentinel"), RequestBody.fromBytes(body));
        awaitStatus(src, "sentinel", "COMPLETED");
        assertArrayEquals(body, get(s3, dst, "kept"));

        // a rule without DeleteMarkerReplication: the marker stays on the source
        String src2 = versioned(s3, "repl-nodm-src");
        String dst2 = versioned(s3, "repl-nodm-dst");
        configure(src2, Rule.to(dst2));
        s3.putObject(x -> x.bucket(src2).key("k"), RequestBody.fromBytes(body));
        awaitStatus(src2, "k", "COMPLETED");
        s3.deleteObject(x -> x.bucket(src2).key("k"));
        s3.putObject(x -> x.bucket(src2).key("sentinel"), RequestBody.fromBytes(body));
        awaitStatus(src2, "sentinel", "COMPLETED");
        assertTrue(exists(s3, dst2, "k"));
    }

    @Test
    void anotherAccountsDestinationMustAllowReplicateObject() {
        String[] other = proxy.newAccount("repl-other-" + System.nanoTime());
        try (S3Client theirs = Clients.sdk(proxy.endpoint(), other[1], other[2])) {
            String src = versioned(s3, "repl-xa-src");
            String closed = versioned(theirs, "repl-xa-closed");
            String open = versioned(theirs, "repl-xa-open");
            theirs.putBucketPolicy(x -> x.bucket(open).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                    + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + rootAccount + ":root\"},"
                    + "\"Action\":[\"s3:ReplicateObject\",\"s3:ReplicateDelete\"],\"Resource\":\"arn:aws:s3:::" + open
                    + "/*\"}]}"));
            configure(src, new Rule("closed", closed, "c/", false, false, null), new Rule("open", open, "o/", false, false, null));
            byte[] body = text("cross", 1000, 7);
            s3.putObject(x -> x.bucket(src).key("c/x"), RequestBody.fromBytes(body));
            s3.putObject(x -> x.bucket(src).key("o/x"), RequestBody.fromBytes(body));
            awaitStatus(src, "c/x", "FAILED");
            awaitStatus(src, "o/x", "COMPLETED");
            assertFalse(exists(theirs, closed, "c/x"));
            assertArrayEquals(body, get(theirs, open, "o/x"));
            assertEquals("REPLICA", status(theirs, open, "o/x"));
            assertTrue(proxy.metric("sse_proxy_replication_failed_total") >= 1);
        }
    }

    @Test
    void lagAndMetrics() {
        String src = versioned(s3, "repl-lag-src");
        String dst = versioned(s3, "repl-lag-dst");
        configure(src, Rule.to(dst));
        double completedBefore = proxy.metric("sse_proxy_replication_completed_total");
        int n = 30;
        byte[] body = text("lag", 64 * 1024, 8);
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = "o" + i;
            s3.putObject(x -> x.bucket(src).key(key), RequestBody.fromBytes(body));
            acked.add(System.nanoTime());
        }
        List<Long> lags = new ArrayList<>(Collections.nCopies(n, -1L));
        await("all " + n + " replicated", () -> {
            boolean all = true;
            for (int i = 0; i < n; i++) {
                if (lags.get(i) >= 0) {
                    continue;
                }
                if ("COMPLETED".equals(status(s3, src, "o" + i))) {
                    lags.set(i, (System.nanoTime() - acked.get(i)) / 1_000_000);
                } else {
                    all = false;
                }
            }
            return all;
        });
        List<Long> sorted = new ArrayList<>(lags);
        Collections.sort(sorted);
        System.out.printf("ReplicationIT: replication lag of %d objects of 64 KiB (ack -> COMPLETED seen by polling): "
                + "p50 %d ms, max %d ms%n", n, sorted.get(n / 2), sorted.get(n - 1));
        for (int i = 0; i < n; i++) {
            assertArrayEquals(body, get(s3, dst, "o" + i));
        }
        assertTrue(proxy.metric("sse_proxy_replication_completed_total") >= completedBefore + n);
        assertTrue(proxy.metric("sse_proxy_replication_queued_total") >= n);
        assertTrue(proxy.metric("sse_proxy_replication_bytes_total") >= (double) n * body.length);
        assertTrue(proxy.metric("sse_proxy_replication_lag_seconds_count") >= n);
        System.out.printf("ReplicationIT: replication lag of %d objects of 64 KiB written back to back (queue row "
                + "created -> COMPLETED, from PostgreSQL): p50|max ms = %s%n", n, proxy.sql("SELECT "
                + "(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at)) * 1000)::int "
                + "|| '|' || (max(extract(epoch FROM completed_at - created_at)) * 1000)::int FROM replication_queue "
                + "WHERE bucket = '" + src + "'"));
        System.out.printf("ReplicationIT: proxy lag metric max %.3f s%n", proxy.metric("sse_proxy_replication_lag_seconds_max"));
    }

    @Test
    void replicasThemselvesDoNotReplicateBack() {
        String a = versioned(s3, "repl-loop-a");
        String b = versioned(s3, "repl-loop-b");
        configure(a, Rule.to(b));
        configure(b, Rule.to(a));
        byte[] body = text("loop", 1000, 9);
        var put = s3.putObject(x -> x.bucket(a).key("k"), RequestBody.fromBytes(body));
        awaitStatus(a, "k", "COMPLETED");
        s3.putObject(x -> x.bucket(b).key("sentinel"), RequestBody.fromBytes(body));
        awaitStatus(b, "sentinel", "COMPLETED");
        assertEquals("REPLICA", status(s3, b, "k"));
        var versions = s3.listObjectVersions(x -> x.bucket(a).prefix("k"));
        assertEquals(1, versions.versions().size(), "no replica of the replica came back");
        assertEquals(put.versionId(), versions.versions().get(0).versionId());
        assertThrows(S3Exception.class, () -> s3.headObject(x -> x.bucket(b).key("nothing")));
    }

    @Test
    void existingObjectsReplicateWhenTheRuleAsksForThem() {
        String src = versioned(s3, "repl-ex-src");
        String dst = versioned(s3, "repl-ex-dst");
        String ignored = versioned(s3, "repl-ex-dst2");
        byte[] body = text("existing", 3000, 10);
        int n = 5;
        for (int i = 0; i < n; i++) {
            String key = "old" + i;
            s3.putObject(x -> x.bucket(src).key(key), RequestBody.fromBytes(body));
        }
        s3.putObject(x -> x.bucket(src).key("old0"), RequestBody.fromBytes(text("newest", 3000, 11)));
        configure(src, Rule.to(dst).existingObjects());
        for (int i = 0; i < n; i++) {
            awaitStatus(src, "old" + i, "COMPLETED");
        }
        assertArrayEquals(text("newest", 3000, 11), get(s3, dst, "old0"), "the current version replicates");
        assertArrayEquals(body, get(s3, dst, "old4"));
        assertEquals(1, s3.listObjectVersions(x -> x.bucket(dst).prefix("old0")).versions().size());
        // without ExistingObjectReplication, objects written before the configuration stay where they are
        String src2 = versioned(s3, "repl-noex-src");
        s3.putObject(x -> x.bucket(src2).key("old"), RequestBody.fromBytes(body));
        configure(src2, Rule.to(ignored));
        s3.putObject(x -> x.bucket(src2).key("new"), RequestBody.fromBytes(body));
        awaitStatus(src2, "new", "COMPLETED");
        assertNull(status(s3, src2, "old"));
        assertFalse(exists(s3, ignored, "old"));
    }

    @Test
    void copiesAndMultipartUploadsReplicateToo() {
        String src = versioned(s3, "repl-mp-src");
        String dst = versioned(s3, "repl-mp-dst");
        configure(src, Rule.to(dst));
        byte[] body = text("multipart", 100_000, 13);
        String upload = s3.createMultipartUpload(x -> x.bucket(src).key("mp").contentType("application/x-mp")).uploadId();
        String etag = s3.uploadPart(x -> x.bucket(src).key("mp").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(body)).eTag();
        s3.completeMultipartUpload(x -> x.bucket(src).key("mp").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        s3.copyObject(x -> x.sourceBucket(src).sourceKey("mp").destinationBucket(src).destinationKey("copy"));
        awaitStatus(src, "mp", "COMPLETED");
        awaitStatus(src, "copy", "COMPLETED");
        assertArrayEquals(body, get(s3, dst, "mp"));
        assertArrayEquals(body, get(s3, dst, "copy"));
        assertEquals("application/x-mp", s3.headObject(x -> x.bucket(dst).key("mp")).contentType());
        ciphertextAtRest(dst, "mp", body, "SSE_S3", null);
    }
}
