package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Issue 11, "changes reach every node promptly": two nodes on one database; each change is made
 * through node A with a real client, after node B has used (and so cached) what it changes, and B is
 * asked every ~50 ms until it answers the new way. The acceptance bound is 1 s after A answered; every
 * measured delay is printed at the end ("propagation ms" lines) for the report.
 */
class ClusterInvalidationIT {
    static final int PORT_OFFSET = 810;
    static final Duration BOUND = Duration.ofSeconds(1);
    static final Duration POLL = Duration.ofMillis(50);
    static final List<String> MEASURED = new ArrayList<>();

    static List<ProxyProcess> nodes;
    static ProxyProcess a;
    static ProxyProcess b;
    static S3Client s3A;
    static S3Client s3B;
    static KmsClient kmsA;
    static String rootAccount;
    static dev.sseproxy.kms.TransitTestServer vault;

    @BeforeAll
    static void start() {
        Map<String, String> env = new java.util.HashMap<>(kmsEnvironment());
        if ("off".equals(System.getProperty("it.cluster.feed"))) {
            // to see this test fail without the feed: nodes then follow each other by TTL only
            env.put("SSE_PROXY_CLUSTER_CHANGE_FEED_ENABLED", "false");
        }
        nodes = ProxyProcess.startCluster("notify", PORT_OFFSET, 2, env);
        a = nodes.get(0);
        b = nodes.get(1);
        s3A = Clients.sdk(a.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        s3B = Clients.sdk(b.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        kmsA = kms(a, ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        rootAccount = a.sql("SELECT account_id FROM access_key WHERE access_key_id = '" + ProxyProcess.ROOT_ACCESS_KEY + "'");
    }

    /**
     * The nodes' KMS: the default local KMS (its keystore shared through PostgreSQL), or with
     * {@code -Dit.cluster.kms=vault} one Transit test server both nodes use.
     */
    static Map<String, String> kmsEnvironment() {
        if (!"vault".equals(System.getProperty("it.cluster.kms"))) {
            return Map.of();
        }
        vault = new dev.sseproxy.kms.TransitTestServer("transit", "", java.time.Clock.systemUTC());
        vault.createKey("sse-proxy-sse-s3", true);
        return Map.of("SSE_PROXY_KMS_PROVIDER", "vault", "SSE_PROXY_KMS_VAULT_ADDRESS", vault.address(),
                "SSE_PROXY_KMS_VAULT_MOUNT", "transit", "SSE_PROXY_KMS_VAULT_AUTH_METHOD", "token",
                "SSE_PROXY_KMS_VAULT_AUTH_TOKEN", vault.issueProxyToken(Duration.ofDays(1)));
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.forEach(ProxyProcess::stop);
        }
        if (vault != null) {
            vault.close();
        }
        System.out.println("propagation ms (request sent, answered)  change");
        MEASURED.forEach(m -> System.out.println("propagation ms " + m));
        summary("sent", 0);
        summary("answered", 6);
    }

    static void summary(String which, int column) {
        List<Long> ms = MEASURED.stream().map(m -> Long.parseLong(m.substring(column, column + 5).trim()))
                .filter(v -> v >= 0).sorted().toList();
        if (!ms.isEmpty()) {
            System.out.printf("propagation summary (%s): n=%d min=%d p50=%d p90=%d max=%d ms (poll every %d ms)%n", which,
                    ms.size(), ms.get(0), ms.get(ms.size() / 2), ms.get(Math.min(ms.size() - 1, ms.size() * 9 / 10)),
                    ms.get(ms.size() - 1), POLL.toMillis());
        }
    }

    static KmsClient kms(ProxyProcess node, String accessKey, String secretKey) {
        return KmsClient.builder().endpointOverride(node.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    // ---- KMS keys ------------------------------------------------------------------------------

    @Test
    void aKeyDisabledOnAIsRefusedOnBWithinASecondForPutAndGet() {
        String bucket = Clients.newBucket(s3A, "notify-disable");
        String key = kmsA.createKey(r -> r.description("notify disable")).keyMetadata().arn();
        // warm B: the key's resolution and its bucket key, for writes and for reads
        putKms(s3B, bucket, "warm", key);
        assertEquals("x", get(s3B, bucket, "warm"));

        kmsA.disableKey(r -> r.keyId(key));
        long t0 = System.nanoTime();
        record("DisableKey -> SSE-KMS PUT refused on B", until(() -> errorOf(() -> putKms(s3B, bucket, "after", key))
                .filter("KMS.DisabledException"::equals).isPresent(), t0));
        record("DisableKey -> GET refused on B", until(() -> errorOf(() -> get(s3B, bucket, "warm"))
                .filter("KMS.DisabledException"::equals).isPresent(), t0));
        kmsA.enableKey(r -> r.keyId(key));
        record("EnableKey -> SSE-KMS PUT accepted on B", until(() -> errorOf(() -> putKms(s3B, bucket, "again", key)).isEmpty()));
        assertEquals("x", get(s3B, bucket, "warm"));
    }

    @Test
    void aKeyScheduledForDeletionOnAIsRefusedOnB() {
        String bucket = Clients.newBucket(s3A, "notify-schedule");
        String key = kmsA.createKey(r -> r.description("notify schedule")).keyMetadata().arn();
        putKms(s3B, bucket, "warm", key);
        kmsA.scheduleKeyDeletion(r -> r.keyId(key).pendingWindowInDays(7));
        record("ScheduleKeyDeletion -> PUT refused on B", until(() -> errorOf(() -> putKms(s3B, bucket, "after", key))
                .filter("KMS.KMSInvalidStateException"::equals).isPresent()));
        kmsA.cancelKeyDeletion(r -> r.keyId(key));
        // cancelled keys are Disabled (as in AWS)
        record("CancelKeyDeletion -> PUT says Disabled on B", until(() -> errorOf(() -> putKms(s3B, bucket, "after", key))
                .filter("KMS.DisabledException"::equals).isPresent()));
    }

    @Test
    void aliasesCreatedAndDeletedOnAAreSeenOnB() {
        String bucket = Clients.newBucket(s3A, "notify-alias");
        String key = kmsA.createKey(r -> r.description("notify alias")).keyMetadata().arn();
        String alias = "alias/notify-" + System.nanoTime();
        // warm B with the key's bucket key and the alias's absence (absent answers are cached too)
        putKms(s3B, bucket, "warm-key", key);
        assertEquals(Optional.of("KMS.NotFoundException"), errorOf(() -> putKms(s3B, bucket, "warm", alias)));
        kmsA.createAlias(r -> r.aliasName(alias).targetKeyId(key));
        record("CreateAlias -> PUT with the alias accepted on B",
                until(() -> errorOf(() -> putKms(s3B, bucket, "with-alias", alias)).isEmpty()));
        kmsA.deleteAlias(r -> r.aliasName(alias));
        record("DeleteAlias -> PUT with the alias refused on B", until(() -> errorOf(() -> putKms(s3B, bucket, "gone", alias))
                .filter("KMS.NotFoundException"::equals).isPresent()));
    }

    @Test
    void aKeyPolicyPutOnAGrantsAndRevokesOnB() {
        String[] bob = a.newAccount("notify-bob-" + System.nanoTime() % 100000);
        S3Client bobB = Clients.sdk(b.endpoint(), bob[1], bob[2]);
        String bucket = Clients.newBucket(Clients.sdk(a.endpoint(), bob[1], bob[2]), "notify-policy");
        String key = kmsA.createKey(r -> r.description("notify policy")).keyMetadata().arn();
        assertEquals(Optional.of("AccessDenied"), errorOf(() -> putKms(bobB, bucket, "warm", key)));
        String grant = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + rootAccount + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + bob[0] + ":root\"},"
                + "\"Action\":[\"kms:GenerateDataKey*\",\"kms:Decrypt\",\"kms:Encrypt\"],\"Resource\":\"*\"}]}";
        kmsA.putKeyPolicy(r -> r.keyId(key).policyName("default").policy(grant));
        record("PutKeyPolicy (grant) -> cross-account PUT accepted on B",
                until(() -> errorOf(() -> putKms(bobB, bucket, "granted", key)).isEmpty()));
        String ownerOnly = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::" + rootAccount + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
        kmsA.putKeyPolicy(r -> r.keyId(key).policyName("default").policy(ownerOnly));
        record("PutKeyPolicy (revoke) -> cross-account PUT refused on B",
                until(() -> errorOf(() -> putKms(bobB, bucket, "revoked", key)).filter("AccessDenied"::equals).isPresent()));
    }

    @Test
    void aRotationOnADropsBsBucketKeys() {
        double before = b.metric("sse_proxy_cluster_notifications_received_total", "kind=\"bucket-keys\"");
        a.admin("POST", "/admin/kms/rotate", "{\"sseS3\":true}");
        record("rotation -> bucket-keys notification on B", until(
                () -> b.metric("sse_proxy_cluster_notifications_received_total", "kind=\"bucket-keys\"") > before));
    }

    @Test
    void repeatedDisableAndEnableOnAReachBEachTimeWithinASecond() {
        String bucket = Clients.newBucket(s3A, "notify-repeat");
        String key = kmsA.createKey(r -> r.description("notify repeat")).keyMetadata().arn();
        putKms(s3B, bucket, "warm", key);
        for (int i = 1; i <= 10; i++) {
            kmsA.disableKey(r -> r.keyId(key));
            record("repeat " + i + ": DisableKey -> PUT refused on B", until(() -> errorOf(() -> putKms(s3B, bucket, "r", key))
                    .filter("KMS.DisabledException"::equals).isPresent()));
            kmsA.enableKey(r -> r.keyId(key));
            record("repeat " + i + ": EnableKey -> PUT accepted on B",
                    until(() -> errorOf(() -> putKms(s3B, bucket, "r", key)).isEmpty()));
        }
    }

    // ---- buckets and credentials -----------------------------------------------------------------

    @Test
    void bucketEncryptionPutAndDeletedOnAAppliesToWritesOnB() {
        String bucket = Clients.newBucket(s3A, "notify-encryption");
        String key = kmsA.createKey(r -> r.description("notify encryption")).keyMetadata().arn();
        assertEquals(ServerSideEncryption.AES256, putPlain(s3B, bucket, "warm"));
        putKms(s3B, bucket, "warm-key", key);
        s3A.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(key))
                .bucketKeyEnabled(true))));
        record("PutBucketEncryption -> default applied on B",
                until(() -> putPlain(s3B, bucket, "after-put") == ServerSideEncryption.AWS_KMS));
        s3A.deleteBucketEncryption(r -> r.bucket(bucket));
        record("DeleteBucketEncryption -> default applied on B",
                until(() -> putPlain(s3B, bucket, "after-delete") == ServerSideEncryption.AES256));
    }

