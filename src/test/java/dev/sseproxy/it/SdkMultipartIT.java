package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Multipart uploads through the AWS SDK for Java v2. */
class SdkMultipartIT {
    static final int MIB = 1024 * 1024;
    static S3Client s3;
    static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        bucket = Clients.bucketName("multipart");
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void uploadCompleteAndReadBackWithMultipartEtagAndPartNumber() throws Exception {
        byte[] p1 = random(5 * MIB, 1);
        byte[] p2 = random(3 * MIB, 2);
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp").contentType("application/x-mp")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1), RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(2), RequestBody.fromBytes(p2)).eTag();
        var parts = s3.listParts(b -> b.bucket(bucket).key("mp").uploadId(id));
        assertEquals(List.of(1, 2), parts.parts().stream().map(p -> p.partNumber()).toList());
        assertEquals(List.of((long) p1.length, (long) p2.length), parts.parts().stream().map(p -> p.size()).toList());
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream().anyMatch(u -> u.uploadId().equals(id)));
        var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(HexFormat.of().parseHex(e1.replace("\"", "")));
        md5.update(HexFormat.of().parseHex(e2.replace("\"", "")));
        assertEquals("\"" + HexFormat.of().formatHex(md5.digest()) + "-2\"", done.eTag());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(p1);
        all.write(p2);
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp"));
        assertArrayEquals(all.toByteArray(), got.asByteArray());
        assertEquals("application/x-mp", got.response().contentType());
        var part2 = s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp").partNumber(2));
        assertArrayEquals(p2, part2.asByteArray());
        assertEquals(2, part2.response().partsCount());
        assertEquals(2, s3.headObject(b -> b.bucket(bucket).key("mp").partNumber(1)).partsCount());
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream().noneMatch(u -> u.uploadId().equals(id)));
    }

    @Test
    void uploadPartCopyWithRanges() {
        byte[] src = random(6 * MIB, 3);
        s3.putObject(b -> b.bucket(bucket).key("copy-src"), RequestBody.fromBytes(src));
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("copied")).uploadId();
        String e1 = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copied").uploadId(id).partNumber(1).copySourceRange("bytes=0-" + (5 * MIB - 1)))
                .copyPartResult().eTag();
        String e2 = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copied").uploadId(id).partNumber(2).copySourceRange("bytes=" + (5 * MIB) + "-" + (6 * MIB - 1)))
                .copyPartResult().eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("copied").uploadId(id).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        assertArrayEquals(src, s3.getObjectAsBytes(b -> b.bucket(bucket).key("copied")).asByteArray());
        String id2 = s3.createMultipartUpload(b -> b.bucket(bucket).key("copied2")).uploadId();
        String only = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copied2").uploadId(id2).partNumber(1).copySourceRange("bytes=100-199")).copyPartResult().eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("copied2").uploadId(id2).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(only).build())));
        assertArrayEquals(Arrays.copyOfRange(src, 100, 200), s3.getObjectAsBytes(b -> b.bucket(bucket).key("copied2")).asByteArray());
    }

    @Test
    void completeErrorsInvalidPartOrderInvalidPartAndEntityTooSmall() {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("bad")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key("bad").uploadId(id).partNumber(1),
                RequestBody.fromBytes(random(1024, 4))).eTag();
        String e2 = s3.uploadPart(b -> b.bucket(bucket).key("bad").uploadId(id).partNumber(2),
                RequestBody.fromBytes(random(1024, 5))).eTag();
        S3Exception order = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("bad")
                .uploadId(id).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(2).eTag(e2).build(),
                        CompletedPart.builder().partNumber(1).eTag(e1).build()))));
        assertEquals("InvalidPartOrder", order.awsErrorDetails().errorCode());
        S3Exception invalid = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("bad")
                .uploadId(id).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1)
                        .eTag("\"00000000000000000000000000000000\"").build()))));
        assertEquals("InvalidPart", invalid.awsErrorDetails().errorCode());
        S3Exception small = assertThrows(S3Exception.class, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("bad")
                .uploadId(id).multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build()))));
        assertEquals("EntityTooSmall", small.awsErrorDetails().errorCode());
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("bad").uploadId(id));
        S3Exception gone = assertThrows(S3Exception.class, () -> s3.listParts(b -> b.bucket(bucket).key("bad").uploadId(id)));
        assertEquals("NoSuchUpload", gone.awsErrorDetails().errorCode());
    }
}
