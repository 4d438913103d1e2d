package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * Two proxies on one database with one master key share the local KMS (its keystore in PostgreSQL):
 * accounts, access keys, KMS keys, bucket encryption and SSE-KMS objects made on one node work on the
 * other, keys created or rotated on either are usable on both, a node's restart breaks nothing for the
 * other (the reported bug: a start used to re-seal the shared access-key secrets under the node's own
 * keystore), and a node with another master key refuses to start, naming the setting, while the others
 * keep working. Port offsets 800..809.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterKeystoreIT {
    static List<ProxyProcess> nodes;
    static ProxyProcess a;
    static ProxyProcess b;
    static String[] account;
    static String bucket;
    static String keyId;
    static final Map<String, byte[]> objects = new HashMap<>();
    static final List<ProxyProcess> extra = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        nodes = ProxyProcess.startCluster("keystore", 800, 2, Map.of());
        a = nodes.get(0);
        b = nodes.get(1);
    }

    @AfterAll
    static void stopCluster() {
        extra.forEach(ProxyProcess::stop);
        if (nodes != null) {
            nodes.forEach(ProxyProcess::stop);
        }
    }

    static KmsClient kms(ProxyProcess node) {
        return KmsClient.builder().endpointOverride(node.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account[1], account[2])))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static S3Client s3(ProxyProcess node) {
        return Clients.sdk(node.endpoint(), account[1], account[2]);
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Test
    @Order(1)
    void accountsKeysEncryptionAndObjectsMadeOnAWorkOnB() {
        account = a.newAccount("keystore-" + UUID.randomUUID().toString().substring(0, 8));
        try (KmsClient kmsA = kms(a); KmsClient kmsB = kms(b); S3Client s3A = s3(a); S3Client s3B = s3(b)) {
            keyId = kmsA.createKey(r -> r.description("cluster keystore IT")).keyMetadata().keyId();
            bucket = Clients.newBucket(s3A, "keystore");
            s3A.putBucketEncryption(x -> x.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                    ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(d -> d
                            .sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(keyId)).bucketKeyEnabled(true).build())));
            for (int i = 0; i < 3; i++) {
                byte[] body = random(1000 + i * 70_000);
                String key = "obj-" + i;
                s3A.putObject(x -> x.bucket(bucket).key(key), RequestBody.fromBytes(body));
                objects.put(key, body);
            }
            byte[] explicit = random(5000);
            s3A.putObject(x -> x.bucket(bucket).key("explicit").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyId), RequestBody.fromBytes(explicit));
            objects.put("explicit", explicit);

            // B: the bucket's encryption configuration, signed with the account's access key
            ServerSideEncryptionRule rule = s3B.getBucketEncryption(x -> x.bucket(bucket))
                    .serverSideEncryptionConfiguration().rules().get(0);
            assertEquals(ServerSideEncryption.AWS_KMS, rule.applyServerSideEncryptionByDefault().sseAlgorithm());
            assertTrue(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID().endsWith(keyId), rule::toString);
            assertEquals(Boolean.TRUE, rule.bucketKeyEnabled());
            assertObjectsReadOn(b);

            // B: the key through the KMS API (this KMS API manages keys; data keys are used through S3)
            assertEquals(keyId, kmsB.describeKey(r -> r.keyId(keyId)).keyMetadata().keyId());
            assertTrue(kmsB.listKeys().keys().stream().anyMatch(k -> k.keyId().equals(keyId)));
            byte[] body = random(3000);
            s3B.putObject(x -> x.bucket(bucket).key("on-b"), RequestBody.fromBytes(body));
            objects.put("on-b", body);
            assertObjectsReadOn(a);
        }
    }

    @Test
    @Order(2)
    void aKeyCreatedAndRotatedOnBIsUsableOnA() {
        try (KmsClient kmsB = kms(b); S3Client s3A = s3(a); S3Client s3B = s3(b)) {
            String key2 = kmsB.createKey(r -> r.description("made on B")).keyMetadata().arn();
            byte[] v1 = random(20_000);
            s3B.putObject(x -> x.bucket(bucket).key("key2-v1").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(key2).bucketKeyEnabled(false), RequestBody.fromBytes(v1));
            assertArrayEquals(v1, s3A.getObjectAsBytes(x -> x.bucket(bucket).key("key2-v1")).asByteArray()); // A caches v1

            assertEquals(2, b.admin("POST", "/admin/kms/rotate", "{\"keyId\":\"" + key2 + "\"}").get("latestVersion").asInt());
            byte[] v2 = random(20_000);
            s3B.putObject(x -> x.bucket(bucket).key("key2-v2").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(key2).bucketKeyEnabled(false), RequestBody.fromBytes(v2));
            // A knows version 1 only: a data key wrapped by version 2 makes it load the key again
            assertArrayEquals(v2, s3A.getObjectAsBytes(x -> x.bucket(bucket).key("key2-v2")).asByteArray());

            // rotated on A (which has version 2 cached now), used on B
            assertEquals(3, a.admin("POST", "/admin/kms/rotate", "{\"keyId\":\"" + key2 + "\"}").get("latestVersion").asInt());
            byte[] v3 = random(20_000);
            s3A.putObject(x -> x.bucket(bucket).key("key2-v3").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(key2).bucketKeyEnabled(false), RequestBody.fromBytes(v3));
            assertArrayEquals(v3, s3B.getObjectAsBytes(x -> x.bucket(bucket).key("key2-v3")).asByteArray());
            assertArrayEquals(v1, s3B.getObjectAsBytes(x -> x.bucket(bucket).key("key2-v1")).asByteArray());
        }
    }

    @Test
    @Order(3)
    void restartingOneNodeLeavesTheOtherWorking() {
        for (ProxyProcess restarted : List.of(a, b)) {
            ProxyProcess other = restarted == a ? b : a;
            restarted.stop();
            restarted.restart();
            assertNodeWorks(other);
            assertNodeWorks(restarted);
        }
    }

    @Test
    @Order(4)
    void aNodeWithAnotherMasterKeyRefusesToStartAndTheOthersKeepWorking() throws IOException {
        String other = Base64.getEncoder().encodeToString(random(32));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> extra.add(a.startPeer("keystore-wrongkey", 802, Map.of("SSE_PROXY_MASTER_KEY", other))));
        assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
        String log = Files.readString(ProxyProcess.logFile("keystore-wrongkey"), StandardCharsets.UTF_8);
        assertTrue(log.contains("is not the master key the local KMS keystore in PostgreSQL is sealed under"), log);
        assertTrue(log.contains("set SSE_PROXY_MASTER_KEY"), log);

        // the operator's case: no SSE_PROXY_MASTER_KEY, so the node would make its own <data-dir>/master.key
        Files.deleteIfExists(a.projectRoot().resolve("target/it-data-keystore-nokey/master.key")); // from an earlier run
        Map<String, String> unset = new HashMap<>();
        unset.put("SSE_PROXY_MASTER_KEY", null);
        e = assertThrows(IllegalStateException.class, () -> extra.add(a.startPeer("keystore-nokey", 803, unset)));
        assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
        log = Files.readString(ProxyProcess.logFile("keystore-nokey"), StandardCharsets.UTF_8);
        assertTrue(log.contains("is not the master key the local KMS keystore in PostgreSQL is sealed under"), log);
        assertTrue(log.contains("master.key (generated at this start)"), log);

        assertNodeWorks(a);
        assertNodeWorks(b);
    }

    /** Reads every object, signs with the account's key, uses the KMS key, and creates an account as root. */
    static void assertNodeWorks(ProxyProcess node) {
        assertObjectsReadOn(node);
        try (KmsClient kms = kms(node); S3Client s3 = s3(node)) {
            assertEquals(keyId, kms.describeKey(r -> r.keyId(keyId)).keyMetadata().keyId());
            String fresh = kms.createKey(r -> r.description("after a restart")).keyMetadata().arn();
            byte[] body = random(4000);
            String key = "check-" + UUID.randomUUID();
            s3.putObject(x -> x.bucket(bucket).key(key).serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(fresh), RequestBody.fromBytes(body));
            assertArrayEquals(body, s3.getObjectAsBytes(x -> x.bucket(bucket).key(key)).asByteArray());
        }
        node.newAccount("keystore-check-" + UUID.randomUUID().toString().substring(0, 8));
    }

    static void assertObjectsReadOn(ProxyProcess node) {
        try (S3Client s3 = s3(node)) {
            objects.forEach((key, body) -> {
                assertArrayEquals(body, s3.getObjectAsBytes(x -> x.bucket(bucket).key(key)).asByteArray(), key);
                HeadObjectResponse h = s3.headObject(x -> x.bucket(bucket).key(key));
                assertEquals(ServerSideEncryption.AWS_KMS, h.serverSideEncryption());
                assertTrue(h.ssekmsKeyId().endsWith(keyId), h::toString);
            });
        }
    }
}
