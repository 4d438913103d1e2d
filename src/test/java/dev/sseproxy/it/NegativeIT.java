package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.SigV4;
import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import io.minio.GetObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * End-to-end negative cases: for each, the exact S3 error a client sees (status, {@code <Code>},
 * {@code <Message>} where AWS's text is fixed, {@code x-amz-request-id}), and for failed writes
 * that nothing was stored, checked through the proxy and directly in MinIO.
 */
class NegativeIT {
    static final String EMPTY_SHA256 = SigV4.EMPTY_SHA256;
    static final String MSG_SIGNATURE = "The request signature we calculated does not match the signature you provided."
            + " Check your key and signing method.";
    static final String MSG_MALFORMED_XML =
            "The XML you provided was not well-formed or did not validate against our published schema";
    static final int MIB = 1024 * 1024;

    static S3Client s3;
    static S3Client otherS3;
    static String bucket;
    static String otherBucket;
    static String otherAccessKey;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        bucket = Clients.bucketName("neg");
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("existing"), RequestBody.fromString("0123456789"));
        String[] other = ProxyProcess.get().newAccount("neg-other-" + UUID.randomUUID().toString().substring(0, 8));
        otherAccessKey = other[1];
        otherS3 = Clients.sdk(ProxyProcess.get().endpoint(), other[1], other[2]);
        otherBucket = Clients.bucketName("neg-other");
        otherS3.createBucket(b -> b.bucket(otherBucket));
        otherS3.putObject(b -> b.bucket(otherBucket).key("secret"), RequestBody.fromString("not yours"));
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        otherS3.close();
    }

    // ---- helpers ----

    static void assertError(Response r, int status, String code, String message) {
        assertEquals(status, r.status(), () -> "status of " + r);
        String id = r.header("x-amz-request-id");
        assertNotNull(id, () -> "x-amz-request-id missing: " + r);
        assertEquals("application/xml", r.header("content-type"), () -> "content type of " + r);
        assertEquals(code, r.code(), () -> "code of " + r);
        if (message != null) {
            assertEquals(message, r.message(), () -> "message of " + r);
        }
        assertEquals(id, r.element("RequestId"), () -> "RequestId element of " + r);
        assertTrue(r.text().contains("<Error>"), r::toString);
    }

    /** HEAD errors: the status and request id, and not one byte of body. */
    static void assertHeadError(Response r, int status) {
        assertEquals(status, r.status(), () -> "status of " + r);
        assertNotNull(r.header("x-amz-request-id"), () -> "x-amz-request-id missing: " + r);
        assertEquals(0, r.body().length, () -> "HEAD error must have no body: " + r);
    }

    static void assertError(S3Exception e, int status, String code, String message) {
        assertEquals(status, e.statusCode(), e::toString);
        assertEquals(code, e.awsErrorDetails().errorCode(), e::toString);
        if (message != null) {
            assertEquals(message, e.awsErrorDetails().errorMessage(), e::toString);
        }
        assertNotNull(e.requestId(), "x-amz-request-id");
    }

    static String path(String b, String key) {
        return "/" + b + "/" + key;
    }

    /** The object is neither visible through the proxy nor stored in MinIO. */
    static void assertNotStored(String b, String key) throws Exception {
        Response head = Req.of("HEAD", path(b, key)).sign().send();
        assertHeadError(head, 404);
        ErrorResponseException e = assertThrows(ErrorResponseException.class,
                () -> Clients.backend().statObject(StatObjectArgs.builder().bucket(b).object(key).build()),
                "object " + key + " must not exist in the backend");
        assertEquals("NoSuchKey", e.errorResponse().code());
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] md5(byte[] b) throws Exception {
        return MessageDigest.getInstance("MD5").digest(b);
    }

    static String crc32(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return b64(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    /** CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones), written here independently. */
    static long crc64nvme(byte[] data) {
        long crc = -1L;
        for (byte b : data) {
            crc ^= b & 0xff;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9A6C9329AC4BC9B5L : crc >>> 1;
            }
        }
        return ~crc;
    }

    static String crc64nvmeB64(byte[] data) {
        return b64(ByteBuffer.allocate(8).putLong(crc64nvme(data)).array());
    }

    static List<byte[]> split(byte[] data, int chunk) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < data.length; off += chunk) {
            out.add(Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk)));
        }
        return out;
    }

    // ---- authentication ----

    @Test
    void wrongSecretIsSignatureDoesNotMatch() throws Exception {
        Response r = Req.of("GET", "/" + bucket).sign(ProxyProcess.ROOT_ACCESS_KEY, "not-the-secret", EMPTY_SHA256,
                Instant.now(), "us-east-1").send();
        assertError(r, 403, "SignatureDoesNotMatch", MSG_SIGNATURE);
        assertEquals(ProxyProcess.ROOT_ACCESS_KEY, r.element("AWSAccessKeyId"), r::toString);
        assertNotNull(r.element("StringToSign"), r::toString);
        assertNotNull(r.element("CanonicalRequest"), r::toString);

        try (S3Client wrong = Clients.sdk(ProxyProcess.get().endpoint(), ProxyProcess.ROOT_ACCESS_KEY, "nope")) {
            assertError(assertThrows(S3Exception.class, () -> wrong.listObjectsV2(b -> b.bucket(bucket))),
                    403, "SignatureDoesNotMatch", MSG_SIGNATURE);
        }
    }

    @Test
    void unknownAccessKeyIsInvalidAccessKeyId() throws Exception {
        Response r = Req.of("GET", "/" + bucket).sign("AKIANOSUCHKEY0000000", "whatever", EMPTY_SHA256,
                Instant.now(), "us-east-1").send();
        assertError(r, 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        assertEquals("AKIANOSUCHKEY0000000", r.element("AWSAccessKeyId"), r::toString);
    }

    @Test
    void anonymousRequestsAreAccessDenied() throws Exception {
        assertError(Req.of("GET", "/" + bucket).send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("GET", path(bucket, "existing")).send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("GET", "/").send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("PUT", path(bucket, "anon-put")).body("anonymous").send(), 403, "AccessDenied",
                "Access Denied");
        assertHeadError(Req.of("HEAD", path(bucket, "existing")).send(), 403);
        assertNotStored(bucket, "anon-put");
    }

    @Test
    void clockSkewOfTwentyMinutesIsRequestTimeTooSkewed() throws Exception {
        for (Duration off : List.of(Duration.ofMinutes(-20), Duration.ofMinutes(20))) {
            Response r = Req.of("GET", "/" + bucket).sign(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY,
                    EMPTY_SHA256, Instant.now().plus(off), "us-east-1").send();
            assertError(r, 403, "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.");
            assertEquals("900000", r.element("MaxAllowedSkewMilliseconds"), r::toString);
            assertNotNull(r.element("ServerTime"), r::toString);
        }
        // 10 minutes is within the 15 minutes S3 allows
        assertEquals(200, Req.of("GET", "/" + bucket).sign(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY,
                EMPTY_SHA256, Instant.now().minus(Duration.ofMinutes(10)), "us-east-1").send().status());
    }

    @Test
    void malformedAuthorizationHeaderIsAuthorizationHeaderMalformed() throws Exception {
        Req ok = Req.of("GET", "/" + bucket).sign(EMPTY_SHA256);
        String auth = ok.get("authorization");
        String credential = auth.substring(auth.indexOf("Credential=") + 11, auth.indexOf(','));

        String noSignedHeaders = auth.replaceAll(", SignedHeaders=[^,]*", "");
        assertError(Req.of("GET", "/" + bucket).sign(EMPTY_SHA256).set("Authorization", noSignedHeaders).send(),
                400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the authorization header "
                        + "requires three components: Credential, SignedHeaders, and Signature.");

        String shortCredential = auth.replace(credential, credential.substring(0, credential.lastIndexOf("/s3/")));
        assertError(Req.of("GET", "/" + bucket).sign(EMPTY_SHA256).set("Authorization", shortCredential).send(),
                400, "AuthorizationHeaderMalformed", "The authorization header is malformed; the Credential is "
                        + "mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");

        Response wrongRegion = Req.of("GET", "/" + bucket).sign(ProxyProcess.ROOT_ACCESS_KEY,
                ProxyProcess.ROOT_SECRET_KEY, EMPTY_SHA256, Instant.now(), "eu-west-1").send();
        assertError(wrongRegion, 400, "AuthorizationHeaderMalformed",
                "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'");
        // boto3 and other SDKs read <Region> to retry in the right region
        assertEquals("us-east-1", wrongRegion.element("Region"), wrongRegion::toString);
    }

    @Test
    void expiredPresignedUrlIsAccessDenied() throws Exception {
        try (var presigner = Clients.presigner()) {
            URI url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofSeconds(1))
                    .getObjectRequest(g -> g.bucket(bucket).key("existing"))).url().toURI();
            Thread.sleep(2100);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode(), r::body);
            assertTrue(r.headers().firstValue("x-amz-request-id").isPresent(), "x-amz-request-id");
            assertTrue(r.body().contains("<Code>AccessDenied</Code>"), r::body);
            assertTrue(r.body().contains("<Message>Request has expired</Message>"), r::body);
            assertTrue(r.body().contains("<X-Amz-Expires>1</X-Amz-Expires>"), r::body);
        }
    }

    // ---- body integrity ----

    @Test
    void payloadNotMatchingContentSha256IsRejectedAndNothingStored() throws Exception {
        byte[] body = "the body that is sent".getBytes(StandardCharsets.UTF_8);
        String otherHash = ProxyProcess.sha256Hex("the body that was signed".getBytes(StandardCharsets.UTF_8));
        Response r = Req.of("PUT", path(bucket, "sha-mismatch")).body(body).sign(otherHash).send();
        assertError(r, 400, "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
        assertNotStored(bucket, "sha-mismatch");
    }

    /** A STREAMING-AWS4-HMAC-SHA256-PAYLOAD request with its body in place (chunk signatures chained). */
    static Req signedStreamingPut(String key, byte[] data, int chunkSize, int tamperIndex) {
        List<byte[]> chunks = split(data, chunkSize);
        Req req = Req.of("PUT", path(bucket, key)).header("Content-Encoding", "aws-chunked")
                .header("x-amz-decoded-content-length", Integer.toString(data.length));
        // the framing length does not depend on the signature values: size it with placeholders
        int encodedLength = RawHttp.signedChunks(Req.of("PUT", "/").sign(EMPTY_SHA256), ProxyProcess.ROOT_SECRET_KEY,
                chunks, -1).length;
        req.header("Content-Length", Integer.toString(encodedLength)).sign("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        return req.body(RawHttp.signedChunks(req, ProxyProcess.ROOT_SECRET_KEY, chunks, tamperIndex));
    }

    @Test
    void signedChunksAreVerifiedAndOneTamperedChunkSignatureStoresNothing() throws Exception {
        byte[] data = random(200_000, 7);
        Response good = signedStreamingPut("chunked-good", data, 65536, -1).send();
        assertEquals(200, good.status(), good::toString);
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("chunked-good")).asByteArray());

        Response tampered = signedStreamingPut("chunked-tampered", data, 65536, 1).send();
        assertError(tampered, 403, "SignatureDoesNotMatch", MSG_SIGNATURE);
        assertNotStored(bucket, "chunked-tampered");
    }

    static Req unsignedTrailerPut(String key, byte[] data, String trailerLine) {
        byte[] encoded = RawHttp.unsignedChunks(split(data, 65536), trailerLine);
        return Req.of("PUT", path(bucket, key)).header("Content-Encoding", "aws-chunked")
                .header("x-amz-decoded-content-length", Integer.toString(data.length))
                .header("x-amz-trailer", "x-amz-checksum-crc32").header("x-amz-sdk-checksum-algorithm", "CRC32")
                .body(encoded).sign("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    }

    @Test
    void b25_unsignedTrailerWithWrongCrc32IsBadDigestAndNothingStored() throws Exception {
        byte[] data = random(150_000, 11);
        String wrong = crc32("something else".getBytes(StandardCharsets.UTF_8));
        Response r = unsignedTrailerPut("trailer-bad", data, "x-amz-checksum-crc32:" + wrong).send();
        assertError(r, 400, "BadDigest", "The CRC32 you specified did not match the calculated checksum.");
        assertNotStored(bucket, "trailer-bad");
    }

    @Test
    void b25_unsignedTrailerWithCorrectCrc32StoresTheDecodedPayload() throws Exception {
        byte[] data = random(150_000, 13);
        String crc = crc32(data);
        Response r = unsignedTrailerPut("trailer-good", data, "x-amz-checksum-crc32:" + crc).send();
        assertEquals(200, r.status(), r::toString);
        assertEquals(crc, r.header("x-amz-checksum-crc32"), r::toString);
        assertEquals("FULL_OBJECT", r.header("x-amz-checksum-type"), r::toString);
        assertEquals("\"" + HexFormat.of().formatHex(md5(data)) + "\"", r.header("etag"), r::toString);

        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("trailer-good"));
        assertArrayEquals(data, got.asByteArray(), "the object is the decoded payload, not the aws-chunked framing");
        assertNull(got.response().contentEncoding(), "aws-chunked is not a stored Content-Encoding");
        assertEquals(crc, s3.headObject(b -> b.bucket(bucket).key("trailer-good")
                .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).checksumCRC32());

        StatObjectResponse stat = Clients.backend().statObject(StatObjectArgs.builder().bucket(bucket)
                .object("trailer-good").build());
        // stored encrypted: 64 KiB frames of the decoded payload, each with its 16-byte tag
        assertEquals(data.length + 16L * ((data.length + 65535) / 65536), stat.size());
        String storedEncoding = stat.headers().get("Content-Encoding");
        assertFalse(storedEncoding != null && storedEncoding.contains("aws-chunked"), "stored: " + storedEncoding);
        try (InputStream in = Clients.backend().getObject(GetObjectArgs.builder().bucket(bucket)
                .object("trailer-good").build())) {
            byte[] stored = in.readAllBytes();
            assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(stored, 1024), java.util.Arrays.copyOf(data, 1024)),
                    "MinIO holds ciphertext, not the payload");
        }
    }

    @Test
    void crc64nvmeHeaderIsVerifiedStoredAndReturned() throws Exception {
        assertEquals(0xAE8B14860A799888L, crc64nvme("123456789".getBytes(StandardCharsets.US_ASCII)), "CRC-64/NVME check");
        byte[] data = random(70_000, 17);
        String crc = crc64nvmeB64(data);
        Response put = Req.of("PUT", path(bucket, "crc64")).header("x-amz-checksum-crc64nvme", crc)
                .header("x-amz-sdk-checksum-algorithm", "CRC64NVME").body(data).sign().send();
        assertEquals(200, put.status(), put::toString);
        assertEquals(crc, put.header("x-amz-checksum-crc64nvme"), put::toString);
        assertEquals("FULL_OBJECT", put.header("x-amz-checksum-type"), put::toString);

        Response get = Req.of("GET", path(bucket, "crc64")).header("x-amz-checksum-mode", "ENABLED").sign().send();
        assertEquals(200, get.status(), get::toString);
        assertArrayEquals(data, get.body());
        assertEquals(crc, get.header("x-amz-checksum-crc64nvme"), get::toString);
        Response head = Req.of("HEAD", path(bucket, "crc64")).header("x-amz-checksum-mode", "ENABLED").sign().send();
        assertEquals(crc, head.header("x-amz-checksum-crc64nvme"), head::toString);
        Response plain = Req.of("GET", path(bucket, "crc64")).sign().send();
        assertNull(plain.header("x-amz-checksum-crc64nvme"), "checksums only with x-amz-checksum-mode: ENABLED");

        String wrong = crc64nvmeB64("other".getBytes(StandardCharsets.UTF_8));
        Response bad = Req.of("PUT", path(bucket, "crc64-bad")).header("x-amz-checksum-crc64nvme", wrong)
                .body(data).sign().send();
        assertError(bad, 400, "BadDigest", "The CRC64NVME you specified did not match the calculated checksum.");
        assertNotStored(bucket, "crc64-bad");
    }

    @Test
    void contentMd5MismatchIsBadDigestAndMalformedIsInvalidDigest() throws Exception {
        byte[] data = "content-md5 checked".getBytes(StandardCharsets.UTF_8);
        Response mismatch = Req.of("PUT", path(bucket, "md5-bad")).header("Content-MD5", b64(md5("other".getBytes())))
                .body(data).sign().send();
        assertError(mismatch, 400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        assertNotStored(bucket, "md5-bad");

        for (String malformed : List.of("not base64 !!", b64(new byte[15]), "")) {
            Response r = Req.of("PUT", path(bucket, "md5-malformed")).header("Content-MD5", malformed).body(data)
                    .sign().send();
            assertError(r, 400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
        }
        assertNotStored(bucket, "md5-malformed");

        assertEquals(200, Req.of("PUT", path(bucket, "md5-good")).header("Content-MD5", b64(md5(data))).body(data)
                .sign().send().status());
    }

    @Test
    void truncatedBodiesStoreNothing() throws Exception {
        // Content-Length promises more than is sent, then the client goes away: once with an unsigned
        // payload (streamed to the backend as it arrives), once signed, once aws-chunked
        byte[] full = random(300_000, 19);
        List<Req> requests = List.of(
                Req.of("PUT", path(bucket, "trunc-unsigned")).body(full).sign("UNSIGNED-PAYLOAD"),
                Req.of("PUT", path(bucket, "trunc-signed")).body(full).sign(),
                unsignedTrailerPut("trunc-chunked", full, "x-amz-checksum-crc32:" + crc32(full)));
        for (Req req : requests) {
            byte[] wire = req.bytes();
            try (Socket s = new Socket(ProxyProcess.get().endpoint().getHost(), ProxyProcess.get().endpoint().getPort())) {
                OutputStream out = s.getOutputStream();
                out.write(wire, 0, wire.length - 200_000);
                out.flush();
                RawHttp.pause(300);
            }
        }
        RawHttp.pause(1000);
        for (String key : List.of("trunc-unsigned", "trunc-signed", "trunc-chunked")) {
            assertNotStored(bucket, key);
        }
        // and the proxy is still serving
        assertEquals(200, Req.of("GET", path(bucket, "existing")).sign().send().status());
    }

    @Test
    void plainPutWithTransferEncodingChunkedIsNotImplementedAsOnAws() throws Exception {
        byte[] body = "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Response r = Req.of("PUT", path(bucket, "te-chunked")).header("Transfer-Encoding", "chunked").body(body)
                .sign("UNSIGNED-PAYLOAD").send();
        assertError(r, 501, "NotImplemented", "A header you provided implies functionality that is not implemented");
        assertEquals("Transfer-Encoding", r.element("Header"), r::toString);
        assertNotStored(bucket, "te-chunked");
    }

    // ---- ownership ----

    @Test
    void anotherAccountsBucketIsAccessDeniedForEveryOperation() throws Exception {
        String secret = path(otherBucket, "secret");
        assertError(Req.of("GET", "/" + otherBucket).sign().send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("GET", "/" + otherBucket, "list-type=2").sign().send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("GET", secret).sign().send(), 403, "AccessDenied", "Access Denied");
        assertHeadError(Req.of("HEAD", secret).sign().send(), 403);
        assertHeadError(Req.of("HEAD", "/" + otherBucket).sign().send(), 403);
        assertError(Req.of("PUT", path(otherBucket, "intruder")).body("x").sign().send(), 403, "AccessDenied",
                "Access Denied");
        assertError(Req.of("DELETE", secret).sign().send(), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("DELETE", "/" + otherBucket).sign().send(), 403, "AccessDenied", "Access Denied");
        assertError(assertThrows(S3Exception.class, () -> s3.copyObject(b -> b.sourceBucket(otherBucket)
                .sourceKey("secret").destinationBucket(bucket).destinationKey("stolen"))), 403, "AccessDenied",
                "Access Denied");
        assertError(assertThrows(S3Exception.class, () -> otherS3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("existing"))), 403, "AccessDenied", "Access Denied");

        // nothing changed in the other account's bucket
        assertEquals("not yours", otherS3.getObjectAsBytes(b -> b.bucket(otherBucket).key("secret")).asUtf8String());
        assertEquals(404, assertThrows(S3Exception.class,
                () -> otherS3.headObject(b -> b.bucket(otherBucket).key("intruder"))).statusCode());
        assertNotStored(bucket, "stolen");

        List<String> mine = s3.listBuckets().buckets().stream().map(Bucket::name).toList();
        assertTrue(mine.contains(bucket), mine::toString);
        assertFalse(mine.contains(otherBucket), "ListBuckets shows another account's bucket: " + mine);
        List<String> theirs = otherS3.listBuckets().buckets().stream().map(Bucket::name).toList();
        assertTrue(theirs.contains(otherBucket), theirs::toString);
        assertFalse(theirs.contains(bucket), theirs::toString);
    }

    @Test
    void createBucketOfATakenNameIsAConflict() throws Exception {
        assertError(Req.of("PUT", "/" + otherBucket).sign().send(), 409, "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of the "
                        + "system. Please select a different name and try again.");
        assertError(Req.of("PUT", "/" + bucket).sign().send(), 409, "BucketAlreadyOwnedByYou",
                "Your previous request to create the named bucket succeeded and you already own it.");
        assertError(assertThrows(S3Exception.class, () -> s3.createBucket(b -> b.bucket(otherBucket))), 409,
                "BucketAlreadyExists", null);
        // the other account still owns it
        assertEquals("not yours", otherS3.getObjectAsBytes(b -> b.bucket(otherBucket).key("secret")).asUtf8String());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ab", "a23456789012345678901234567890123456789012345678901234567890abcd", "Upper-Case",
        "under_score", "-leading-dash", "trailing-dash-", "double..dot", "192.168.5.4", "xn--punycode",
        "dot-.dash", "dash.-dot", "sthree-reserved", "name-s3alias", "name--ol-s3", ".leading-dot"})
    void invalidBucketNamesAreInvalidBucketName(String name) throws Exception {
        Response r = Req.of("PUT", "/" + name).sign().send();
        assertError(r, 400, "InvalidBucketName", "The specified bucket is not valid.");
        assertEquals(name, r.element("BucketName"), r::toString);
    }

    @Test
    void deletingANonEmptyBucketIsBucketNotEmpty() throws Exception {
        Response r = Req.of("DELETE", "/" + bucket).sign().send();
        assertError(r, 409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
        assertEquals(200, Req.of("HEAD", "/" + bucket).sign().send().status(), "the bucket is still there");
    }

    // ---- reads ----

    @Test
    void missingKeyIsNoSuchKeyAndHeadHasNoBody() throws Exception {
        Response get = Req.of("GET", path(bucket, "no/such%20key")).sign().send();
        assertError(get, 404, "NoSuchKey", "The specified key does not exist.");
        assertEquals("no/such key", get.element("Key"), get::toString);
        assertHeadError(Req.of("HEAD", path(bucket, "no/such%20key")).sign().send(), 404);

        Response noBucket = Req.of("GET", path("neg-no-such-bucket-0000", "k")).sign().send();
        assertError(noBucket, 404, "NoSuchBucket", "The specified bucket does not exist");
        assertHeadError(Req.of("HEAD", "/neg-no-such-bucket-0000").sign().send(), 404);
    }

    @Test
    void unsatisfiableRangeIsInvalidRange() throws Exception {
        Response r = Req.of("GET", path(bucket, "existing")).header("Range", "bytes=5000-6000").sign().send();
        assertError(r, 416, "InvalidRange", "The requested range is not satisfiable");
        Response ok = Req.of("GET", path(bucket, "existing")).header("Range", "bytes=2-4").sign().send();
        assertEquals(206, ok.status(), ok::toString);
        assertEquals("234", ok.text());
    }

    @Test
    void conditionalRequestsGive304And412() throws Exception {
        String etag = Req.of("HEAD", path(bucket, "existing")).sign().send().header("etag");
        assertNotNull(etag);
        Response notModified = Req.of("GET", path(bucket, "existing")).header("If-None-Match", etag).sign().send();
        assertEquals(304, notModified.status(), notModified::toString);
        assertEquals(0, notModified.body().length);
        assertEquals(etag, notModified.header("etag"));
        assertNotNull(notModified.header("x-amz-request-id"));
        Response future = Req.of("GET", path(bucket, "existing"))
                .header("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT").sign().send();
        assertEquals(304, future.status(), future::toString);

        Response failed = Req.of("GET", path(bucket, "existing")).header("If-Match", "\"0123abc\"").sign().send();
        assertError(failed, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        assertEquals("If-Match", failed.element("Condition"), failed::toString);
        Response past = Req.of("GET", path(bucket, "existing"))
                .header("If-Unmodified-Since", "Thu, 01 Jan 2015 00:00:00 GMT").sign().send();
        assertError(past, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        assertHeadError(Req.of("HEAD", path(bucket, "existing")).header("If-Match", "\"0123abc\"").sign().send(), 412);

        assertEquals(200, Req.of("GET", path(bucket, "existing")).header("If-Match", etag).sign().send().status());
    }

    // ---- XML bodies and multipart ----

    @Test
    void malformedXmlInDeleteObjectsIsMalformedXml() throws Exception {
        for (String xml : List.of("", "not xml at all", "<Delete><Object><Key>existing</Key></Object>",
                "<NotDelete><Object><Key>existing</Key></Object></NotDelete>", "<Delete></Delete>")) {
            byte[] body = xml.getBytes(StandardCharsets.UTF_8);
            Response r = Req.of("POST", "/" + bucket, "delete").header("Content-MD5", b64(md5(body))).body(body)
                    .sign().send();
            assertError(r, 400, "MalformedXML", MSG_MALFORMED_XML);
        }
        assertEquals(200, Req.of("HEAD", path(bucket, "existing")).sign().send().status(), "nothing was deleted");
    }

    static String completeXml(List<String[]> parts) {
        StringBuilder sb = new StringBuilder("<CompleteMultipartUpload>");
        for (String[] p : parts) {
            sb.append("<Part><PartNumber>").append(p[0]).append("</PartNumber><ETag>").append(p[1])
                    .append("</ETag></Part>");
        }
        return sb.append("</CompleteMultipartUpload>").toString();
    }

    static Response complete(String key, String uploadId, String xml) throws IOException {
        return Req.of("POST", path(bucket, key), "uploadId=" + uploadId).body(xml).sign().send();
    }

    @Test
    void completeMultipartUploadErrors() throws Exception {
        String key = "mp-errors";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        byte[] p1 = random(5 * MIB, 23);
        byte[] p2 = random(1000, 29);
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(p2)).eTag();

        for (String xml : List.of("", "<CompleteMultipartUpload><Part>", "garbage",
                "<NotComplete><Part><PartNumber>1</PartNumber><ETag>" + e1 + "</ETag></Part></NotComplete>",
                "<CompleteMultipartUpload></CompleteMultipartUpload>")) {
            assertError(complete(key, uploadId, xml), 400, "MalformedXML", MSG_MALFORMED_XML);
        }
        assertError(complete(key, uploadId, completeXml(List.of(new String[] {"2", e2}, new String[] {"1", e1}))),
                400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be "
                        + "specified in order by part number.");
        assertError(complete(key, uploadId, completeXml(List.of(new String[] {"1", "\"0123456789abcdef0123456789abcdef\""},
                new String[] {"2", e2}))), 400, "InvalidPart", "One or more of the specified parts could not be found."
                        + "  The part may not have been uploaded, or the specified entity tag may not match the part's "
                        + "entity tag.");
        assertError(complete(key, "no-such-upload-id", completeXml(List.<String[]>of(new String[] {"1", e1}))), 404,
                "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload "
                        + "may have been aborted or completed.");
        assertError(Req.of("PUT", path(bucket, key), "partNumber=1&uploadId=no-such-upload-id").body("x").sign().send(),
                404, "NoSuchUpload", null);
        assertError(Req.of("DELETE", path(bucket, key), "uploadId=no-such-upload-id").sign().send(), 404,
                "NoSuchUpload", null);

        // after all that, the upload is intact and completes
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(),
                CompletedPart.builder().partNumber(2).eTag(e2).build())));
        assertEquals(p1.length + p2.length, s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
    }

    @Test
    void smallNonLastPartIsEntityTooSmall() throws Exception {
        String key = "mp-small";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(random(1024, 31))).eTag();
        String e2 = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(random(1024, 37))).eTag();
        Response r = complete(key, uploadId, completeXml(List.of(new String[] {"1", e1}, new String[] {"2", e2})));
        assertError(r, 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        assertNotStored(bucket, key);
    }

    // ---- routing ----

    @Test
    void unimplementedSubresourcesAreNotImplemented() throws Exception {
        for (Req req : List.of(Req.of("GET", "/" + bucket, "lifecycle"), Req.of("PUT", "/" + bucket, "cors").body("<x/>"),
                Req.of("GET", path(bucket, "existing"), "torrent"))) {
            Response r = req.sign().send();
            assertError(r, 501, "NotImplemented", null);
        }
    }

    @Test
    void virtualHostedStyleWorksLikePathStyle() throws Exception {
        String vhost = bucket + ".localhost:" + ProxyProcess.get().endpoint().getPort();
        byte[] data = random(4000, 41);
        Response put = Req.of("PUT", "/vhost/obj%20key").set("Host", vhost).body(data).sign().send();
        assertEquals(200, put.status(), put::toString);

        Response viaVhost = Req.of("GET", "/vhost/obj%20key").set("Host", vhost).sign().send();
        Response viaPath = Req.of("GET", path(bucket, "vhost/obj%20key")).sign().send();
        assertEquals(200, viaVhost.status(), viaVhost::toString);
        assertArrayEquals(data, viaVhost.body());
        assertArrayEquals(data, viaPath.body());
        assertEquals(viaPath.header("etag"), viaVhost.header("etag"));
        assertEquals(put.header("etag"), viaVhost.header("etag"));

        Response listVhost = Req.of("GET", "/", "list-type=2&prefix=vhost%2F").set("Host", vhost).sign().send();
        Response listPath = Req.of("GET", "/" + bucket, "list-type=2&prefix=vhost%2F").sign().send();
        assertEquals(200, listVhost.status(), listVhost::toString);
        assertEquals(listPath.text(), listVhost.text());
        assertTrue(listVhost.text().contains("<Name>" + bucket + "</Name>"), listVhost::toString);
        assertTrue(listVhost.text().contains("<Key>vhost/obj key</Key>"), listVhost::toString);

        String s3vhost = bucket + ".s3.localhost:" + ProxyProcess.get().endpoint().getPort();
        Response other = Req.of("GET", "/vhost/obj%20key").set("Host", s3vhost).sign().send();
        assertArrayEquals(data, other.body());

        Response missing = Req.of("GET", "/vhost/missing").set("Host", vhost).sign().send();
        assertError(missing, 404, "NoSuchKey", "The specified key does not exist.");
        assertHeadError(Req.of("HEAD", "/vhost/missing").set("Host", vhost).sign().send(), 404);
        Response anonymous = Req.of("GET", "/").set("Host", vhost).send();
        assertError(anonymous, 403, "AccessDenied", "Access Denied");
    }
}
