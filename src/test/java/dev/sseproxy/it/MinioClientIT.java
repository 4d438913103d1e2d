package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.ComposeObjectArgs;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveBucketArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.Http.Method;
import io.minio.messages.DeleteRequest;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The MinIO Java client (9.x) as an S3 client of the proxy: every operation it offers that issue 2 covers. */
class MinioClientIT {
    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static byte[] get(MinioClient c, String bucket, String key) throws Exception {
        try (InputStream in = c.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    @Test
    void minioClientPerformsBucketAndObjectOperations() throws Exception {
        MinioClient c = Clients.minioViaProxy();
        String bucket = Clients.bucketName("minio");
        c.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        assertTrue(c.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
        assertTrue(c.listBuckets().stream().anyMatch(b -> b.name().equals(bucket)));

        byte[] small = random(100_000);
        c.putObject(PutObjectArgs.builder().bucket(bucket).object("dir/small").contentType("text/x-minio")
                .userMetadata(Map.of("origin", "minio")).stream(new ByteArrayInputStream(small), (long) small.length, -1L).build());
        var stat = c.statObject(StatObjectArgs.builder().bucket(bucket).object("dir/small").build());
        assertEquals(small.length, stat.size());
        assertEquals("text/x-minio", stat.contentType());
        assertEquals("minio", stat.userMetadata().getFirst("origin"));
        assertArrayEquals(small, get(c, bucket, "dir/small"));
        try (InputStream in = c.getObject(GetObjectArgs.builder().bucket(bucket).object("dir/small").offset(10L).length(5L).build())) {
            assertArrayEquals(java.util.Arrays.copyOfRange(small, 10, 15), in.readAllBytes());
        }

        // unknown size: the client switches to multipart uploads of 5 MiB parts
        byte[] big = random(12 * 1024 * 1024);
        c.putObject(PutObjectArgs.builder().bucket(bucket).object("big").stream(new ByteArrayInputStream(big), null,
                5L * 1024 * 1024).build());
        assertArrayEquals(big, get(c, bucket, "big"));
        assertTrue(c.statObject(StatObjectArgs.builder().bucket(bucket).object("big").build()).etag().endsWith("-3"));

        c.copyObject(CopyObjectArgs.builder().bucket(bucket).object("copy").source(SourceObject.builder().bucket(bucket)
                .object("dir/small").build()).build());
        assertArrayEquals(small, get(c, bucket, "copy"));
        c.composeObject(ComposeObjectArgs.builder().bucket(bucket).object("composed").sources(new ArrayList<>(List.of(
                SourceObject.builder().bucket(bucket).object("big").build(),
                SourceObject.builder().bucket(bucket).object("dir/small").build()))).build());
        byte[] composed = get(c, bucket, "composed");
        assertEquals(big.length + small.length, composed.length);

        List<String> keys = new ArrayList<>();
        for (Result<Item> r : c.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
            keys.add(r.get().objectName());
        }
        assertEquals(List.of("big", "composed", "copy", "dir/small"), keys);
        List<String> top = new ArrayList<>();
        for (Result<Item> r : c.listObjects(ListObjectsArgs.builder().bucket(bucket).build())) {
            top.add(r.get().objectName());
        }
        assertTrue(top.contains("dir/"), "non-recursive listing shows the common prefix: " + top);

        String url = c.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET).bucket(bucket)
                .object("dir/small").expiry(300).build());
        try (InputStream in = URI.create(url).toURL().openStream()) {
            assertArrayEquals(small, in.readAllBytes());
        }

        c.removeObject(RemoveObjectArgs.builder().bucket(bucket).object("copy").build());
        for (var err : c.removeObjects(RemoveObjectsArgs.builder().bucket(bucket).objects(List.of(
                new DeleteRequest.Object("big"), new DeleteRequest.Object("composed"), new DeleteRequest.Object("dir/small"))).build())) {
            throw new AssertionError("delete failed: " + err.get().objectName());
        }
        c.removeBucket(RemoveBucketArgs.builder().bucket(bucket).build());
        assertFalse(c.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }
}
