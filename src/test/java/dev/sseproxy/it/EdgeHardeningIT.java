package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.auth.SigV4Signer;
import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Issue 10, items 3-5, end to end: a bucket made at MinIO is not handed to the first tenant who
 * "creates" it, only to the account root adopts it for; SSE-C headers need TLS and the key MD5 on
 * every operation; oversized access key ids and bucket names are refused before any lookup; the
 * buffered-body budget refuses or streams instead of growing the heap.
 */
class EdgeHardeningIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String INSECURE = "Requests specifying Server Side Encryption with Customer provided keys must be "
            + "made over a secure connection.";
    static final String MISSING_MD5 = "Requests specifying Server Side Encryption with Customer provided keys must "
            + "provide the client calculated MD5 of the secret key.";
    static final String C_ALG = "x-amz-server-side-encryption-customer-algorithm";
    static final String C_KEY = "x-amz-server-side-encryption-customer-key";
    static final String C_MD5 = "x-amz-server-side-encryption-customer-key-MD5";
    static final String CS = "x-amz-copy-source-server-side-encryption-customer-";

    static ProxyProcess proxy;
    static S3Client s3;
    static S3Client tls;
    static HttpClient http;

    @BeforeAll
    static void setUp() throws Exception {
        proxy = ProxyProcess.get();
        s3 = Clients.sdk();
        tls = Clients.tlsSdk();
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, Clients.trustManagers(proxy.certificate()), null);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        tls.close();
    }

    // ---- item 3: CreateBucket does not adopt MinIO's buckets; root does, for a named account ------------

    @Test
    void aBucketMadeAtMinioIsRefusedToCreateBucketAndAdoptedOnlyByRootForAnAccount() throws Exception {
        String bucket = Clients.bucketName("adopt");
        MinioClient minio = Clients.backend();
        minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        byte[] legacy = "stored at MinIO before sse-proxy".getBytes(StandardCharsets.UTF_8);
        minio.putObject(PutObjectArgs.builder().bucket(bucket).object("legacy.txt")
                .stream(new ByteArrayInputStream(legacy), (long) legacy.length, -1L).build());

        String[] tenant = proxy.newAccount("adopt-tenant");
        try (S3Client theirs = Clients.sdk(proxy.endpoint(), tenant[1], tenant[2])) {
            S3Exception e = assertThrows(S3Exception.class, () -> theirs.createBucket(b -> b.bucket(bucket)));
            NegativeIT.assertError(e, 409, "BucketAlreadyExists", "The requested bucket name is not available. The "
                    + "bucket namespace is shared by all users of the system. Please select a different name and try again.");
            NegativeIT.assertError(assertThrows(S3Exception.class, () -> theirs.listObjectsV2(b -> b.bucket(bucket))),
                    404, "NoSuchBucket", null);
            NegativeIT.assertError(assertThrows(S3Exception.class, () -> theirs.getObjectAsBytes(b -> b.bucket(bucket)
                    .key("legacy.txt"))), 404, "NoSuchBucket", null);
            NegativeIT.assertError(assertThrows(S3Exception.class, () -> s3.createBucket(b -> b.bucket(bucket))),
                    409, "BucketAlreadyExists", null);
            assertTrue(theirs.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket)));

            // only root may adopt
            HttpResponse<String> denied = admin("POST", "/admin/buckets/" + bucket + "/adopt",
                    "{\"account\":\"" + tenant[0] + "\"}", tenant[1], tenant[2]);
            assertEquals(403, denied.statusCode(), denied::body);
            assertEquals("AccessDenied", JSON.readTree(denied.body()).path("code").asText(), denied::body);
            HttpResponse<String> missing = admin("POST", "/admin/buckets/" + Clients.bucketName("adopt-none") + "/adopt",
                    "{\"account\":\"" + tenant[0] + "\"}", ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            assertEquals(404, missing.statusCode(), missing::body);
            HttpResponse<String> noAccount = admin("POST", "/admin/buckets/" + bucket + "/adopt",
                    "{\"account\":\"999999999998\"}", ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            assertEquals(404, noAccount.statusCode(), noAccount::body);

            HttpResponse<String> adopted = admin("POST", "/admin/buckets/" + bucket + "/adopt",
                    "{\"account\":\"" + tenant[0] + "\"}", ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            assertEquals(201, adopted.statusCode(), adopted::body);
            JsonNode counts = JSON.readTree(adopted.body());
            assertEquals(bucket, counts.path("bucket").asText());
            assertEquals(tenant[0], counts.path("account").asText());
            assertEquals(1, counts.path("objects").asLong(), adopted::body);
            assertEquals(1, counts.path("notEncrypted").asLong(), adopted::body);
            assertEquals(0, counts.path("encrypted").asLong(), adopted::body);
            HttpResponse<String> again = admin("POST", "/admin/buckets/" + bucket + "/adopt",
                    "{\"account\":\"" + tenant[0] + "\"}", ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            assertEquals(409, again.statusCode(), again::body);

            // the named account owns it now: the plaintext object is served as it is, new ones are encrypted
            assertEquals(List.of("legacy.txt"), theirs.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                    .map(o -> o.key()).toList());
            assertArrayEquals(legacy, theirs.getObjectAsBytes(b -> b.bucket(bucket).key("legacy.txt")).asByteArray());
            theirs.putObject(b -> b.bucket(bucket).key("new.txt"), RequestBody.fromString("encrypted"));
            NegativeIT.assertError(assertThrows(S3Exception.class, () -> s3.listObjectsV2(b -> b.bucket(bucket))),
                    403, "AccessDenied", null);
            theirs.deleteObject(b -> b.bucket(bucket).key("legacy.txt"));
            theirs.deleteObject(b -> b.bucket(bucket).key("new.txt"));
            theirs.deleteBucket(b -> b.bucket(bucket));
        }
    }

    static HttpResponse<String> admin(String method, String path, String body, String ak, String sk) throws Exception {
        return http.send(ProxyProcess.signed(method, proxy.managementEndpoint(), path, null, body, ak, sk),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- item 4: SSE-C needs TLS on every operation, and the key MD5 --------------------------------

    @Test
    void sseCHeadersOverPlainHttpAreRefusedOnReadsPartsAndCopySources() throws Exception {
        String bucket = Clients.sseCBucket(s3, "ssec-http");
        SseObjectsIT.CKey k = SseObjectsIT.CKey.random(1010);
        byte[] data = SseObjectsIT.random(70_000, 1011);
        tls.putObject(SseObjectsIT.withKey(software.amazon.awssdk.services.s3.model.PutObjectRequest.builder()
                .bucket(bucket).key("c"), k).build(), RequestBody.fromBytes(data));
        String uploadId = tls.createMultipartUpload(b -> b.bucket(bucket).key("mp").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5())).uploadId();
        String path = "/" + bucket + "/c";

        NegativeIT.assertError(withKey(Req.of("GET", path), "", k).sign().send(), 400, "InvalidRequest", INSECURE);
        Response head = withKey(Req.of("HEAD", path), "", k).sign().send();
        assertEquals(400, head.status(), head::toString);
        NegativeIT.assertError(withKey(Req.of("GET", path).header("Range", "bytes=0-9"), "", k).sign().send(), 400,
                "InvalidRequest", INSECURE);
        byte[] part = SseObjectsIT.random(5 * 1024 * 1024, 1012);
        NegativeIT.assertError(withKey(Req.of("PUT", "/" + bucket + "/mp", "partNumber=1&uploadId=" + uploadId), "", k)
                .body(part).sign().send(), 400, "InvalidRequest", INSECURE);
        NegativeIT.assertError(withKey(Req.of("PUT", "/" + bucket + "/copy").header("x-amz-copy-source", path), CS, k)
                .sign().send(), 400, "InvalidRequest", INSECURE);
        NegativeIT.assertError(withKey(Req.of("PUT", "/" + bucket + "/mp", "partNumber=2&uploadId=" + uploadId)
                .header("x-amz-copy-source", path), CS, k).sign().send(), 400, "InvalidRequest", INSECURE);
        NegativeIT.assertError(Req.of("GET", path).header(C_MD5, k.md5()).sign().send(), 400, "InvalidRequest", INSECURE);
        NegativeIT.assertNotStored(bucket, "copy");

        // the same requests over TLS work
        assertArrayEquals(data, getC(bucket, "c", k));
        assertEquals(data.length, tls.headObject(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5())).contentLength());
        String etag = tls.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1)
                .sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5()),
                RequestBody.fromBytes(part)).eTag();
        String etag2 = tls.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("c").destinationBucket(bucket)
                .destinationKey("mp").uploadId(uploadId).partNumber(2)
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(k.b64()).copySourceSSECustomerKeyMD5(k.md5())
                .sseCustomerAlgorithm("AES256").sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5())).copyPartResult().eTag();
        tls.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(etag).build(),
                CompletedPart.builder().partNumber(2).eTag(etag2).build())));
        tls.copyObject(b -> b.sourceBucket(bucket).sourceKey("c").destinationBucket(bucket).destinationKey("copy")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(k.b64()).copySourceSSECustomerKeyMD5(k.md5()));
        assertArrayEquals(data, tls.getObjectAsBytes(b -> b.bucket(bucket).key("copy")).asByteArray());
    }

    @Test
    void sseCWithoutTheKeyMd5IsInvalidArgumentOnEveryPath() throws Exception {
        String bucket = Clients.sseCBucket(s3, "ssec-md5");
        SseObjectsIT.CKey k = SseObjectsIT.CKey.random(1020);
        byte[] data = SseObjectsIT.random(10_000, 1021);
        tls.putObject(SseObjectsIT.withKey(software.amazon.awssdk.services.s3.model.PutObjectRequest.builder()
                .bucket(bucket).key("c"), k).build(), RequestBody.fromBytes(data));
        String uploadId = tls.createMultipartUpload(b -> b.bucket(bucket).key("mp").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5())).uploadId();
        Map<String, String> noMd5 = Map.of(C_ALG, "AES256", C_KEY, k.b64());
        Map<String, String> copyNoMd5 = Map.of(CS + "algorithm", "AES256", CS + "key", k.b64(),
                "x-amz-copy-source", "/" + bucket + "/c");

        assertMissingMd5(tlsRaw("GET", "/" + bucket + "/c", null, noMd5, new byte[0]));
        assertEquals(400, tlsRaw("HEAD", "/" + bucket + "/c", null, noMd5, new byte[0]).statusCode());
        assertMissingMd5(tlsRaw("PUT", "/" + bucket + "/new", null, noMd5, "x".getBytes(StandardCharsets.UTF_8)));
        assertMissingMd5(tlsRaw("PUT", "/" + bucket + "/mp", "partNumber=1&uploadId=" + uploadId, noMd5,
                "x".getBytes(StandardCharsets.UTF_8)));
        assertMissingMd5(tlsRaw("PUT", "/" + bucket + "/copy", null, copyNoMd5, new byte[0]));
        NegativeIT.assertNotStored(bucket, "new");
        NegativeIT.assertNotStored(bucket, "copy");
        assertArrayEquals(data, getC(bucket, "c", k), "with the MD5 the object reads");
        tls.abortMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId));
    }

    static byte[] getC(String bucket, String key, SseObjectsIT.CKey k) {
        return tls.getObjectAsBytes(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(k.b64()).sseCustomerKeyMD5(k.md5())).asByteArray();
    }

    static void assertMissingMd5(HttpResponse<byte[]> r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(400, r.statusCode(), body);
        assertTrue(body.contains("<Code>InvalidArgument</Code>"), body);
        assertTrue(body.contains("<Message>" + MISSING_MD5 + "</Message>"), body);
    }

    static Req withKey(Req r, String prefix, SseObjectsIT.CKey k) {
        if (prefix.isEmpty()) {
            return r.header(C_ALG, "AES256").header(C_KEY, k.b64()).header(C_MD5, k.md5());
        }
        return r.header(prefix + "algorithm", "AES256").header(prefix + "key", k.b64()).header(prefix + "key-MD5", k.md5());
    }

    /** A request signed as root over the TLS port, with exactly these extra headers (signed). */
    static HttpResponse<byte[]> tlsRaw(String method, String rawPath, String rawQuery, Map<String, String> headers,
            byte[] body) throws Exception {
        URI base = proxy.tlsEndpoint();
        Map<String, String> toSign = new TreeMap<>();
        toSign.put("host", base.getHost() + ":" + base.getPort());
        headers.forEach((n, v) -> toSign.put(n.toLowerCase(Locale.ROOT), v));
        Map<String, String> auth = SigV4Signer.sign(method, rawPath, rawQuery, toSign, ProxyProcess.sha256Hex(body),
                ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY, "us-east-1", Instant.now());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + rawPath + (rawQuery == null ? "" : "?" + rawQuery)))
                .method(method, body.length == 0 && !"PUT".equals(method) ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        auth.forEach((n, v) -> {
            if (!n.equalsIgnoreCase("host")) {
                b.header(n, v);
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    // ---- item 5: oversized ids and names are refused before any lookup ---------------------------------

    @Test
    void anAccessKeyIdOver128CharactersIsInvalidAccessKeyId() {
        String akid = "AKIA" + "Z".repeat(125);
        try (S3Client c = Clients.sdk(proxy.endpoint(), akid, "whatever")) {
            NegativeIT.assertError(assertThrows(S3Exception.class, c::listBuckets), 403, "InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.");
        }
    }

    @Test
    void aBucketNameOver63CharactersIsInvalidBucketName() throws Exception {
        String name = "b".repeat(64);
        for (Response r : List.of(Req.of("GET", "/" + name, "list-type=2").sign().send(),
                Req.of("GET", "/" + name + "/k").sign().send(), Req.of("PUT", "/" + name + "/k").body("x").sign().send())) {
            NegativeIT.assertError(r, 400, "InvalidBucketName", "The specified bucket is not valid.");
        }
        NegativeIT.assertError(assertThrows(S3Exception.class, () -> s3.listObjectsV2(b -> b.bucket("c".repeat(64)))),
                400, "InvalidBucketName", null);
    }

    // ---- item 5: the buffered-body budget --------------------------------------------------------------

    /**
     * A proxy with a 300,000-byte budget. A CreateBucket whose 250,000-byte configuration trickles in
     * holds most of it; meanwhile another XML request is refused with 503 SlowDown, a small PUT
     * streams instead of buffering, and concurrent small PUTs all succeed and read back exactly.
     */
    @Test
    void theBufferedBodyBudgetRefusesXmlAndStreamsSmallPutsWhenSpent() throws Exception {
        ProxyProcess p = ProxyProcess.startDedicated("edge", 700, Map.of("SSE_PROXY_LIMITS_BUFFERED_BODY_BYTES", "300000",
                "SSE_PROXY_LIMITS_UNAUTHENTICATED_REQUESTS", "64"));
        try (S3Client c = Clients.sdk(p.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)) {
            String host = p.endpoint().getHost() + ":" + p.endpoint().getPort();
            String bucket = Clients.newBucket(c, "budget");
            String slowBucket = Clients.bucketName("budget-slow");
            byte[] config = padded("<CreateBucketConfiguration></CreateBucketConfiguration>", 250_000);
            byte[] wire = Req.of("PUT", "/" + slowBucket).set("Host", host).body(config).sign("UNSIGNED-PAYLOAD").bytes();
            int head = wire.length - config.length;
            try (Socket slow = new Socket(p.endpoint().getHost(), p.endpoint().getPort())) {
                slow.setSoTimeout(30_000);
                OutputStream out = slow.getOutputStream();
                out.write(wire, 0, head + 1000);
                out.flush();
                awaitMetric(p, "sse_proxy_buffered_body_bytes", 250_000);

                String other = Clients.bucketName("budget-other");
                Response refused = send(p, Req.of("PUT", "/" + other).set("Host", host)
                        .body(padded("<CreateBucketConfiguration></CreateBucketConfiguration>", 100_000))
                        .sign("UNSIGNED-PAYLOAD").bytes());
                NegativeIT.assertError(refused, 503, "SlowDown", "Please reduce your request rate.");
                assertEquals("1", refused.header("Retry-After"));

                double streamed = p.metric("sse_proxy_buffered_body_overflow_total", "action=\"streamed\"");
                byte[] small = SseObjectsIT.random(100_000, 1030);
                String etag = c.putObject(b -> b.bucket(bucket).key("small"), RequestBody.fromBytes(small)).eTag();
                assertEquals("\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(small)) + "\"", etag);
                assertEquals(streamed + 1, p.metric("sse_proxy_buffered_body_overflow_total", "action=\"streamed\""),
                        "the PUT streamed instead of buffering");
                assertArrayEquals(small, c.getObjectAsBytes(b -> b.bucket(bucket).key("small")).asByteArray());

                out.write(wire, head + 1000, wire.length - head - 1000);
                out.flush();
                Response r = RawHttp.read(new BufferedInputStream(slow.getInputStream()), false,
                        System.nanoTime() + Duration.ofSeconds(30).toNanos());
                assertEquals(200, r.status(), r::toString);
                c.createBucket(b -> b.bucket(other));
                c.deleteBucket(b -> b.bucket(other));
                c.deleteBucket(b -> b.bucket(slowBucket));
            }
            assertEquals(0, p.metric("sse_proxy_buffered_body_bytes"), "every lease given back");

            // concurrent small PUTs beyond the budget: nothing lost, nothing refused
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> puts = new ArrayList<>();
                Map<String, byte[]> sent = new LinkedHashMap<>();
                for (int i = 0; i < 96; i++) {
                    byte[] d = SseObjectsIT.random(64 * 1024 + i, 2000 + i);
                    String key = "c-" + i;
                    sent.put(key, d);
                    puts.add(pool.submit(() -> c.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(d))));
                }
                for (Future<?> f : puts) {
                    f.get();
                }
                for (Map.Entry<String, byte[]> s : sent.entrySet()) {
                    assertArrayEquals(s.getValue(), c.getObjectAsBytes(b -> b.bucket(bucket).key(s.getKey())).asByteArray());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, p.metric("sse_proxy_buffered_body_bytes"));
        } finally {
            p.stop();
        }
    }

    /** One request on a new connection to {@code p}, and its response. */
    static Response send(ProxyProcess p, byte[] request) throws Exception {
        try (Socket s = new Socket(p.endpoint().getHost(), p.endpoint().getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return RawHttp.read(new BufferedInputStream(s.getInputStream()), false,
                    System.nanoTime() + Duration.ofSeconds(30).toNanos());
        }
    }

    /** {@code xml} with white space inside its root element up to {@code size} bytes. */
    static byte[] padded(String xml, int size) {
        int close = xml.lastIndexOf("</");
        return (xml.substring(0, close) + " ".repeat(size - xml.length()) + xml.substring(close))
                .getBytes(StandardCharsets.UTF_8);
    }

    static void awaitMetric(ProxyProcess p, String name, double atLeast) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (p.metric(name) < atLeast) {
            assertTrue(System.nanoTime() < deadline, name + " stayed below " + atLeast + ": " + p.metric(name));
            ProxyProcess.sleep(50);
        }
    }
}
