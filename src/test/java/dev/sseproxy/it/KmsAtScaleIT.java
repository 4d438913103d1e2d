package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 5 "KMS at scale": S3 Bucket Keys cut KMS calls to one per bucket key lifetime; rotation
 * makes new objects use the new version; a rewrap job re-wraps every stored key under the latest
 * version without touching data and survives a crash halfway.
 *
 * <p>KMS calls are counted as the KMS events of the test's own keys in the audit trail
 * ({@link KmsEvents}), never as the process-wide {@code sse_proxy_kms_requests_total}: the proxy makes
 * KMS calls for itself at any moment — a credential cache reload decrypts the access key's secret under
 * {@code sse-proxy-secrets} — and one of them, falling into the reads of the first test, once failed a
 * clean-clone CI run ("reads under a cached bucket key make no KMS call ==> expected: <0.0> but was:
 * <1.0>"). {@link #aCredentialCacheReloadIsTheProxysOwnDecryptAndNotOneOfTheReads} shows that call.
 */
class KmsAtScaleIT {
    /** The proxy-owned key that seals access-key secrets ({@code sse-proxy.kms.secrets-key-name}). */
    static final String SECRETS_KEY = "sse-proxy-secrets";
    /** The one port offset of this class's dedicated proxies: its tests run one after the other, each stops its own. */
    static final int PORT_OFFSET = 300;

    static KmsClient kms(ProxyProcess p) {
        return KmsClient.builder().endpointOverride(p.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static String newKey(ProxyProcess p, String description) {
        try (KmsClient kms = kms(p)) {
            return kms.createKey(b -> b.description(description)).keyMetadata().arn();
        }
    }

    /** The process-wide count of successful KMS calls of one operation: what the tests no longer assert on. */
    static double processWide(ProxyProcess p, String operation) {
        return p.metric("sse_proxy_kms_requests_total", "operation=\"" + operation + "\"", "outcome=\"success\"");
    }

    static void parallel(int count, int threads, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                all.add(pool.submit(() -> task.accept(n)));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    static byte[] body(int n, int size) {
        byte[] b = new byte[size];
        new Random(n).nextBytes(b);
        return b;
    }

    static String bucket(S3Client s3, String prefix, String alg, String keyId, Boolean bucketKey) {
        String b = Clients.bucketName(prefix);
        s3.createBucket(x -> x.bucket(b));
        s3.putBucketEncryption(x -> x.bucket(b).serverSideEncryptionConfiguration(c -> c.rules(
                BucketEncryptionIT.rule(alg, keyId, bucketKey))));
        return b;
    }

    /**
     * A proxy of its own: its bucket keys live an hour, so "reads under a cached bucket key" holds however
     * slow the machine (with the default 10 minutes, a run whose PUTs and GETs took longer would see a
     * legitimate reload), and its credential cache reloads every 2 s, so the proxy's own KMS calls go on
     * throughout — the counts, of the test's own keys, must not see them. One key per bucket. The SDK
     * retries as it does by default (a backend hiccup under 30,000 requests on a loaded machine is no
     * failure of this test): a retried PUT without a bucket key makes a data-key call of its own, which
     * the last count allows for, per failed attempt the audit trail recorded.
     */
    @Test
    void tenThousandPutsWithABucketKeyMakeOneDataKeyCallAndReadsNone() throws Exception {
        ProxyProcess p = ProxyProcess.startDedicated("kmsscale10k", PORT_OFFSET, Map.of(
                "SSE_PROXY_KMS_BUCKET_KEY_TTL", "1h", "SSE_PROXY_CREDENTIAL_CACHE_TTL", "2s"));
        try {
            S3Client s3 = Clients.sdk(p.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            String keyOn = newKey(p, "kms-at-scale bucket key");
            String keyOff = newKey(p, "kms-at-scale no bucket key");
            String withKey = bucket(s3, "bk-on", "aws:kms", keyOn, true);
            String withoutKey = bucket(s3, "bk-off", "aws:kms", keyOff, false);
            int n = 10_000;

            long t0 = System.nanoTime();
            parallel(n, 64, i -> s3.putObject(b -> b.bucket(withKey).key("o" + i), RequestBody.fromBytes(body(i, 4096))));
            long t1 = System.nanoTime();
            KmsEvents.awaitS3Events(p, withKey, "PutObject", n);
            assertEquals(1, KmsEvents.awaitCount(p, keyOn, "GenerateDataKey", 1),
                    "one data-key call for 10,000 PUTs with a bucket key");

            double processDecrypts = processWide(p, "decrypt");
            Instant reads = Instant.now();
            long t2 = System.nanoTime();
            parallel(n, 64, i -> assertArrayEquals(body(i, 4096),
                    s3.getObjectAsBytes(b -> b.bucket(withKey).key("o" + i)).asByteArray()));
            long t3 = System.nanoTime();
            processDecrypts = processWide(p, "decrypt") - processDecrypts;
            KmsEvents.awaitS3Events(p, withKey, "GetObject", n);
            assertEquals(0, KmsEvents.count(p, keyOn, "Decrypt"), "reads under a cached bucket key make no KMS call");
            System.out.printf("KmsAtScaleIT: %d PUTs in %.1f s, %d GETs in %.1f s; during the GETs the process made %.0f "
                    + "decrypts, %d of them credential reloads (%s), none under the bucket's key%n", n, (t1 - t0) / 1e9, n,
                    (t3 - t2) / 1e9, processDecrypts, KmsEvents.count(p, SECRETS_KEY, "Decrypt", reads), SECRETS_KEY);

            parallel(n, 64, i -> s3.putObject(b -> b.bucket(withoutKey).key("o" + i), RequestBody.fromBytes(body(i, 4096))));
            KmsEvents.awaitS3Events(p, withoutKey, "PutObject", n);
            long calls = KmsEvents.awaitCount(p, keyOff, "GenerateDataKey", n);
            long failedAttempts = KmsEvents.s3Events(p, withoutKey, "PutObject", true) - n;
            assertEquals(n, KmsEvents.distinctArns(p, keyOff, "GenerateDataKey"), "every object's key has a data-key call");
            assertTrue(calls >= n && calls <= n + failedAttempts, () -> "one data-key call per PUT without a bucket key: "
                    + calls + " calls for " + n + " objects and " + failedAttempts + " failed attempts");
        } finally {
            p.stop();
        }
    }

    /**
     * What failed the first test on CI: a request that finds its access key's cached credential expired
     * (5 minutes by default, 2 s here) first waits for the proxy to decrypt the key's secret, a KMS call
     * under the proxy's {@code sse-proxy-secrets} key, whatever that request is. Reads under a cached
     * bucket key, 2.5 s after the last request, make no KMS call of their own, yet the process counts a
     * decrypt: the old assertion (process-wide decrypts == 0) fails, the count of the object's key is 0,
     * and every decrypt the process made meanwhile was that reload, bound to the root access key.
     * Expected, documented behaviour (catalog package: one KMS call per access key in use per lifetime),
     * so the fix is in how the tests count.
     */
    @Test
    void aCredentialCacheReloadIsTheProxysOwnDecryptAndNotOneOfTheReads() throws Exception {
        ProxyProcess p = ProxyProcess.startDedicated("kmscred", PORT_OFFSET, Map.of("SSE_PROXY_CREDENTIAL_CACHE_TTL", "2s"));
        try {
            S3Client s3 = Clients.sdk(p.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            String key = newKey(p, "credential reload");
            String b = bucket(s3, "cred", "aws:kms", key, true);
            parallel(20, 4, i -> s3.putObject(x -> x.bucket(b).key("o" + i), RequestBody.fromBytes(body(i, 512))));
            parallel(20, 4, i -> s3.getObjectAsBytes(x -> x.bucket(b).key("o" + i)));

            double before = processWide(p, "decrypt");
            Instant idle = Instant.now();
            Thread.sleep(2500); // nothing is sent meanwhile: the root key's credential, loaded before the pause, expires
            parallel(20, 4, i -> assertArrayEquals(body(i, 512), s3.getObjectAsBytes(x -> x.bucket(b).key("o" + i)).asByteArray()));
            double processDecrypts = processWide(p, "decrypt") - before;
            KmsEvents.awaitS3Events(p, b, "GetObject", 40);

            assertTrue(processDecrypts >= 1, "the process made a decrypt during reads that make none: " + processDecrypts);
            assertEquals(0, KmsEvents.count(p, key, "Decrypt"), "the reads made no KMS call");
            assertEquals((long) processDecrypts, KmsEvents.awaitCount(p, SECRETS_KEY, "Decrypt", idle, (long) processDecrypts),
                    "every decrypt since the pause was a credential reload");
            for (String context : KmsEvents.contexts(p, SECRETS_KEY, "Decrypt", idle)) {
                assertTrue(context.contains("\"sse-proxy:use\":\"access-key-secret\"")
                        && context.contains("\"access-key-id\":\"" + ProxyProcess.ROOT_ACCESS_KEY + "\""), context);
            }
        } finally {
            p.stop();
        }
    }

    @Test
    void bucketKeyLifetimeRotationAndARewrapThatSurvivesACrash() throws Exception {
        ProxyProcess p = ProxyProcess.startDedicated("kmsscale", PORT_OFFSET, Map.of("SSE_PROXY_KMS_BUCKET_KEY_TTL", "4s",
                // the killed node's job lease must expire before the restarted node (a new holder) resumes the job
                "SSE_PROXY_JOBS_LEASE_DURATION", "3s"));
        try {
            S3Client s3 = Clients.sdk(p.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            String keyArn = newKey(p, "rewrap");
            String sseS3 = bucket(s3, "rw-s3", "AES256", null, false);
            String kmsBk = bucket(s3, "rw-kbk", "aws:kms", keyArn, true);
            String kmsNoBk = bucket(s3, "rw-k", "aws:kms", keyArn, false);
            List<String> buckets = List.of(sseS3, kmsBk, kmsNoBk);

            // the bucket key lives its lifetime: one data-key call per lifetime begun for writes (counted on
            // the test's own key, which only kmsBk uses so far). A bucket key is loaded at the earliest
            // when the first PUT starts, so the k-th load needs PUTs that took longer than k-1
            // lifetimes: exactly one call when the 50 PUTs took less than 4 s (a loaded machine takes longer)
            long t = System.nanoTime();
            parallel(50, 8, i -> s3.putObject(b -> b.bucket(kmsBk).key("life-a" + i), RequestBody.fromBytes(body(i, 100))));
            long lifetimesA = (System.nanoTime() - t) / 4_000_000_000L;
            KmsEvents.awaitS3Events(p, kmsBk, "PutObject", 50);
            long a = KmsEvents.awaitCount(p, keyArn, "GenerateDataKey", 1);
            assertTrue(a >= 1 && a <= 1 + lifetimesA, a + " data-key calls for 50 PUTs in less than " + (lifetimesA + 1)
                    + " lifetimes");
            Thread.sleep(4500); // the last bucket key, loaded before the PUTs ended, expires
            t = System.nanoTime();
            parallel(50, 8, i -> s3.putObject(b -> b.bucket(kmsBk).key("life-b" + i), RequestBody.fromBytes(body(i, 100))));
            long lifetimesB = (System.nanoTime() - t) / 4_000_000_000L;
            KmsEvents.awaitS3Events(p, kmsBk, "PutObject", 100);
            long b2 = KmsEvents.awaitCount(p, keyArn, "GenerateDataKey", a + 1) - a;
            assertTrue(b2 >= 1 && b2 <= 1 + lifetimesB, b2 + " new data-key calls once the lifetime passed, for 50 PUTs in "
                    + "less than " + (lifetimesB + 1) + " lifetimes");

            // write, rotate, write
            int perBucket = 400;
            for (String b : buckets) {
                parallel(perBucket, 16, i -> s3.putObject(x -> x.bucket(b).key("v1-" + i), RequestBody.fromBytes(body(i, 700))));
            }
            assertEquals(2, p.admin("POST", "/admin/kms/rotate", "{\"keyId\":\"" + keyArn + "\"}").get("latestVersion").asInt());
            // the SSE-S3 key lives in the data dir's keystore, which outlives a test run: read its version
            String sseS3Version = p.admin("POST", "/admin/kms/rotate", "{\"sseS3\":true}").get("latestVersion").asText();
            Map<String, String> latest = Map.of(sseS3, sseS3Version, kmsBk, "2", kmsNoBk, "2");
            for (String b : buckets) {
                parallel(50, 16, i -> s3.putObject(x -> x.bucket(b).key("v2-" + i), RequestBody.fromBytes(body(i, 700))));
            }
            MinioClient minio = Clients.backend();
            for (String b : buckets) {
                assertEquals(latest.get(b), StoredEnvelope.field(minio.statObject(StatObjectArgs.builder().bucket(b).object("v2-0").build()),
                        "kms-ver"), "new objects use the new key version: " + b);
            }

            // rewrap, killed halfway, resumed after the restart
            JsonNode job = p.admin("POST", "/admin/kms/rewrap", "{}");
            long id = job.get("id").asLong();
            long killedAt = -1;
            for (int i = 0; i < 2000; i++) {
                JsonNode j = p.admin("GET", "/admin/kms/rewrap/" + id, null);
                if ("RUNNING".equals(j.get("state").asText()) && j.get("done").asLong() >= 200) {
                    killedAt = j.get("done").asLong();
                    p.kill();
                    break;
                }
                assertTrue(!"DONE".equals(j.get("state").asText()), "the job ended before it could be interrupted");
                Thread.sleep(20);
            }
            assertTrue(killedAt > 0, "the job never got halfway");
            p.restart();
            JsonNode done = null;
            for (int i = 0; i < 600; i++) {
                done = p.admin("GET", "/admin/kms/rewrap/" + id, null);
                if (!"RUNNING".equals(done.get("state").asText())) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals("DONE", done.get("state").asText(), done.toString());
            long objects = buckets.size() * (perBucket + 50L) + 100;
            assertEquals(objects, done.get("total").asLong(), done.toString());
            assertEquals(objects, done.get("done").asLong(), done.toString());
            assertTrue(killedAt < objects, "killed halfway: " + killedAt + " of " + objects);

            for (String b : buckets) {
                for (var item : minio.listObjects(io.minio.ListObjectsArgs.builder().bucket(b).build())) {
                    String key = item.get().objectName();
                    assertEquals(latest.get(b), StoredEnvelope.field(minio.statObject(StatObjectArgs.builder().bucket(b).object(key).build()),
                            "kms-ver"), "every stored key under the latest version: " + b + "/" + key);
                }
                parallel(perBucket, 16, i -> assertArrayEquals(body(i, 700),
                        s3.getObjectAsBytes(x -> x.bucket(b).key("v1-" + i)).asByteArray()));
                parallel(50, 16, i -> assertArrayEquals(body(i, 700),
                        s3.getObjectAsBytes(x -> x.bucket(b).key("v2-" + i)).asByteArray()));
            }
            parallel(50, 8, i -> assertArrayEquals(body(i, 100),
                    s3.getObjectAsBytes(x -> x.bucket(kmsBk).key("life-a" + i)).asByteArray()));
        } finally {
            p.stop();
        }
    }

}