    @Test
    void aDeletedAccessKeyIsRefusedOnB() {
        String[] carol = a.newAccount("notify-carol-" + System.nanoTime() % 100000);
        S3Client carolB = Clients.sdk(b.endpoint(), carol[1], carol[2]);
        carolB.listBuckets();
        a.admin("DELETE", "/admin/keys/" + carol[1], null);
        record("access key deleted -> refused on B",
                until(() -> errorOf(carolB::listBuckets).filter("InvalidAccessKeyId"::equals).isPresent()));
    }

    @Test
    void aBucketDeletedOnAAndTakenByAnotherAccountIsTheirsOnB() {
        String bucket = Clients.newBucket(s3A, "notify-delete");
        putPlain(s3B, bucket, "warm");
        s3B.headBucket(r -> r.bucket(bucket));
        s3A.deleteObject(r -> r.bucket(bucket).key("warm"));
        s3A.deleteBucket(r -> r.bucket(bucket));
        // B knows the bucket is gone: a stale entry would still send root's request to the backend bucket
        String[] dave = a.newAccount("notify-dave-" + System.nanoTime() % 100000);
        Clients.sdk(a.endpoint(), dave[1], dave[2]).createBucket(r -> r.bucket(bucket));
        long t0 = System.nanoTime();
        record("bucket deleted and re-created by another account -> B answers for the new owner",
                until(() -> errorOf(() -> putPlain(s3B, bucket, "stale")).filter("AccessDenied"::equals).isPresent(), t0));
    }

