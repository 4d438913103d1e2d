package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;

/**
 * The MD5 ETag of a streamed SSE-S3 PUT (issue 14, T1): S3's ETag of an SSE-S3 object is the MD5 of
 * its plaintext, known only after the last byte. The proxy keeps it in the catalog under the write's
 * id, put before the final frame goes to MinIO, instead of stamping it into the envelope with a second,
 * metadata-only backend request afterwards. Every reader sees the MD5: the PUT's answer, HEAD, GET,
 * the three listings, GetObjectAttributes and CopyObject's source conditions. A write with a trailer
 * checksum, which lives in the envelope, is still stamped.
 */
class StreamedEtagIT {
    static final int SIZE = 3 * 1024 * 1024 + 17; // above the 1 MiB buffer limit: encrypted as it streams
    static S3Client s3;
    /** The SDK sending no checksum of its own (its default adds a CRC32 trailer). */
    static S3Client plainSdk;
    static S3Client minio;
    static ProxyProcess proxy;

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.get();
        s3 = Clients.sdk();
        plainSdk = S3Client.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .forcePathStyle(true).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create()).build();
        minio = Clients.sdk(proxy.minioEndpoint(), ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD);
    }

    @Test
    void aStreamedSseS3PutShowsItsMd5EverywhereFromOneBackendWrite() throws Exception {
        String b = Clients.newBucket(s3, "etag-ref");
        byte[] body = random(SIZE, 1);
        String md5 = "\"" + md5Hex(body) + "\"";

        var put = plainSdk.putObject(x -> x.bucket(b).key("big"), RequestBody.fromBytes(body));
        assertEquals(md5, put.eTag());
        assertEquals("AES256", put.serverSideEncryptionAsString());

        HeadObjectResponse head = s3.headObject(x -> x.bucket(b).key("big"));
        assertEquals(md5, head.eTag());
        assertEquals(SIZE, head.contentLength());
        var got = s3.getObjectAsBytes(x -> x.bucket(b).key("big"));
        assertArrayEquals(body, got.asByteArray());
        assertEquals(md5, got.response().eTag());
        assertEquals(md5, s3.listObjectsV2(x -> x.bucket(b)).contents().get(0).eTag());
        assertEquals(md5, s3.listObjects(x -> x.bucket(b)).contents().get(0).eTag());
        assertEquals(md5, s3.listObjectVersions(x -> x.bucket(b)).versions().get(0).eTag());
        assertEquals(md5hexOf(md5), s3.getObjectAttributes(x -> x.bucket(b).key("big")
                .objectAttributes(ObjectAttributes.E_TAG)).eTag());
        // conditions compare the ETag clients saw
        var copy = plainSdk.copyObject(x -> x.sourceBucket(b).sourceKey("big").destinationBucket(b).destinationKey("copy")
                .copySourceIfMatch(md5));
        assertEquals(md5, copy.copyObjectResult().eTag());
        assertEquals(md5, s3.headObject(x -> x.bucket(b).key("copy")).eTag());
        assertEquals(304, assertThrowsStatus(() -> s3.getObject(x -> x.bucket(b).key("big").ifNoneMatch(md5))));
        assertEquals(md5, plainSdk.putObject(x -> x.bucket(b).key("copy").ifMatch(md5), RequestBody.fromBytes(body)).eTag());

        // at rest: one write, no stamp. The object names its write and carries no etag field (a
        // metadata-only copy would have written one); MinIO's own ETag is its ciphertext's
        HeadObjectResponse stored = minio.headObject(x -> x.bucket(b).key("big"));
        String ref = meta(stored, "sse-proxy-etag-ref");
        assertNotNull(ref, stored.metadata().toString());
        assertNull(meta(stored, "sse-proxy-etag"), stored.metadata().toString());
        assertNotEquals(md5, stored.eTag());
        assertEquals(md5hexOf(md5), proxy.sql("SELECT etag FROM sse_object_etag WHERE bucket = '" + b
                + "' AND object_key = 'big' AND write_id = '" + ref + "'").trim());
        byte[] atRest = minio.getObjectAsBytes(x -> x.bucket(b).key("big")).asByteArray();
        assertFalse(SseObjectsIT.contains(atRest, java.util.Arrays.copyOfRange(body, 1000, 1064)), "plaintext at rest");
    }

    @Test
    void overwritingOrDeletingTheObjectSweepsItsEtagRow() throws Exception {
        String b = Clients.newBucket(s3, "etag-sweep");
        byte[] body = random(SIZE, 2);
        plainSdk.putObject(x -> x.bucket(b).key("k"), RequestBody.fromBytes(body));
        assertEquals(1, rows(b, "k"));
        // a small (buffered) overwrite carries its ETag inline: the old row goes with its sweep
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("small"));
        awaitRows(b, "k", 0);
        assertEquals("\"" + md5Hex("small".getBytes()) + "\"", s3.headObject(x -> x.bucket(b).key("k")).eTag());

        byte[] second = random(SIZE, 3);
        assertEquals("\"" + md5Hex(second) + "\"", plainSdk.putObject(x -> x.bucket(b).key("k"),
                RequestBody.fromBytes(second)).eTag());
        assertEquals(1, rows(b, "k"));
        s3.deleteObject(x -> x.bucket(b).key("k"));
        awaitRows(b, "k", 0);
    }

    @Test
    void aTrailerChecksumIsStampedWithTheMd5AsBefore() throws Exception {
        String b = Clients.newBucket(s3, "etag-cks");
        byte[] body = random(SIZE, 4);
        String md5 = "\"" + md5Hex(body) + "\"";
        var put = s3.putObject(x -> x.bucket(b).key("k").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromBytes(body));
        assertEquals(md5, put.eTag());
        assertEquals(md5, s3.headObject(x -> x.bucket(b).key("k")).eTag());
        // the checksum lives in the envelope, so the envelope is rewritten once the body ended, ETag inline
        HeadObjectResponse stored = minio.headObject(x -> x.bucket(b).key("k"));
        assertEquals(md5hexOf(md5), meta(stored, "sse-proxy-etag"), stored.metadata().toString());
    }

    @Test
    void eachVersionListsItsOwnMd5() throws Exception {
        String b = Clients.newBucket(s3, "etag-ver");
        s3.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        byte[] one = random(SIZE, 5);
        byte[] two = random(SIZE, 6);
        String v1 = plainSdk.putObject(x -> x.bucket(b).key("k"), RequestBody.fromBytes(one)).versionId();
        String v2 = plainSdk.putObject(x -> x.bucket(b).key("k"), RequestBody.fromBytes(two)).versionId();
        assertEquals(2, minio.listObjectVersions(x -> x.bucket(b)).versions().size());
        var versions = s3.listObjectVersions(x -> x.bucket(b)).versions();
        assertEquals(2, versions.size());
        for (var v : versions) {
            assertEquals("\"" + md5Hex(v.versionId().equals(v1) ? one : two) + "\"", v.eTag(), v.versionId());
        }
        assertEquals("\"" + md5Hex(one) + "\"", s3.headObject(x -> x.bucket(b).key("k").versionId(v1)).eTag());
        assertEquals("\"" + md5Hex(two) + "\"", s3.headObject(x -> x.bucket(b).key("k").versionId(v2)).eTag());
        // a versioned bucket keeps the rows: its older versions still name theirs
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("small"));
        Thread.sleep(500);
        assertEquals(2, rows(b, "k"));
        assertEquals("\"" + md5Hex(one) + "\"", s3.headObject(x -> x.bucket(b).key("k").versionId(v1)).eTag());
    }

    private static int assertThrowsStatus(Runnable r) {
        try {
            r.run();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return e.statusCode();
        }
        throw new AssertionError("no error");
    }

    private static long rows(String bucket, String key) {
        return Long.parseLong(proxy.sql("SELECT count(*) FROM sse_object_etag WHERE bucket = '" + bucket
                + "' AND object_key = '" + key + "'").trim());
    }

    private static void awaitRows(String bucket, String key, long want) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (rows(bucket, key) != want && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(want, rows(bucket, key));
    }

    private static String md5hexOf(String quoted) {
        return quoted.substring(1, quoted.length() - 1);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5Hex(byte[] b) throws Exception {
        return SseObjectsIT.md5Hex(b);
    }

    /** A user-metadata entry as MinIO answers it, whatever the case of its name. */
    static String meta(HeadObjectResponse r, String name) {
        return StoredEnvelope.unpacked(r.metadata()).entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    }
}
