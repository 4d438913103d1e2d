package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

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

    static CompleteMultipartUploadResponse complete(S3Client c, String key, String id, List<String> etags) {
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < etags.size(); i++) {
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(etags.get(i)).build());
        }
        return c.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Issue #10 item 10: SDKs retry Complete when its response is lost; S3 answers the retry as the first. */
    @Test
    void conditionalCompletesCompareTheEtagClientsSee() {
        // S3's conditional writes on CompleteMultipartUpload: If-None-Match: * and If-Match (the ETag clients see)
        CompleteMultipartUploadResponse first = completeOne("cond-mp", 21, c -> c.ifNoneMatch("*"));
        assertEquals(412, assertThrows(S3Exception.class, () -> completeOne("cond-mp", 22, c -> c.ifNoneMatch("*")))
                .statusCode());
        S3Exception stale = assertThrows(S3Exception.class,
                () -> completeOne("cond-mp", 23, c -> c.ifMatch("\"0123456789abcdef0123456789abcdef-1\"")));
        assertEquals(412, stale.statusCode());
        assertEquals("PreconditionFailed", stale.awsErrorDetails().errorCode());
        CompleteMultipartUploadResponse second = completeOne("cond-mp", 24, c -> c.ifMatch(first.eTag()));
        assertEquals(second.eTag(), s3.headObject(b -> b.bucket(bucket).key("cond-mp")).eTag());
        S3Exception missing = assertThrows(S3Exception.class,
                () -> completeOne("cond-mp-missing", 25, c -> c.ifMatch(first.eTag())));
        assertEquals(404, missing.statusCode());
        assertEquals("NoSuchKey", missing.awsErrorDetails().errorCode());
    }

    /** One upload of one small part, completed with {@code conditions}. */
    private static CompleteMultipartUploadResponse completeOne(String key, int seed,
            java.util.function.Consumer<software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest.Builder> conditions) {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(1),
                RequestBody.fromBytes(random(1000, seed))).eTag();
        return s3.completeMultipartUpload(b -> {
            b.bucket(bucket).key(key).uploadId(id)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build()));
            conditions.accept(b);
        });
    }

    @Test
    void repeatedCompleteAnswersTheSameResult() {
        byte[] p1 = random(5 * MIB, 11);
        byte[] p2 = random(1000, 12);
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("again")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key("again").uploadId(id).partNumber(1), RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket(bucket).key("again").uploadId(id).partNumber(2), RequestBody.fromBytes(p2)).eTag();
        CompleteMultipartUploadResponse first = complete(s3, "again", id, List.of(e1, e2));
        for (int i = 0; i < 2; i++) {
            CompleteMultipartUploadResponse again = complete(s3, "again", id, List.of(e1, e2));
            assertEquals(200, again.sdkHttpResponse().statusCode());
            assertEquals(first.eTag(), again.eTag());
            assertEquals(first.bucket(), again.bucket());
            assertEquals(first.key(), again.key());
            assertEquals(first.location(), again.location());
            assertEquals(ServerSideEncryption.AES256, again.serverSideEncryption());
        }
        // quotes around part ETags do not make another part list
        CompleteMultipartUploadResponse unquoted = complete(s3, "again", id,
                List.of(e1.replace("\"", ""), e2.replace("\"", "")));
        assertEquals(first.eTag(), unquoted.eTag());
        assertArrayEquals(concat(p1, p2), s3.getObjectAsBytes(b -> b.bucket(bucket).key("again")).asByteArray());
        assertEquals(first.eTag(), s3.headObject(b -> b.bucket(bucket).key("again")).eTag());
        // another part list, parts and listings of the completed upload: it is no longer open
        S3Exception other = assertThrows(S3Exception.class, () -> complete(s3, "again", id, List.of(e1)));
        assertEquals("NoSuchUpload", other.awsErrorDetails().errorCode());
        assertEquals(404, other.statusCode());
        S3Exception part = assertThrows(S3Exception.class, () -> s3.uploadPart(b -> b.bucket(bucket).key("again")
                .uploadId(id).partNumber(3), RequestBody.fromBytes(p2)));
        assertEquals("NoSuchUpload", part.awsErrorDetails().errorCode());
        S3Exception list = assertThrows(S3Exception.class, () -> s3.listParts(b -> b.bucket(bucket).key("again").uploadId(id)));
        assertEquals("NoSuchUpload", list.awsErrorDetails().errorCode());
        assertArrayEquals(concat(p1, p2), s3.getObjectAsBytes(b -> b.bucket(bucket).key("again")).asByteArray());
    }

    /** A completed upload is remembered for a bounded time: rows past it are purged by later completions. */
    @Test
    void completedUploadsAreForgottenAfterTheRetention() {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("old")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key("old").uploadId(id).partNumber(1),
                RequestBody.fromBytes(random(100, 13))).eTag();
        complete(s3, "old", id, List.of(e1));
        ProxyProcess p = ProxyProcess.get();
        assertEquals("1", p.sql("SELECT count(*) FROM sse_upload WHERE upload_id = '" + id + "' AND completed_at IS NOT NULL"));
        p.sql("UPDATE sse_upload SET completed_at = now() - interval '25 hours' WHERE upload_id = '" + id + "'");
        String other = s3.createMultipartUpload(b -> b.bucket(bucket).key("old2")).uploadId();
        String e2 = s3.uploadPart(b -> b.bucket(bucket).key("old2").uploadId(other).partNumber(1),
                RequestBody.fromBytes(random(100, 14))).eTag();
        complete(s3, "old2", other, List.of(e2));
        assertEquals("0", p.sql("SELECT count(*) FROM sse_upload WHERE upload_id = '" + id + "'"));
        S3Exception gone = assertThrows(S3Exception.class, () -> complete(s3, "old", id, List.of(e1)));
        assertEquals("NoSuchUpload", gone.awsErrorDetails().errorCode());
    }

    /** Concurrent Completes of one upload: every one answers the same 200, the object is written once and reads back. */
    @Test
    void concurrentCompletesAllAnswerTheSameResult() throws Exception {
        byte[] p1 = random(5 * MIB, 15);
        byte[] p2 = random(777, 16);
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("race-complete")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key("race-complete").uploadId(id).partNumber(1),
                RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket(bucket).key("race-complete").uploadId(id).partNumber(2),
                RequestBody.fromBytes(p2)).eTag();
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<S3Client> clients = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<CompleteMultipartUploadResponse>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                S3Client c = Clients.sdk();
                clients.add(c);
                results.add(pool.submit(() -> {
                    go.await();
                    return complete(c, "race-complete", id, List.of(e1, e2));
                }));
            }
            go.countDown();
            String etag = null;
            for (Future<CompleteMultipartUploadResponse> f : results) {
                CompleteMultipartUploadResponse r = f.get(120, TimeUnit.SECONDS);
                assertEquals(200, r.sdkHttpResponse().statusCode());
                etag = etag == null ? r.eTag() : etag;
                assertEquals(etag, r.eTag());
            }
            assertArrayEquals(concat(p1, p2), s3.getObjectAsBytes(b -> b.bucket(bucket).key("race-complete")).asByteArray());
            assertEquals(etag, s3.headObject(b -> b.bucket(bucket).key("race-complete")).eTag());
        } finally {
            pool.shutdownNow();
            clients.forEach(S3Client::close);
        }
    }

    /** A part uploaded twice: the copy uploaded last counts, in part order; the first copy's ETag no longer does. */
    @Test
    void partUploadedTwiceTheLastCopyCounts() {
        byte[] p1 = random(5 * MIB, 17);
        byte[] first = random(5 * MIB, 18);
        byte[] second = random(5 * MIB + 5, 19);
        byte[] p3 = random(4242, 20);
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("twice")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key("twice").uploadId(id).partNumber(1), RequestBody.fromBytes(p1)).eTag();
        String e2a = s3.uploadPart(b -> b.bucket(bucket).key("twice").uploadId(id).partNumber(2),
                RequestBody.fromBytes(first)).eTag();
        String e3 = s3.uploadPart(b -> b.bucket(bucket).key("twice").uploadId(id).partNumber(3), RequestBody.fromBytes(p3)).eTag();
        String e2b = s3.uploadPart(b -> b.bucket(bucket).key("twice").uploadId(id).partNumber(2),
                RequestBody.fromBytes(second)).eTag();
        var listed = s3.listParts(b -> b.bucket(bucket).key("twice").uploadId(id)).parts();
        assertEquals(List.of(1, 2, 3), listed.stream().map(p -> p.partNumber()).toList());
        assertEquals(e2b, listed.get(1).eTag());
        assertEquals((long) second.length, listed.get(1).size());
        S3Exception stale = assertThrows(S3Exception.class, () -> complete(s3, "twice", id, List.of(e1, e2a, e3)));
        assertEquals("InvalidPart", stale.awsErrorDetails().errorCode());
        complete(s3, "twice", id, List.of(e1, e2b, e3));
        byte[] expected = concat(concat(p1, second), p3);
        assertArrayEquals(expected, s3.getObjectAsBytes(b -> b.bucket(bucket).key("twice")).asByteArray());
        assertArrayEquals(second, s3.getObjectAsBytes(b -> b.bucket(bucket).key("twice").partNumber(2)).asByteArray());
        assertArrayEquals(Arrays.copyOfRange(expected, 5 * MIB - 10, 5 * MIB + 10), s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("twice").range("bytes=" + (5 * MIB - 10) + "-" + (5 * MIB + 9))).asByteArray());
    }

    /**
     * Two uploads of one part racing: A starts first and is held half-sent until B has finished, so A
     * finishes last and is the copy that counts (as on S3); its frames decrypt under its own nonce.
     * Over TLS, where the SDK streams the body once (no pre-read to sign it).
     */
    @Test
    void racingUploadsOfOnePartTheOneFinishingLastWins() throws Exception {
        byte[] p1 = random(5 * MIB, 21);
        byte[] slow = random(5 * MIB + 3, 22);
        byte[] fast = random(5 * MIB + 3, 23);
        ProxyProcess proxy = ProxyProcess.get();
        try (S3Client tls = Clients.tlsSdk()) {
            String id = tls.createMultipartUpload(b -> b.bucket(bucket).key("racing")).uploadId();
            String e1 = tls.uploadPart(b -> b.bucket(bucket).key("racing").uploadId(id).partNumber(1),
                    RequestBody.fromBytes(p1)).eTag();
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<String> a = pool.submit(() -> tls.uploadPart(b -> b.bucket(bucket).key("racing").uploadId(id)
                        .partNumber(2), RequestBody.fromContentProvider(() -> new HeldStream(slow, slow.length / 2, release),
                        slow.length, "application/octet-stream")).eTag());
                // A is at the proxy once it claimed its nonce for part 2
                String claimed = "SELECT count(*) FROM sse_upload_part_claim WHERE upload_id = '" + id + "' AND part_number = 2";
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!"1".equals(proxy.sql(claimed))) {
                    assertTrue(System.nanoTime() < until, "the slow upload never reached the proxy");
                    assertTrue(!a.isDone(), "the slow upload ended early");
                    Thread.sleep(50);
                }
                String eb = tls.uploadPart(b -> b.bucket(bucket).key("racing").uploadId(id).partNumber(2),
                        RequestBody.fromBytes(fast)).eTag();
                assertTrue(!a.isDone(), "the slow upload finished first");
                release.countDown();
                String ea = a.get(120, TimeUnit.SECONDS);
                assertTrue(!ea.equals(eb));
                var listed = tls.listParts(b -> b.bucket(bucket).key("racing").uploadId(id)).parts();
                assertEquals(ea, listed.get(1).eTag(), "the copy that finished last is the part");
                S3Exception lost = assertThrows(S3Exception.class, () -> complete(tls, "racing", id, List.of(e1, eb)));
                assertEquals("InvalidPart", lost.awsErrorDetails().errorCode());
                complete(tls, "racing", id, List.of(e1, ea));
                assertArrayEquals(concat(p1, slow), tls.getObjectAsBytes(b -> b.bucket(bucket).key("racing")).asByteArray());
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    /** A body that stops after {@code holdAt} bytes until released (at most a minute). */
    static final class HeldStream extends InputStream {
        private final byte[] data;
        private final int holdAt;
        private final CountDownLatch release;
        private int pos;

        HeldStream(byte[] data, int holdAt, CountDownLatch release) {
            this.data = data;
            this.holdAt = holdAt;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= data.length) {
                return -1;
            }
            if (pos == holdAt) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            int end = pos < holdAt ? holdAt : data.length;
            int n = Math.min(len, end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
