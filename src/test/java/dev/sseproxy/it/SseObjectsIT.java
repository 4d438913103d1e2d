package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static dev.sseproxy.it.NegativeIT.assertHeadError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * Object-level server-side encryption end to end (spec §2.1, §3.1-3.9): tests named {@code bNN_} are the
 * spec's §12 behaviours; the others prove that nothing is stored in clear, that tampering at rest is
 * detected, that ranges decrypt exactly, and that the AWS CLI re-encrypts in place and does SSE-C.
 * SSE-C runs over the TLS port, on buckets whose rule carries {@code BlockedEncryptionTypes NONE}.
 */
class SseObjectsIT {
    static final String ROOT_ACCOUNT = BucketEncryptionIT.ROOT_ACCOUNT;
    static final int F = 65536;
    static final int MIB = 1024 * 1024;
    static final String MSG_WRONG_KEY =
            "Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.";
    static final String MSG_STORED_SSE =
            "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.";

    static S3Client s3;
    static S3Client tls;
    static KmsClient kms;
    static MinioClient minio;
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        s3 = Clients.sdk();
        tls = Clients.tlsSdk();
        ProxyProcess p = ProxyProcess.get();
        kms = KmsClient.builder().endpointOverride(p.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
        minio = Clients.backend();
        work = Files.createTempDirectory("sse-proxy-sse-it");
    }

    @AfterAll
    static void tearDown() throws Exception {
        s3.close();
        tls.close();
        kms.close();
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    // ---------------------------------------------------------------- helpers

    static String newBucket(String prefix) {
        return Clients.newBucket(s3, prefix);
    }

    /** A bucket that accepts SSE-C writes (rule with BlockedEncryptionTypes NONE). */
    static String sseCBucket(String prefix) {
        return Clients.sseCBucket(s3, prefix);
    }

    static void bucketDefault(String bucket, String alg, String keyId, Boolean bucketKey) {
        s3.putBucketEncryption(x -> x.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                BucketEncryptionIT.rule(alg, keyId, bucketKey))));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String md5Hex(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    static String quotedMd5(byte[] b) throws Exception {
        return "\"" + md5Hex(b) + "\"";
    }

    static String md5B64(byte[] b) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** SSE-C customer key material: raw, base64, MD5. */
    record CKey(byte[] raw, String b64, String md5) {
        static CKey random(long seed) throws Exception {
            byte[] k = SseObjectsIT.random(32, seed);
            return new CKey(k, SseObjectsIT.b64(k), md5B64(k));
        }
    }

    static PutObjectRequest.Builder withKey(PutObjectRequest.Builder b, CKey k) {
        return b.sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64).sseCustomerKeyMD5(k.md5);
    }