    @Test
    void ownershipControlsPutOnAAreSeenOnB() {
        String bucket = Clients.newBucket(s3A, "notify-ownership");
        s3A.putBucketOwnershipControls(r -> r.bucket(bucket).ownershipControls(o -> o.rules(
                rule -> rule.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, ownership(s3B, bucket));
        s3A.putBucketOwnershipControls(r -> r.bucket(bucket).ownershipControls(o -> o.rules(
                rule -> rule.objectOwnership(ObjectOwnership.OBJECT_WRITER))));
        record("PutBucketOwnershipControls -> seen on B",
                until(() -> ownership(s3B, bucket) == ObjectOwnership.OBJECT_WRITER));
    }

    // ---- the listener itself ---------------------------------------------------------------------

    @Test
    void aChangeMissedWhileTheListenerWasDownIsCaughtByTheFlushOnReconnect() {
        String bucket = Clients.newBucket(s3A, "notify-reconnect");
        String key = kmsA.createKey(r -> r.description("notify reconnect")).keyMetadata().arn();
        String keyId = key.substring(key.lastIndexOf('/') + 1);
        putKms(s3B, bucket, "warm", key);
        double flushes = b.metric("sse_proxy_cluster_cache_flushes_total", "reason=\"connected\"");
        assertEquals(1.0, b.metric("sse_proxy_cluster_listener_connected"));
        // one transaction: the listeners are gone (waited for) before the change commits, so its
        // notification reaches nobody; only the flush on reconnect (or the TTL) can tell B
        String out = a.sql("SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE application_name = "
                + "'sse-proxy-change-feed' AND datname = current_database(); UPDATE kms_key SET key_state = 'Disabled' "
                + "WHERE key_id = '" + keyId + "'");
        assertTrue(out.startsWith("2"), out);
        long t0 = System.nanoTime();
        record("listener terminated, key disabled by SQL meanwhile -> refused on B", until(
                () -> errorOf(() -> putKms(s3B, bucket, "after", key)).filter("KMS.DisabledException"::equals).isPresent(), t0));
        record("listener terminated -> B listening again", until(
                () -> b.metric("sse_proxy_cluster_listener_connected") == 1.0
                        && b.metric("sse_proxy_cluster_cache_flushes_total", "reason=\"connected\"") > flushes, t0));
        // and notifications flow again
        kmsA.enableKey(r -> r.keyId(key));
        record("after reconnect: EnableKey -> PUT accepted on B",
                until(() -> errorOf(() -> putKms(s3B, bucket, "again", key)).isEmpty()));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static void putKms(S3Client s3, String bucket, String key, String kmsKey) {
        s3.putObject(r -> r.bucket(bucket).key(key).serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(kmsKey).bucketKeyEnabled(true), RequestBody.fromString("x"));
    }

    static ServerSideEncryption putPlain(S3Client s3, String bucket, String key) {
        return s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("x")).serverSideEncryption();
    }

    static String get(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String();
    }

    static ObjectOwnership ownership(S3Client s3, String bucket) {
        return s3.getBucketOwnershipControls(r -> r.bucket(bucket)).ownershipControls().rules().get(0).objectOwnership();
    }

    /** The S3 / KMS error code a call fails with, or empty when it succeeds. */
    static Optional<String> errorOf(Runnable call) {
        try {
            call.run();
            return Optional.empty();
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
            return Optional.ofNullable(e.awsErrorDetails().errorCode());
        } catch (SdkServiceException e) {
            return Optional.of(Integer.toString(e.statusCode()));
        }
    }

    /**
     * When B first answered the new way, in ms after the change returned: {@code sent} is when the
     * request that saw it was sent (the change was in effect for that request: this is what the bound
     * is about), {@code answered} when its answer arrived (includes the request's own work, e.g. a KMS
     * call for a new bucket key). {@code sent} is -1 if nothing saw it within 3 s. The bound applies to
     * {@code answered}: B answered the new way within it.
     */
    record Seen(long sent, long answered) {
        static final Seen NEVER = new Seen(-1, -1);
    }

    /** Asks every ~50 ms from now until {@code observed} holds. */
    static Seen until(Supplier<Boolean> observed) {
        return until(observed, System.nanoTime());
    }

    static Seen until(Supplier<Boolean> observed, long t0) {
        while (System.nanoTime() - t0 < 3 * BOUND.toNanos()) {
            long sent = millisSince(t0);
            if (observed.get()) {
                return new Seen(sent, millisSince(t0));
            }
            pause();
        }
        return Seen.NEVER;
    }

    static void record(String what, Seen seen) {
        synchronized (MEASURED) {
            MEASURED.add(String.format("%5d %5d  %s", seen.sent(), seen.answered(), what));
        }
        assertTrue(seen.sent() >= 0 && seen.answered() < BOUND.toMillis(), what + ": " + (seen.sent() < 0
                ? "not within 3 s" : "first seen by a request sent after " + seen.sent() + " ms, answered after "
                + seen.answered() + " ms"));
    }

    static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
