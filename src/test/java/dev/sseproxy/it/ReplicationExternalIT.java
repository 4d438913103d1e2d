package dev.sseproxy.it;

import static dev.sseproxy.it.SseObjectsIT.contains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
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
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * An external destination ({@code sse-proxy.replication.external.<bucket>}): the "external S3 endpoint" is a
 * second sse-proxy on its own database; the source proxy sends it the plaintext, SigV4-signed, asking for
 * SSE-KMS under the rule's ReplicaKmsKeyID (a key of the destination proxy's KMS). The replica is read back
 * through the destination proxy and checked at rest in MinIO: ciphertext, the envelope naming that key.
 */
class ReplicationExternalIT {
    static final String EXTERNAL = "replext" + HexFormat.of().formatHex(new byte[] {(byte) new Random().nextInt(),
        (byte) new Random().nextInt(), (byte) new Random().nextInt()});
    static ProxyProcess target;
    static ProxyProcess source;
    static S3Client targetS3;
    static S3Client sourceS3;
    static S3Client minio;
    static KmsClient targetKms;

    @BeforeAll
    static void start() {
        target = ProxyProcess.startDedicated("replication-ext-target", 1210, Map.of());
        String var = "SSE_PROXY_REPLICATION_EXTERNAL_" + EXTERNAL.toUpperCase();
        source = ProxyProcess.startDedicated("replication-ext-source", 1220, Map.of(
                var + "_ENDPOINT", target.endpoint().toString(),
                var + "_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY,
                var + "_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY));
        targetS3 = Clients.sdk(target.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        sourceS3 = Clients.sdk(source.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        minio = Clients.sdk(target.minioEndpoint(), ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD);
        targetKms = KmsClient.builder().endpointOverride(target.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        targetS3.close();
        sourceS3.close();
        minio.close();
        targetKms.close();
        source.stop();
        target.stop();
    }

    @Test
    void theReplicaIsSentToTheExternalEndpointEncryptedUnderReplicaKmsKeyId() {
        targetS3.createBucket(x -> x.bucket(EXTERNAL));
        ReplicationIT.versioning(targetS3, EXTERNAL);
        String key = targetKms.createKey(k -> k.description("ReplicationExternalIT")).keyMetadata().arn();
        String src = ReplicationIT.versioned(sourceS3, "repl-ext-src");
        ReplicationIT.configure(sourceS3, sourceS3.listBuckets().owner().id(), src,
                ReplicationIT.Rule.to(EXTERNAL).replicaKey(key));
        byte[] body = ReplicationIT.text("external", 200_000, 12);
        sourceS3.putObject(x -> x.bucket(src).key("a/b.bin").contentType("application/x-test")
                .metadata(Map.of("origin", "source")).tagging("k=v"), RequestBody.fromBytes(body));
        ReplicationIT.await("external replica", () -> "COMPLETED".equals(ReplicationIT.status(sourceS3, src, "a/b.bin")));
        assertArrayEquals(body, targetS3.getObjectAsBytes(x -> x.bucket(EXTERNAL).key("a/b.bin")).asByteArray());
        HeadObjectResponse h = targetS3.headObject(x -> x.bucket(EXTERNAL).key("a/b.bin"));
        assertEquals(ServerSideEncryption.AWS_KMS, h.serverSideEncryption());
        assertEquals(key, h.ssekmsKeyId());
        assertEquals("application/x-test", h.contentType());
        assertEquals(Map.of("origin", "source"), h.metadata());
        assertEquals("v", targetS3.getObjectTagging(x -> x.bucket(EXTERNAL).key("a/b.bin")).tagSet().get(0).value());
        byte[] stored = minio.getObjectAsBytes(x -> x.bucket(EXTERNAL).key("a/b.bin")).asByteArray();
        assertFalse(contains(stored, java.util.Arrays.copyOfRange(body, 0, 32)), "plaintext at rest");
        Map<String, String> meta = StoredEnvelope.unpacked(minio.headObject(x -> x.bucket(EXTERNAL).key("a/b.bin")).metadata());
        assertEquals("SSE_KMS", meta.get("sse-proxy-mode"));
        assertEquals(key, meta.get("sse-proxy-kms-key"));
    }
}