    static byte[] getC(String bucket, String key, CKey k) {
        return tls.getObjectAsBytes(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.b64).sseCustomerKeyMD5(k.md5)).asByteArray();
    }

    static String awsS3Key() {
        return kms.describeKey(b -> b.keyId("alias/aws/s3")).keyMetadata().arn();
    }

    static String newKmsKey() {
        return kms.createKey(b -> b.description("SseObjectsIT")).keyMetadata().arn();
    }

    static byte[] stored(String bucket, String key) throws Exception {
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    static StatObjectResponse stat(String bucket, String key) throws Exception {
        return minio.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
    }

    /** The stored user metadata, names lower-case with their x-amz-meta- prefix, the envelope one entry per field. */
    static Map<String, String> storedMeta(String bucket, String key) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        var h = stat(bucket, key).headers();
        for (String name : h.names()) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.startsWith("x-amz-meta-")) {
                m.put(n, h.get(name));
            }
        }
        return StoredEnvelope.unpacked(m);
    }

    /** Writes bytes straight into MinIO with the given metadata (names as from storedMeta). */
    static void storeRaw(String bucket, String key, byte[] body, Map<String, String> meta) throws Exception {
        Map<String, String> user = new LinkedHashMap<>();
        StoredEnvelope.packed(meta).forEach((n, v) -> user.put(n.substring("x-amz-meta-".length()), v));
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key).data(body, body.length).userMetadata(user)
                .build());
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * GET through the proxy of an object tampered with at rest: it must fail (an S3 error, or a body
     * aborted mid-way); whatever bytes arrived before the failure are a prefix of the plaintext, and a
     * complete body is never returned.
     */
    static void assertReadFails(String bucket, String key, byte[] plaintext) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        Throwable failure = null;
        Long declared = null;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            declared = in.response().contentLength();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (Exception e) {
            failure = e;
        }
        byte[] b = got.toByteArray();
        assertTrue(b.length <= plaintext.length && Arrays.equals(b, 0, b.length, plaintext, 0, b.length),
                "bytes returned that are not a prefix of the plaintext (" + b.length + " bytes)");
        // a body shorter than its Content-Length is an aborted response (HttpURLConnection does not throw)
        boolean aborted = failure != null || declared == null || b.length < declared;
        assertTrue(aborted, "a tampered object was returned whole (" + b.length + " of " + plaintext.length
                + " bytes, Content-Length " + declared + ")");
        assertTrue(b.length < plaintext.length, "the whole plaintext came back from a tampered object");
    }

    // ---------------------------------------------------------------- spec §12

    @Test
    void b08_defaultPutIsSseS3WithMd5Etag() throws Exception {
        String bucket = newBucket("sse-b08");
        byte[] data = "hello world".getBytes(StandardCharsets.UTF_8);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("q1.csv"), RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AES256, put.serverSideEncryption());
        assertEquals("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", put.eTag());
        assertNull(put.ssekmsKeyId());
        assertNull(put.bucketKeyEnabled());
        assertNull(put.sseCustomerAlgorithm());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("q1.csv"));
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        assertEquals(put.eTag(), head.eTag());
        assertNull(head.ssekmsKeyId());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("q1.csv")).asByteArray());
    }

    @Test
    void b09_kmsWithoutKeyIdUsesTheAccountsAwsS3Key() throws Exception {
        String bucket = newBucket("sse-b09");
        byte[] data = random(1000, 9);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
        assertTrue(put.ssekmsKeyId().matches(KmsApiIT.arnPattern(ROOT_ACCOUNT)), put.ssekmsKeyId());
        assertEquals(awsS3Key(), put.ssekmsKeyId(), "the key is the account's aws/s3 key");
        assertNotEquals(quotedMd5(data), put.eTag());
        assertNull(put.bucketKeyEnabled());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k"));
        assertEquals(ServerSideEncryption.AWS_KMS, head.serverSideEncryption());
        assertEquals(put.ssekmsKeyId(), head.ssekmsKeyId());
        assertEquals(put.eTag(), head.eTag());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());
        // the same aws/s3 key for another bucket of the account
        String other = newBucket("sse-b09b");
        assertEquals(put.ssekmsKeyId(), s3.putObject(b -> b.bucket(other).key("k")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS), RequestBody.fromBytes(data)).ssekmsKeyId());
    }

    @Test
    void b10_kmsBucketDefaultWithAndWithoutBucketKey() throws Exception {
        String key = newKmsKey();
        byte[] data = random(70_000, 10);
        String withBk = newBucket("sse-b10a");
        bucketDefault(withBk, "aws:kms", key, true);
        PutObjectResponse put = s3.putObject(b -> b.bucket(withBk).key("k"), RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
        assertEquals(key, put.ssekmsKeyId());
        assertEquals(Boolean.TRUE, put.bucketKeyEnabled());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(withBk).key("k"));
        assertEquals(key, head.ssekmsKeyId());
        assertEquals(Boolean.TRUE, head.bucketKeyEnabled());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(withBk).key("k")).asByteArray());

        String withoutBk = newBucket("sse-b10b");
        bucketDefault(withoutBk, "aws:kms", key, false);
        put = s3.putObject(b -> b.bucket(withoutBk).key("k"), RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
        assertEquals(key, put.ssekmsKeyId());
        assertNull(put.bucketKeyEnabled(), "no bucket-key header when the bucket key is off");
        head = s3.headObject(b -> b.bucket(withoutBk).key("k"));
        assertNull(head.bucketKeyEnabled());
        Response raw = Req.of("HEAD", "/" + withoutBk + "/k").sign().send();
        assertNull(raw.header("x-amz-server-side-encryption-bucket-key-enabled"), raw::toString);
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(withoutBk).key("k")).asByteArray());
    }

    @Test
    void b11_kmsKeyIdWithoutSseHeaderIsInvalidArgument() throws Exception {
        String bucket = newBucket("sse-b11");
        String key = newKmsKey();
        S3Exception e = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k").ssekmsKeyId(key),
                RequestBody.fromString("x")));
        assertError(e, 400, "InvalidArgument",
                "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms");
        NegativeIT.assertNotStored(bucket, "k");
    }

    @Test
    void b12_unknownSseValueIsInvalidArgument() throws Exception {
        String bucket = newBucket("sse-b12");
        S3Exception e = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k")
                .serverSideEncryption("bogus"), RequestBody.fromString("x")));
        assertError(e, 400, "InvalidArgument", "The encryption method specified is not supported");
        Response r = Req.of("PUT", "/" + bucket + "/k").header("x-amz-server-side-encryption", "aes256").body("x")
                .sign().send();
        assertError(r, 400, "InvalidArgument", "The encryption method specified is not supported");
        assertEquals("x-amz-server-side-encryption", r.element("ArgumentName"), r::toString);
        assertEquals("aes256", r.element("ArgumentValue"), r::toString);
        NegativeIT.assertNotStored(bucket, "k");
    }

    @Test
    void b13_sseS3TogetherWithSseCIsInvalidArgument() throws Exception {
        String bucket = sseCBucket("sse-b13");
        CKey k = CKey.random(13);
        S3Exception e = assertThrows(S3Exception.class, () -> tls.putObject(
                withKey(PutObjectRequest.builder().bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AES256), k)
                        .build(), RequestBody.fromString("x")));
        assertError(e, 400, "InvalidArgument",
                "Server Side Encryption with Customer provided key is incompatible with the encryption method specified");
    }

    @Test
    void b14_sseCKeyMd5MismatchAndShortKey() throws Exception {
        String bucket = sseCBucket("sse-b14");
        CKey k = CKey.random(14);
        CKey other = CKey.random(141);
        S3Exception e = assertThrows(S3Exception.class, () -> tls.putObject(b -> b.bucket(bucket).key("k")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64).sseCustomerKeyMD5(other.md5), RequestBody.fromString("x")));
        assertError(e, 400, "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided.");
        byte[] short16 = random(16, 142);
        String shortMd5 = md5B64(short16);
        e = assertThrows(S3Exception.class, () -> tls.putObject(b -> b.bucket(bucket).key("k")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(short16)).sseCustomerKeyMD5(shortMd5),
                RequestBody.fromString("x")));
        assertError(e, 400, "InvalidArgument", "The secret key was invalid for the specified algorithm.");
        NegativeIT.assertNotStored(bucket, "k");
    }

    @Test
    void b15_sseCPutEchoesAlgorithmAndKeyMd5Only() throws Exception {
        String bucket = sseCBucket("sse-b15");
        CKey k = new CKey(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "tP/LI3N87DFaSk0aoqYgzg==");
        assertEquals(k.md5, md5B64(k.raw));
        byte[] data = random(100_000, 15);
        PutObjectResponse put = tls.putObject(withKey(PutObjectRequest.builder().bucket(bucket).key("k"), k).build(),
                RequestBody.fromBytes(data));
        assertEquals("AES256", put.sseCustomerAlgorithm());
        assertEquals(k.md5, put.sseCustomerKeyMD5());
        assertNull(put.serverSideEncryption(), "no x-amz-server-side-encryption for SSE-C");
        assertNull(put.ssekmsKeyId());
        assertNotEquals(quotedMd5(data), put.eTag());
        PutObjectResponse again = tls.putObject(withKey(PutObjectRequest.builder().bucket(bucket).key("k"), k).build(),
                RequestBody.fromBytes(data));
        assertNotEquals(put.eTag(), again.eTag(), "opaque ETag differs on every upload");
        HeadObjectResponse head = tls.headObject(b -> b.bucket(bucket).key("k").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.b64).sseCustomerKeyMD5(k.md5));
        assertEquals("AES256", head.sseCustomerAlgorithm());
        assertEquals(k.md5, head.sseCustomerKeyMD5());
        assertNull(head.serverSideEncryption());
        assertEquals(again.eTag(), head.eTag());
        assertArrayEquals(data, getC(bucket, "k", k));
    }

    @Test
    void b16_sseCObjectWithoutKey() throws Exception {
        String bucket = sseCBucket("sse-b16");
        CKey k = CKey.random(16);
        tls.putObject(withKey(PutObjectRequest.builder().bucket(bucket).key("k"), k).build(), RequestBody.fromString("secret"));
        S3Exception e = assertThrows(S3Exception.class, () -> tls.getObjectAsBytes(b -> b.bucket(bucket).key("k")));
        assertError(e, 400, "InvalidRequest", MSG_STORED_SSE);
        e = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")));
        assertError(e, 400, "InvalidRequest", MSG_STORED_SSE);
        assertHeadError(Req.of("HEAD", "/" + bucket + "/k").sign().send(), 400);
        assertError(Req.of("GET", "/" + bucket + "/k").sign().send(), 400, "InvalidRequest", MSG_STORED_SSE);
    }

    @Test
    void b17_sseCObjectWithAnotherKeyIsAccessDenied() throws Exception {
        String bucket = sseCBucket("sse-b17");
        CKey k = CKey.random(17);
        CKey other = CKey.random(171);
        tls.putObject(withKey(PutObjectRequest.builder().bucket(bucket).key("k"), k).build(), RequestBody.fromString("secret"));
        S3Exception e = assertThrows(S3Exception.class, () -> getC(bucket, "k", other));
        assertError(e, 403, "AccessDenied", MSG_WRONG_KEY);
        e = assertThrows(S3Exception.class, () -> tls.headObject(b -> b.bucket(bucket).key("k").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(other.b64).sseCustomerKeyMD5(other.md5)));
        assertEquals(403, e.statusCode());
        assertEquals("secret", new String(getC(bucket, "k", k), StandardCharsets.UTF_8));
    }

    @Test
    void b18_readingSseS3OrKmsWithSseHeaders() throws Exception {
        String bucket = newBucket("sse-b18");
        s3.putObject(b -> b.bucket(bucket).key("s3"), RequestBody.fromString("a"));
        s3.putObject(b -> b.bucket(bucket).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("b"));
        CKey k = CKey.random(18);
        for (String key : List.of("s3", "kms")) {
            Response r = Req.of("GET", "/" + bucket + "/" + key).header("x-amz-server-side-encryption", "AES256").sign().send();
            assertError(r, 400, "InvalidArgument", "x-amz-server-side-encryption header is not supported for this operation.");
            assertHeadError(Req.of("HEAD", "/" + bucket + "/" + key).header("x-amz-server-side-encryption", "AES256").sign()
                    .send(), 400);
            S3Exception e = assertThrows(S3Exception.class, () -> getC(bucket, key, k));
            assertError(e, 400, "InvalidRequest", "The encryption parameters are not applicable to this object.");
            e = assertThrows(S3Exception.class, () -> tls.headObject(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(k.b64).sseCustomerKeyMD5(k.md5)));
            assertEquals(400, e.statusCode());
        }
    }

    @Test
    void b21_copyOntoItselfNeedsAChange() throws Exception {
        String bucket = newBucket("sse-b21");
        byte[] data = random(5000, 21);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
        S3Exception e = assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("k")
                .destinationBucket(bucket).destinationKey("k")));
        assertError(e, 400, "InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself"
                + " without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        CopyObjectResponse copy = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("k").destinationBucket(bucket)
                .destinationKey("k").serverSideEncryption(ServerSideEncryption.AWS_KMS));
        assertEquals(ServerSideEncryption.AWS_KMS, copy.serverSideEncryption());
        assertEquals(awsS3Key(), copy.ssekmsKeyId());
        assertNotEquals(put.eTag(), copy.copyObjectResult().eTag());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k"));
        assertEquals(ServerSideEncryption.AWS_KMS, head.serverSideEncryption());
        assertEquals(copy.copyObjectResult().eTag(), head.eTag());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());
    }

    @Test
    void b22_copyTakesTheDestinationDefaultAndSseCSourceNeedsItsKey() throws Exception {
        String bucket = sseCBucket("sse-b22");
        byte[] data = random(200_000, 22);
        String kmsKey = newKmsKey();
        s3.putObject(b -> b.bucket(bucket).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKey)
                .bucketKeyEnabled(true), RequestBody.fromBytes(data));
        String dest = newBucket("sse-b22d");
        CopyObjectResponse copy = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("kms").destinationBucket(dest)
                .destinationKey("copy"));
        assertEquals(ServerSideEncryption.AES256, copy.serverSideEncryption());
        assertNull(copy.ssekmsKeyId());
        assertNull(copy.bucketKeyEnabled());
        assertEquals(quotedMd5(data), copy.copyObjectResult().eTag());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(dest).key("copy"));
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        assertEquals(quotedMd5(data), head.eTag());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(dest).key("copy")).asByteArray());

        CKey k = CKey.random(22);
        tls.putObject(withKey(PutObjectRequest.builder().bucket(bucket).key("ssec"), k).build(), RequestBody.fromBytes(data));
        S3Exception e = assertThrows(S3Exception.class, () -> tls.copyObject(b -> b.sourceBucket(bucket).sourceKey("ssec")
                .destinationBucket(bucket).destinationKey("ssec-copy")));
        assertError(e, 400, "InvalidRequest", MSG_STORED_SSE);
        NegativeIT.assertNotStored(bucket, "ssec-copy");
    }

    @Test
    void copyOfSseCSourceWithItsKeyTakesTheDestinationDefault() throws Exception {
        String bucket = sseCBucket("sse-cs3");
        byte[] data = random(200_000, 221);
        CKey k = CKey.random(221);
        tls.putObject(withKey(PutObjectRequest.builder().bucket(bucket).key("ssec"), k).build(), RequestBody.fromBytes(data));
        CopyObjectResponse ok = tls.copyObject(b -> b.sourceBucket(bucket).sourceKey("ssec").destinationBucket(bucket)
                .destinationKey("ssec-copy").copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(k.b64)
                .copySourceSSECustomerKeyMD5(k.md5));
        assertEquals(ServerSideEncryption.AES256, ok.serverSideEncryption());
        assertNull(ok.sseCustomerAlgorithm());
        assertEquals(quotedMd5(data), ok.copyObjectResult().eTag());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("ssec-copy")).asByteArray());
    }

    @Test
    void b23_blockedSseCRejectsWritesButReadsExistingObjects() throws Exception {
        String bucket = sseCBucket("sse-b23");
        CKey k = CKey.random(23);
        byte[] data = random(3000, 23);
        tls.putObject(withKey(PutObjectRequest.builder().bucket(bucket).key("old"), k).build(), RequestBody.fromBytes(data));
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromBytes(data));
        s3.putBucketEncryption(x -> x.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("AES256"))
                        .blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.SSE_C)).build())));
        S3Exception e = assertThrows(S3Exception.class, () -> tls.putObject(withKey(PutObjectRequest.builder().bucket(bucket)
                .key("new"), k).build(), RequestBody.fromBytes(data)));
        assertError(e, 403, "AccessDenied", null);
        e = assertThrows(S3Exception.class, () -> tls.copyObject(b -> b.sourceBucket(bucket).sourceKey("plain")
                .destinationBucket(bucket).destinationKey("new").sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64)
                .sseCustomerKeyMD5(k.md5)));
        assertError(e, 403, "AccessDenied", null);
        NegativeIT.assertNotStored(bucket, "new");
        assertArrayEquals(data, getC(bucket, "old", k));

        // a fresh bucket in the default era blocks SSE-C too
        String fresh = newBucket("sse-b23f");
        e = assertThrows(S3Exception.class, () -> tls.putObject(withKey(PutObjectRequest.builder().bucket(fresh).key("new"), k)
                .build(), RequestBody.fromBytes(data)));
        assertError(e, 403, "AccessDenied", null);
    }

    @Test
    void b24_disabledKmsKeyFailsPutAndGet() throws Exception {
        String bucket = newBucket("sse-b24");
        String arn = newKmsKey();
        s3.putObject(b -> b.bucket(bucket).key("before").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(arn),
                RequestBody.fromString("data"));
        kms.disableKey(b -> b.keyId(arn));
        try {
            S3Exception e = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("k")
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(arn), RequestBody.fromString("data")));
            assertError(e, 400, "KMS.DisabledException", arn + " is disabled.");
            NegativeIT.assertNotStored(bucket, "k");
            e = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("before")));
            assertError(e, 400, "KMS.DisabledException", arn + " is disabled.");
        } finally {
            kms.enableKey(b -> b.keyId(arn));
        }
        assertEquals("data", s3.getObjectAsBytes(b -> b.bucket(bucket).key("before")).asUtf8String());
    }

    // ---------------------------------------------------------------- nothing in clear at rest

    void assertNothingInClear(String mode) throws Exception {
        String bucket = mode.equals("SSE_C") ? sseCBucket("sse-rest") : newBucket("sse-rest");
        String objectKey = "rest/" + mode + "-" + UUID.randomUUID();
        byte[] data = random(10 * MIB, mode.hashCode());
        byte[] marker = random(1024, System.nanoTime());
        System.arraycopy(marker, 0, data, 5 * MIB + 123, marker.length);
        CKey k = CKey.random(mode.hashCode());
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(bucket).key(objectKey);
        S3Client client = s3;
        switch (mode) {
            case "SSE_S3" -> req.serverSideEncryption(ServerSideEncryption.AES256);
            case "SSE_KMS" -> req.serverSideEncryption(ServerSideEncryption.AWS_KMS).bucketKeyEnabled(false);
            case "SSE_KMS_BK" -> req.serverSideEncryption(ServerSideEncryption.AWS_KMS).bucketKeyEnabled(true);
            case "SSE_C" -> {
                withKey(req, k);
                client = tls;
            }
            default -> fail(mode);
        }
        client.putObject(req.build(), RequestBody.fromBytes(data));

        byte[] atRest = stored(bucket, objectKey);
        assertFalse(contains(atRest, marker), "marker found in clear at rest (" + mode + ")");
        assertTrue(atRest.length > data.length, "frames carry tags: stored " + atRest.length);
        assertEquals(data.length + 16L * ((data.length + F - 1) / F), atRest.length, "n + 16 k");
        Map<String, String> meta = storedMeta(bucket, objectKey);
        assertTrue(meta.containsKey("x-amz-meta-sse-proxy-wk"), meta::toString);
        List<String> forbidden = new ArrayList<>(List.of(objectKey, b64(marker)));
        if (mode.equals("SSE_C")) {
            forbidden.addAll(List.of(k.b64, HexFormat.of().formatHex(k.raw), Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(k.raw), b64(k.raw).replace("=", ""), k.md5, k.md5.replace("=", "")));
        }
        for (var v : meta.entrySet()) {
            for (String f : forbidden) {
                assertFalse(v.getValue().toLowerCase(Locale.ROOT).contains(f.toLowerCase(Locale.ROOT)),
                        v.getKey() + " holds a secret (" + mode + ")");
            }
        }
        byte[] back = mode.equals("SSE_C") ? getC(bucket, objectKey, k)
                : s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey)).asByteArray();
        assertArrayEquals(data, back);
    }

    @Test
    void atRestSseS3HasNoPlaintext() throws Exception {
        assertNothingInClear("SSE_S3");
    }

    @Test
    void atRestSseKmsHasNoPlaintext() throws Exception {
        assertNothingInClear("SSE_KMS");
    }

    @Test
    void atRestSseKmsWithBucketKeyHasNoPlaintext() throws Exception {
        assertNothingInClear("SSE_KMS_BK");
    }

    @Test
    void atRestSseCHasNoPlaintextAndNoKey() throws Exception {
        assertNothingInClear("SSE_C");
    }

    // ---------------------------------------------------------------- tampering at rest

    @Test
    void tamperFlippedByteInFirstFrameIsInternalError() throws Exception {
        String bucket = newBucket("sse-tamper");
        byte[] data = random(3 * F - 100, 31);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
        byte[] atRest = stored(bucket, "k");
        Map<String, String> meta = storedMeta(bucket, "k");
        atRest[100] ^= 0x01;
        storeRaw(bucket, "k", atRest, meta);
        assertError(Req.of("GET", "/" + bucket + "/k").sign().send(), 500, "InternalError", null);
        S3Exception e = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")));
        assertError(e, 500, "InternalError", null);
        assertReadFails(bucket, "k", data);
    }

    @Test
    void tamperBlobCopiedToAnotherKeyWithItsMetadataFails() throws Exception {
        String bucket = newBucket("sse-tamper");
        byte[] data = random(100_000, 32);
        for (ServerSideEncryption mode : List.of(ServerSideEncryption.AES256, ServerSideEncryption.AWS_KMS)) {
            String src = "src-" + mode;
            String dst = "dst-" + mode;
            s3.putObject(b -> b.bucket(bucket).key(src).serverSideEncryption(mode), RequestBody.fromBytes(data));
            minio.copyObject(CopyObjectArgs.builder().bucket(bucket).object(dst)
                    .source(SourceObject.builder().bucket(bucket).object(src).build()).build());
            assertTrue(storedMeta(bucket, dst).containsKey("x-amz-meta-sse-proxy-wk"));
            S3Exception e = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(dst)));
            assertTrue(e.statusCode() >= 400, e::toString);
            assertNotNull(e.awsErrorDetails().errorCode(), e::toString);
            assertReadFails(bucket, dst, data);
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key(src)).asByteArray());
        }
    }

    @Test
    void tamperTruncatedLastFrameNeverReturnsAWrongBody() throws Exception {
        String bucket = newBucket("sse-tamper");
        byte[] data = random(3 * F - 100, 33);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
        byte[] atRest = stored(bucket, "k");
        Map<String, String> meta = storedMeta(bucket, "k");
        storeRaw(bucket, "k", Arrays.copyOf(atRest, atRest.length - 10), meta);
        assertReadFails(bucket, "k", data);
        // a range inside the last frame fails too (the frame cannot be authenticated before the headers go out)
        Response r = Req.of("GET", "/" + bucket + "/k").header("Range", "bytes=-10").sign().send();
        assertTrue(r.status() >= 400, r::toString);
    }

    @Test
    void tamperSwappedFramesNeverReturnAWrongBody() throws Exception {
        String bucket = newBucket("sse-tamper");
        byte[] data = random(3 * F - 100, 34);
        s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromBytes(data));
        byte[] atRest = stored(bucket, "k");
        int c = F + 16;
        assertEquals(data.length + 3 * 16, atRest.length);
        Map<String, String> meta = storedMeta(bucket, "k");
        byte[] swapped = atRest.clone();
        System.arraycopy(atRest, 0, swapped, c, c);
        System.arraycopy(atRest, c, swapped, 0, c);
        storeRaw(bucket, "k", swapped, meta);
        Response r = Req.of("GET", "/" + bucket + "/k").sign().send();
        assertTrue(r.status() >= 500 || r.body().length < Long.parseLong(r.header("content-length")), r::toString);
        assertReadFails(bucket, "k", data);
        assertThrows(Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=" + F + "-"
                + (F + 10))));
    }

    // ---------------------------------------------------------------- ranges and sizes

    @Test
    void rangesOnAKmsObjectAtEveryFrameEdge() throws Exception {
        String bucket = newBucket("sse-range");
        int n = 300 * 1024;
        byte[] data = random(n, 41);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromBytes(data));
        List<long[]> ranges = new ArrayList<>();
        for (int e = F; e < n; e += F) {
            for (int s = e - 1; s <= e + 1; s++) {
                for (int t = e - 1; t <= e + 1; t++) {
                    if (s <= t) {
                        ranges.add(new long[] {s, t});
                    }
                }
                ranges.add(new long[] {0, s});
                ranges.add(new long[] {s, n - 1});
                ranges.add(new long[] {s, s + F});
            }
        }
        ranges.add(new long[] {0, 0});
        ranges.add(new long[] {n - 1, n - 1});
        ranges.add(new long[] {0, n - 1});
        for (long[] r : ranges) {
            String spec = "bytes=" + r[0] + "-" + r[1];
            long end = Math.min(r[1], n - 1);
            var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range(spec));
            assertArrayEquals(Arrays.copyOfRange(data, (int) r[0], (int) end + 1), got.asByteArray(), spec);
            assertEquals("bytes " + r[0] + "-" + end + "/" + n, got.response().contentRange(), spec);
            assertEquals(put.eTag(), got.response().eTag(), spec);
            assertEquals(ServerSideEncryption.AWS_KMS, got.response().serverSideEncryption(), spec);
        }
        for (int len : new int[] {1, 10, F - 1, F, F + 1, 2 * F + 1, n - 1, n, n + 1000}) {
            String spec = "bytes=-" + len;
            byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range(spec)).asByteArray();
            assertArrayEquals(Arrays.copyOfRange(data, Math.max(0, n - len), n), got, spec);
        }
        for (int start : new int[] {0, 1, F - 1, F, F + 1, 4 * F, 4 * F + 1, n - 1}) {
            String spec = "bytes=" + start + "-";
            byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range(spec)).asByteArray();
            assertArrayEquals(Arrays.copyOfRange(data, start, n), got, spec);
        }
    }

    @Test
    void rangedGetOfSseS3ObjectReturnsTheBody() throws Exception {
        String bucket = newBucket("sse-range3");
        byte[] data = random(150_000, 42);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=1000-99999"));
        assertArrayEquals(Arrays.copyOfRange(data, 1000, 100_000), got.asByteArray());
        assertEquals(ServerSideEncryption.AES256, got.response().serverSideEncryption());
        assertEquals(99_000L, got.response().contentLength());
    }

    @Test
    void singlePartKmsPutOf6MiBReadsBackExactly() throws Exception {
        String bucket = newBucket("sse-6m");
        byte[] data = random(6 * MIB, 43);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k"));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(put.eTag(), got.response().eTag());
        assertEquals((long) data.length, got.response().contentLength());
    }

    // ---------------------------------------------------------------- AWS CLI

    record Result(List<String> cmd, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", cmd) + "\nexit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    static Result aws(String endpoint, String... args) throws Exception {
        Path home = Files.createTempDirectory(work, "home");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", endpoint));
        cmd.addAll(List.of(args));
        Path out = home.resolve("stdout");
        Path err = home.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        env.put("HOME", home.toString());
        env.put("TMPDIR", home.toString());
        env.put("AWS_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_DEFAULT_OUTPUT", "json");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        Result r = new Result(cmd, p.exitValue(), Files.readString(out), Files.readString(err));
        assertEquals(0, r.exit(), () -> "command failed: " + r);
        return r;
    }

    @Test
    void cliReEncryptsInPlaceWithSseS3AndSseKms() throws Exception {
        String bucket = newBucket("sse-cli");
        byte[] data = random(300_000, 51);
        String alias = "alias/sse-it-" + UUID.randomUUID().toString().substring(0, 8);
        String arn = newKmsKey();
        kms.createAlias(b -> b.aliasName(alias).targetKeyId(arn));
        String ep = ProxyProcess.get().endpoint().toString();
        s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromBytes(data));

        aws(ep, "s3", "cp", "--only-show-errors", "s3://" + bucket + "/k", "s3://" + bucket + "/k", "--sse", "AES256");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k"));
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        assertNull(head.ssekmsKeyId());
        assertEquals(quotedMd5(data), head.eTag());
        assertEquals("SSE_S3", storedMeta(bucket, "k").get("x-amz-meta-sse-proxy-mode"));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());

        aws(ep, "s3", "cp", "--only-show-errors", "s3://" + bucket + "/k", "s3://" + bucket + "/k", "--sse", "aws:kms",
                "--sse-kms-key-id", alias);
        head = s3.headObject(b -> b.bucket(bucket).key("k"));
        assertEquals(ServerSideEncryption.AWS_KMS, head.serverSideEncryption());
        assertEquals(arn, head.ssekmsKeyId());
        assertEquals("SSE_KMS", storedMeta(bucket, "k").get("x-amz-meta-sse-proxy-mode"));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());
    }

    @Test
    void cliSseCUploadsAndDownloadsOverTls() throws Exception {
        String bucket = sseCBucket("sse-clic");
        byte[] data = random(1_000_000, 52);
        CKey k = CKey.random(52);
        Path dir = Files.createTempDirectory(work, "ssec");
        Path keyFile = Files.write(dir.resolve("key.bin"), k.raw);
        Path up = Files.write(dir.resolve("up.bin"), data);
        Path down = dir.resolve("down.bin");
        String ep = ProxyProcess.get().tlsEndpoint().toString();
        aws(ep, "--no-verify-ssl", "s3", "cp", "--only-show-errors", up.toString(), "s3://" + bucket + "/c.bin",
                "--sse-c", "AES256", "--sse-c-key", "fileb://" + keyFile);
        HeadObjectResponse head = tls.headObject(b -> b.bucket(bucket).key("c.bin").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.b64).sseCustomerKeyMD5(k.md5));
        assertEquals(k.md5, head.sseCustomerKeyMD5());
        assertEquals("SSE_C", storedMeta(bucket, "c.bin").get("x-amz-meta-sse-proxy-mode"));
        assertArrayEquals(data, getC(bucket, "c.bin", k));
        aws(ep, "--no-verify-ssl", "s3", "cp", "--only-show-errors", "s3://" + bucket + "/c.bin", down.toString(),
                "--sse-c", "AES256", "--sse-c-key", "fileb://" + keyFile);
        assertArrayEquals(data, Files.readAllBytes(down));
    }
}
