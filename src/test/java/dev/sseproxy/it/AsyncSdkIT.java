package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** The AWS SDK v2 async (Netty) client through a whole object life cycle, multipart included. */
class AsyncSdkIT {
    @Test
    void asyncClientCoversBucketsObjectsCopyListMultipartAndDeletes() throws Exception {
        byte[] part1 = new byte[5 * 1024 * 1024];
        byte[] part2 = new byte[777];
        new Random(1).nextBytes(part1);
        new Random(2).nextBytes(part2);
        try (S3AsyncClient s3 = Clients.asyncSdk()) {
            String bucket = Clients.bucketName("async");
            s3.createBucket(b -> b.bucket(bucket)).get();
            s3.headBucket(b -> b.bucket(bucket)).get();
            String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).get().uploadId();
            String e1 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1),
                    AsyncRequestBody.fromBytes(part1)).get().eTag();
            String e2 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(2),
                    AsyncRequestBody.fromBytes(part2)).get().eTag();
            assertEquals(2, s3.listParts(b -> b.bucket(bucket).key("mp").uploadId(id)).get().parts().size());
            s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id).multipartUpload(m -> m.parts(
                    CompletedPart.builder().partNumber(1).eTag(e1).build(),
                    CompletedPart.builder().partNumber(2).eTag(e2).build()))).get();
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("mp").destinationBucket(bucket).destinationKey("copy")).get();
            byte[] copy = s3.getObject(b -> b.bucket(bucket).key("copy"), AsyncResponseTransformer.toBytes()).get().asByteArray();
            assertEquals(part1.length + part2.length, copy.length);
            assertArrayEquals(part2, java.util.Arrays.copyOfRange(copy, part1.length, copy.length));
            byte[] range = s3.getObject(b -> b.bucket(bucket).key("mp").range("bytes=5242870-5242889"),
                    AsyncResponseTransformer.toBytes()).get().asByteArray();
            assertEquals(20, range.length);
            assertEquals(part1.length + part2.length, s3.headObject(b -> b.bucket(bucket).key("copy")).get().contentLength());
            assertEquals(2, s3.listObjectsV2(b -> b.bucket(bucket)).get().keyCount());
            assertEquals(2, s3.listObjects(b -> b.bucket(bucket)).get().contents().size());
            var del = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(o -> o.key("mp"), o -> o.key("copy")))).get();
            assertEquals(2, del.deleted().size());
            s3.deleteBucket(b -> b.bucket(bucket)).get();
            assertTrue(s3.listBuckets().get().buckets().stream().noneMatch(x -> x.name().equals(bucket)));
        }
    }
}
