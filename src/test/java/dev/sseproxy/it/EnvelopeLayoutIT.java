package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The envelope's two layouts (crypto package documentation, "Envelope"), as a rolling upgrade meets
 * them: two replicas of one cluster, one writing the packed layout (the default: one entry {@code
 * x-amz-meta-sse-proxy-envelope}) and one set to {@code sse-proxy.encryption.envelope-layout=fields}
 * (one entry per field, as every version before the packed layout wrote). MinIO holds each object in
 * its writer's layout, and each replica reads, lists and heads the other's objects as its own: single
 * PUTs (buffered, and streamed with the MD5 ETag in the catalog), SSE-KMS, and multipart uploads.
 */
class EnvelopeLayoutIT {
    static final int MIB = 1024 * 1024;
    static List<ProxyProcess> cluster;
    static ProxyProcess fieldsNode;
    static S3Client packed;
    static S3Client fields;
    static S3Client minio;

    @BeforeAll
    static void start() {
        cluster = ProxyProcess.startCluster("layout", 1240, 1, Map.of());
        fieldsNode = cluster.get(0).startPeer("layout-fields", 1241, Map.of("SSE_PROXY_ENCRYPTION_ENVELOPE_LAYOUT", "fields"));
        packed = Clients.sdk(cluster.get(0).endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        fields = Clients.sdk(fieldsNode.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        minio = Clients.sdk(cluster.get(0).minioEndpoint(), ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD);
    }

    @AfterAll
    static void stop() {
        for (S3Client c : new S3Client[] {packed, fields, minio}) {
            if (c != null) {
                c.close();
            }
        }
        if (fieldsNode != null) {
            fieldsNode.stop();
        }
        if (cluster != null) {
            cluster.forEach(ProxyProcess::stop);
        }
    }

    record Written(String key, byte[] body, String etag) {
    }

    @Test
    void eachReplicaWritesItsLayoutAndReadsTheOther() {
        String bucket = Clients.newBucket(packed, "layout");
        Map<String, List<Written>> byWriter = new TreeMap<>();
        byWriter.put("packed", writeAll(packed, bucket, "packed/", 1));
        byWriter.put("fields", writeAll(fields, bucket, "fields/", 2));

        for (Written w : byWriter.get("packed")) {
            Set<String> reserved = reserved(bucket, w.key());
            reserved.remove("sse-proxy-etag-ref"); // a companion of the streamed PUT's envelope, in both layouts
            assertEquals(Set.of("sse-proxy-envelope"), reserved, "packed: one entry for " + w.key());
        }
        for (Written w : byWriter.get("fields")) {
            Set<String> reserved = reserved(bucket, w.key());
            assertTrue(reserved.containsAll(Set.of("sse-proxy-v", "sse-proxy-alg", "sse-proxy-mode", "sse-proxy-wk",
                    "sse-proxy-size", "sse-proxy-parts", "sse-proxy-mac")) && !reserved.contains("sse-proxy-envelope"),
                    "fields: one entry per field for " + w.key() + ": " + reserved);
        }

        Map<String, S3Object> listed = new TreeMap<>();
        for (S3Client reader : List.of(packed, fields)) {
            listed.clear();
            reader.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> listed.put(o.key(), o));
            for (List<Written> ws : byWriter.values()) {
                for (Written w : ws) {
                    assertArrayEquals(w.body(), reader.getObjectAsBytes(b -> b.bucket(bucket).key(w.key())).asByteArray(), w.key());
                    var head = reader.headObject(b -> b.bucket(bucket).key(w.key()));
                    assertEquals(w.etag(), head.eTag(), w.key());
                    assertEquals(w.body().length, head.contentLength(), w.key());
                    assertEquals(w.key().contains("kms") ? ServerSideEncryption.AWS_KMS : ServerSideEncryption.AES256,
                            head.serverSideEncryption(), w.key());
                    S3Object o = listed.get(w.key());
                    assertEquals(w.body().length, o.size(), "listed size of " + w.key());
                    assertEquals(w.etag(), o.eTag(), "listed ETag of " + w.key());
                }
            }
        }
    }

    /** The reserved user-metadata names MinIO holds for the object, lower-case, without x-amz-meta-. */
    static Set<String> reserved(String bucket, String key) {
        Set<String> names = new TreeSet<>();
        minio.headObject(b -> b.bucket(bucket).key(key)).metadata().keySet().forEach(n -> {
            String lower = n.toLowerCase(Locale.ROOT);
            if (lower.startsWith("sse-proxy-")) {
                names.add(lower);
            }
        });
        return names;
    }

    static List<Written> writeAll(S3Client s3, String bucket, String prefix, long seed) {
        List<Written> out = new ArrayList<>();
        byte[] small = random(100_000, seed);
        out.add(new Written(prefix + "small", small,
                s3.putObject(b -> b.bucket(bucket).key(prefix + "small"), RequestBody.fromBytes(small)).eTag()));
        byte[] kms = random(70_000, seed + 10);
        out.add(new Written(prefix + "kms", kms, s3.putObject(b -> b.bucket(bucket).key(prefix + "kms")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).bucketKeyEnabled(true), RequestBody.fromBytes(kms)).eTag()));
        byte[] streamed = random(3 * MIB + 17, seed + 20); // above the 1 MiB buffer limit: streamed
        out.add(new Written(prefix + "streamed", streamed,
                s3.putObject(b -> b.bucket(bucket).key(prefix + "streamed"), RequestBody.fromBytes(streamed)).eTag()));
        byte[] multipart = random(5 * MIB + 4321, seed + 30);
        String key = prefix + "multipart";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int[][] ranges = {{0, 5 * MIB}, {5 * MIB, multipart.length}};
        for (int i = 0; i < ranges.length; i++) {
            int part = i + 1;
            byte[] piece = java.util.Arrays.copyOfRange(multipart, ranges[i][0], ranges[i][1]);
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(part),
                    RequestBody.fromBytes(piece)).eTag();
            parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
        }
        String etag = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))).eTag();
        out.add(new Written(key, multipart, etag));
        return out;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
