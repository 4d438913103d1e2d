package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * IAM changes made on node A reach node B within a second (change feed: {@code access-key},
 * {@code iam-user}): a user's deleted key is refused on B, a deleted policy stops allowing on B.
 * Two nodes on one database (port offsets 880+).
 */
class IamClusterIT {
    static final int PORT_OFFSET = 880;
    static List<ProxyProcess> nodes;
    static ProxyProcess a;
    static ProxyProcess b;
    static IamClient iamA;
    static S3Client s3A;

    @BeforeAll
    static void start() {
        nodes = ProxyProcess.startCluster("iam", PORT_OFFSET, 2, Map.of());
        a = nodes.get(0);
        b = nodes.get(1);
        iamA = IamUsersIT.iam(a.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        s3A = Clients.sdk(a.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.forEach(ProxyProcess::stop);
        }
        System.out.println("propagation ms (request sent, answered)  change");
        ClusterInvalidationIT.MEASURED.forEach(m -> System.out.println("propagation ms " + m));
    }

    static AccessKey userWithS3(String name, String bucket) {
        AccessKey key = IamUsersIT.userWithKey(iamA, name);
        iamA.putUserPolicy(r -> r.userName(name).policyName("s3").policyDocument(
                IamUsersIT.allow("\"s3:PutObject\",\"s3:ListBucket\"", "arn:aws:s3:::" + bucket + "*")));
        return key;
    }

    static void put(S3Client s3, String bucket, String key) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("x"));
    }

    @Test
    void aUsersKeyDeletedOnAIsRefusedOnBWithinASecond() {
        String bucket = Clients.newBucket(s3A, "iam-key");
        String name = IamUsersIT.unique("cluster-key");
        AccessKey key = userWithS3(name, bucket);
        S3Client asUserOnB = Clients.sdk(b.endpoint(), key.accessKeyId(), key.secretAccessKey());
        put(asUserOnB, bucket, "warm");
        iamA.deleteAccessKey(r -> r.userName(name).accessKeyId(key.accessKeyId()));
        long t0 = System.nanoTime();
        ClusterInvalidationIT.record("user's key deleted on A -> refused on B", ClusterInvalidationIT.until(
                () -> ClusterInvalidationIT.errorOf(() -> put(asUserOnB, bucket, "after"))
                        .filter("InvalidAccessKeyId"::equals).isPresent(), t0));
    }

    @Test
    void aUsersPolicyDeletedOnAStopsAllowingOnBWithinASecond() {
        String bucket = Clients.newBucket(s3A, "iam-policy");
        String name = IamUsersIT.unique("cluster-policy");
        AccessKey key = userWithS3(name, bucket);
        S3Client asUserOnB = Clients.sdk(b.endpoint(), key.accessKeyId(), key.secretAccessKey());
        put(asUserOnB, bucket, "warm");
        iamA.deleteUserPolicy(r -> r.userName(name).policyName("s3"));
        long t0 = System.nanoTime();
        ClusterInvalidationIT.record("user's policy deleted on A -> AccessDenied on B", ClusterInvalidationIT.until(
                () -> ClusterInvalidationIT.errorOf(() -> put(asUserOnB, bucket, "after"))
                        .filter("AccessDenied"::equals).isPresent(), t0));
        Optional<String> stillDenied = ClusterInvalidationIT.errorOf(() -> put(asUserOnB, bucket, "later"));
        assertEquals(Optional.of("AccessDenied"), stillDenied);
        assertTrue(ClusterInvalidationIT.MEASURED.size() >= 1);
    }
}
