package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * version without touching data and survives a crash halfway. KMS calls are counted by the
 * proxy's {@code sse_proxy_kms_requests_total} (every call to the local KMS goes through it).
 */
class KmsAtScaleIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static double kmsCalls(ProxyProcess p, String operation) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(p.managementEndpoint().resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("^sse_proxy_kms_requests_total\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(body);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains("operation=\"" + operation + "\"") && m.group(1).contains("outcome=\"success\"")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    static KmsClient kms(ProxyProcess p) {
        return KmsClient.builder().endpointOverride(p.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
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

    @Test
    void tenThousandPutsWithABucketKeyMakeOneDataKeyCallAndReadsNone() throws Exception {
        ProxyProcess p = ProxyProcess.get();
        // no SDK retries: a retried PUT would make a second, legitimate KMS call and blur the count
        S3Client s3 = S3Client.builder().endpointOverride(p.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .overrideConfiguration(o -> o
                        .retryStrategy(b -> b.maxAttempts(1)))
                .httpClient(UrlConnectionHttpClient.create()).build();
        String keyArn;
        try (KmsClient kms = kms(p)) {
            keyArn = kms.createKey(b -> b.description("kms-at-scale")).keyMetadata().arn();
        }
        String withKey = bucket(s3, "bk-on", "aws:kms", keyArn, true);
        String withoutKey = bucket(s3, "bk-off", "aws:kms", keyArn, false);
        int n = 10_000;

        double before = kmsCalls(p, "generate_data_key");
        parallel(n, 64, i -> s3.putObject(b -> b.bucket(withKey).key("o" + i), RequestBody.fromBytes(body(i, 4096))));
        assertEquals(1, kmsCalls(p, "generate_data_key") - before, "one data-key call for 10,000 PUTs with a bucket key");

        double decrypts = kmsCalls(p, "decrypt");
        parallel(n, 64, i -> assertArrayEquals(body(i, 4096),
                s3.getObjectAsBytes(b -> b.bucket(withKey).key("o" + i)).asByteArray()));
        assertEquals(0, kmsCalls(p, "decrypt") - decrypts, "reads under a cached bucket key make no KMS call");

        before = kmsCalls(p, "generate_data_key");
        parallel(n, 64, i -> s3.putObject(b -> b.bucket(withoutKey).key("o" + i), RequestBody.fromBytes(body(i, 4096))));
        assertEquals(n, kmsCalls(p, "generate_data_key") - before, "one data-key call per PUT without a bucket key");
    }

    @Test
    void bucketKeyLifetimeRotationAndARewrapThatSurvivesACrash() throws Exception {
        ProxyProcess p = ProxyProcess.startDedicated("kmsscale", 300, Map.of("SSE_PROXY_KMS_BUCKET_KEY_TTL", "4s"));
        try {
            S3Client s3 = Clients.sdk(p.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            String keyArn;
            try (KmsClient kms = kms(p)) {
                keyArn = kms.createKey(b -> b.description("rewrap")).keyMetadata().arn();
            }
            String sseS3 = bucket(s3, "rw-s3", "AES256", null, false);
            String kmsBk = bucket(s3, "rw-kbk", "aws:kms", keyArn, true);
            String kmsNoBk = bucket(s3, "rw-k", "aws:kms", keyArn, false);
            List<String> buckets = List.of(sseS3, kmsBk, kmsNoBk);

            // the bucket key lives its lifetime: one data-key call per lifetime for writes
            double before = kmsCalls(p, "generate_data_key");
            parallel(50, 8, i -> s3.putObject(b -> b.bucket(kmsBk).key("life-a" + i), RequestBody.fromBytes(body(i, 100))));
            assertEquals(1, kmsCalls(p, "generate_data_key") - before);
            Thread.sleep(4500);
            parallel(50, 8, i -> s3.putObject(b -> b.bucket(kmsBk).key("life-b" + i), RequestBody.fromBytes(body(i, 100))));
            assertEquals(2, kmsCalls(p, "generate_data_key") - before, "a new bucket key once the lifetime passed");

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
                assertEquals(latest.get(b), minio.statObject(StatObjectArgs.builder().bucket(b).object("v2-0").build()).headers()
                        .get("x-amz-meta-sse-proxy-kms-ver"), "new objects use the new key version: " + b);
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
                    assertEquals(latest.get(b), minio.statObject(StatObjectArgs.builder().bucket(b).object(key).build())
                            .headers().get("x-amz-meta-sse-proxy-kms-ver"), "every stored key under the latest version: " + b + "/" + key);
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
