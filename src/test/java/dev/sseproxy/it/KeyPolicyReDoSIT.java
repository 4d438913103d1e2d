package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Issue #10 item 1: a key policy whose action wildcard would make a backtracking regex run for hours
 * ({@code "kms:" + 40 × "*" + "q"}) is stored by a tenant with the SDK's KmsClient, then used by
 * SSE-KMS PUTs and GETs through the SDK's S3Client, while another bucket is read at the same time. Every
 * request finishes promptly; no event loop is held.
 */
class KeyPolicyReDoSIT {
    /** More PUTs than the proxy has event loops (2 × cores), so a held loop would stall every one. */
    private static final int PUTS = 8;
    private static final String REDOS_ACTION = "kms:" + "*".repeat(40) + "q";

    static ProxyProcess proxy;
    static String[] tenant;
    static KmsClient kms;
    static S3Client s3;
    static ExecutorService pool;

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.get();
        tenant = proxy.newAccount("redos-" + UUID.randomUUID().toString().substring(0, 8));
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(tenant[1], tenant[2]));
        kms = KmsClient.builder().endpointOverride(proxy.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        // on the code of issue #10's start these requests never end: bound them so the test fails instead
        s3 = S3Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60)).retryStrategy(r -> r.maxAttempts(1)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build()).build();
        pool = Executors.newFixedThreadPool(PUTS + 1);
    }

    @AfterAll
    static void tearDown() {
        pool.shutdownNow();
    }

    static String policy(String account) {
        String statement = "{\"Effect\":\"%s\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + account + ":root\"},"
                + "\"Action\":%s,\"Resource\":\"*\"}";
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + String.format(statement, "Allow", "\"" + REDOS_ACTION + "\"") + ","
                + String.format(statement, "Deny", "[\"" + REDOS_ACTION + "\",\"KMS:" + "*".repeat(40) + "Q\"]") + ","
                + String.format(statement, "Allow", "\"kms:*\"") + "]}";
    }

    @Test
    void aReDoSWildcardInAKeyPolicyHoldsNoEventLoopWhileAnotherBucketIsRead() throws Exception {
        String keyId = kms.createKey(b -> b.description("redos")).keyMetadata().keyId();
        kms.putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy(policy(tenant[0])));
        assertEquals(policy(tenant[0]), kms.getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy());

        String writes = "redos-w-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "redos-r-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(writes));
        s3.createBucket(b -> b.bucket(other));
        s3.putObject(b -> b.bucket(other).key("plain"), RequestBody.fromString("served meanwhile"));

        List<CompletableFuture<String>> puts = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < PUTS; i++) {
            String key = "k" + i;
            puts.add(CompletableFuture.supplyAsync(() -> s3.putObject(b -> b.bucket(writes).key(key)
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyId),
                    RequestBody.fromString("body " + key)).ssekmsKeyId(), pool));
        }
        CompletableFuture<Long> get = CompletableFuture.supplyAsync(() -> {
            long t = System.nanoTime();
            assertEquals("served meanwhile", s3.getObjectAsBytes(b -> b.bucket(other).key("plain")).asUtf8String());
            return System.nanoTime() - t;
        }, pool);

        long getNanos = get.get(90, TimeUnit.SECONDS);
        assertTrue(getNanos < TimeUnit.SECONDS.toNanos(5), "the GET on another bucket took " + getNanos / 1_000_000 + " ms");
        for (CompletableFuture<String> put : puts) {
            assertTrue(put.get(90, TimeUnit.SECONDS).endsWith(keyId));
        }
        long all = System.nanoTime() - start;
        System.out.printf("KeyPolicyReDoSIT: GET on another bucket %d ms; %d SSE-KMS PUTs %d ms%n", getNanos / 1_000_000,
                PUTS, all / 1_000_000);
        assertTrue(all < TimeUnit.SECONDS.toNanos(30), PUTS + " PUTs took " + all / 1_000_000 + " ms");
        // reads decrypt under the same policy
        for (int i = 0; i < PUTS; i++) {
            String key = "k" + i;
            assertEquals("body " + key, s3.getObjectAsBytes(b -> b.bucket(writes).key(key)).asUtf8String());
        }
    }

    @Test
    void aPolicyOver32KiBIsRefusedWithLimitExceeded() {
        String keyId = kms.createKey(b -> b.description("big policy")).keyMetadata().keyId();
        String big = policy(tenant[0]).replace("\"Version\"", "\"Id\":\"" + "x".repeat(32 * 1024) + "\",\"Version\"");
        KmsException e = org.junit.jupiter.api.Assertions.assertThrows(KmsException.class,
                () -> kms.putKeyPolicy(b -> b.keyId(keyId).policyName("default").policy(big)));
        assertEquals("LimitExceededException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
    }
}
