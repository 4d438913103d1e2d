package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.PostPolicy;
import dev.sseproxy.auth.SigV4;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;

/** POST Object: browser-form uploads with a policy, signed SigV4 (by the MinIO client) or SigV2. */
class PostObjectIT {
    static S3Client s3;
    static String bucket;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        bucket = Clients.bucketName("post");
        s3.createBucket(b -> b.bucket(bucket));
    }

    static HttpResponse<String> post(Map<String, String> fields, byte[] file) throws Exception {
        return post(HTTP, ProxyProcess.get().endpoint(), fields, file);
    }

    static HttpResponse<String> post(HttpClient client, URI endpoint, Map<String, String> fields, byte[] file)
            throws Exception {
        return post(client, endpoint, bucket, fields, file);
    }

    static HttpResponse<String> post(HttpClient client, URI endpoint, String bucket, Map<String, String> fields,
            byte[] file) throws Exception {
        String boundary = "----sseproxy" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var f : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hello.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        URI uri = endpoint.resolve("/" + bucket);
        return client.send(HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(30)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> minioForm(String key, long maxLength) throws Exception {
        io.minio.PostPolicy policy = new io.minio.PostPolicy(bucket, ZonedDateTime.now().plusMinutes(10));
        policy.addEqualsCondition("key", key);
        policy.addContentLengthRangeCondition(1, maxLength);
        Map<String, String> form = new LinkedHashMap<>(Clients.minioViaProxy().getPresignedPostFormData(policy));
        form.put("key", key);
        return form;
    }

    @Test
    void sigV4FormFromMinioClientUploadsWith204() throws Exception {
        HttpResponse<String> r = post(minioForm("form/one.txt", 1000), "posted!".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("etag").isPresent());
        assertEquals("posted!", s3.getObjectAsBytes(b -> b.bucket(bucket).key("form/one.txt")).asUtf8String());
    }

    @Test
    void successActionStatus201ReturnsPostResponseXml() throws Exception {
        io.minio.PostPolicy policy = new io.minio.PostPolicy(bucket, ZonedDateTime.now().plusMinutes(10));
        policy.addStartsWithCondition("key", "form/");
        policy.addEqualsCondition("success_action_status", "201");
        Map<String, String> form = new LinkedHashMap<>(Clients.minioViaProxy().getPresignedPostFormData(policy));
        form.put("key", "form/${filename}");
        form.put("success_action_status", "201");
        HttpResponse<String> r = post(form, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.body().contains("<Key>form/hello.txt</Key>") && r.body().contains("<PostResponse"), r.body());
        assertEquals("x", s3.getObjectAsBytes(b -> b.bucket(bucket).key("form/hello.txt")).asUtf8String());
    }

    @Test
    void successActionRedirectAnswers303WithBucketKeyAndEtag() throws Exception {
        io.minio.PostPolicy policy = new io.minio.PostPolicy(bucket, ZonedDateTime.now().plusMinutes(10));
        policy.addEqualsCondition("key", "form/redirect");
        policy.addStartsWithCondition("success_action_redirect", "http://example.test/");
        Map<String, String> form = new LinkedHashMap<>(Clients.minioViaProxy().getPresignedPostFormData(policy));
        form.put("key", "form/redirect");
        form.put("success_action_redirect", "http://example.test/done");
        HttpResponse<String> r = post(form, "r".getBytes(StandardCharsets.UTF_8));
        assertEquals(303, r.statusCode(), r.body());
        String location = r.headers().firstValue("location").orElseThrow();
        assertTrue(location.startsWith("http://example.test/done?bucket=" + bucket + "&key=form%2Fredirect&etag="), location);
    }

    @Test
    void policyViolationsAreAccessDeniedAndStoreNothing() throws Exception {
        Map<String, String> wrongKey = minioForm("form/allowed", 1000);
        wrongKey.put("key", "form/not-allowed");
        HttpResponse<String> r = post(wrongKey, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("<Code>AccessDenied</Code>") && r.body().contains("Policy Condition failed"), r.body());
        HttpResponse<String> tooBig = post(minioForm("form/big", 10), new byte[100]);
        assertEquals(400, tooBig.statusCode());
        assertTrue(tooBig.body().contains("<Code>EntityTooLarge</Code>"), tooBig.body());
        Map<String, String> tampered = minioForm("form/tampered", 1000);
        tampered.put("x-amz-signature", "0".repeat(64));
        HttpResponse<String> bad = post(tampered, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, bad.statusCode());
        assertTrue(bad.body().contains("<Code>SignatureDoesNotMatch</Code>"), bad.body());
        for (String k : new String[] {"form/not-allowed", "form/big", "form/tampered"}) {
            assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(k)));
        }
    }

    @Test
    void legacySigV2FormUploads() throws Exception {
        String expiration = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        String json = "{\"expiration\":\"" + expiration + "\",\"conditions\":[{\"bucket\":\"" + bucket + "\"},"
                + "[\"starts-with\",\"$key\",\"v2/\"],[\"starts-with\",\"$Content-Type\",\"\"]]}";
        String policy = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("key", "v2/legacy");
        form.put("Content-Type", "text/x-v2");
        form.put("AWSAccessKeyId", ProxyProcess.ROOT_ACCESS_KEY);
        form.put("policy", policy);
        form.put("signature", PostPolicy.sigV2(ProxyProcess.ROOT_SECRET_KEY, policy));
        HttpResponse<String> r = post(form, "legacy".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, r.statusCode(), r.body());
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("v2/legacy"));
        assertEquals("legacy", got.asUtf8String());
        assertEquals("text/x-v2", got.response().contentType());
        String expired = Base64.getEncoder().encodeToString(json.replace(expiration, "2020-01-01T00:00:00Z")
                .getBytes(StandardCharsets.UTF_8));
        form.put("policy", expired);
        form.put("signature", PostPolicy.sigV2(ProxyProcess.ROOT_SECRET_KEY, expired));
        HttpResponse<String> late = post(form, "legacy".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, late.statusCode());
        assertTrue(late.body().contains("Policy expired"), late.body());
    }

    @Test
    void anonymousFormWithoutPolicyIsAccessDenied() throws Exception {
        HttpResponse<String> r = post(Map.of("key", "anon"), "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("<Code>AccessDenied</Code>"), r.body());
    }

    // ---- unsigned forms: anonymous writes, allowed where the bucket's ACL grants everyone WRITE ----

    /** A bucket with ACLs enabled (ObjectWriter, as pre-2023 buckets) and this canned bucket ACL. */
    static String aclBucket(String prefix, BucketCannedACL acl) {
        String b = Clients.newBucket(s3, prefix);
        s3.putBucketOwnershipControls(x -> x.bucket(b).ownershipControls(c -> c.rules(r -> r.objectOwnership(
                ObjectOwnership.OBJECT_WRITER))));
        s3.deletePublicAccessBlock(x -> x.bucket(b));
        s3.putBucketAcl(x -> x.bucket(b).acl(acl));
        return b;
    }

    static HttpResponse<String> postTo(String bucket, Map<String, String> fields, byte[] file) throws Exception {
        return post(HTTP, ProxyProcess.get().endpoint(), bucket, fields, file);
    }

    static Map<String, String> fields(String... nameValue) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put(nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    @Test
    void unsignedFormToAPublicReadWriteBucketIsAnAnonymousWriteEncryptedUnderTheBucketDefault() throws Exception {
        String b = aclBucket("post-anon", BucketCannedACL.PUBLIC_READ_WRITE);
        HttpResponse<String> r = postTo(b, fields("key", "drop/${filename}", "Content-Type", "text/plain"),
                "anonymous form bytes".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, r.statusCode(), r.body());
        assertEquals("AES256", r.headers().firstValue("x-amz-server-side-encryption").orElse(null), r.headers()::toString);
        byte[] stored = Clients.backend().getObject(io.minio.GetObjectArgs.builder().bucket(b).object("drop/hello.txt")
                .build()).readAllBytes();
        assertTrue(!new String(stored, StandardCharsets.ISO_8859_1).contains("anonymous form bytes"), "ciphertext in MinIO");
        assertTrue(s3.listObjectsV2(x -> x.bucket(b)).contents().stream().anyMatch(o -> o.key().equals("drop/hello.txt")));
        // as an anonymous PUT (AclIT): under ObjectWriter the anonymous writer owns it, so not even the
        // bucket owner may read it
        assertEquals(403, assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                () -> s3.getObjectAsBytes(x -> x.bucket(b).key("drop/hello.txt"))).statusCode());

        // with acl=public-read (s3-tests' test_post_object_anonymous_request) everyone reads it back, decrypted
        HttpResponse<String> pub = postTo(b, fields("key", "drop/public.txt", "acl", "public-read",
                "Content-Type", "text/plain", "success_action_status", "201"), "bar".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, pub.statusCode(), pub.body());
        assertTrue(pub.body().contains("<Key>drop/public.txt</Key>"), pub.body());
        var got = s3.getObjectAsBytes(x -> x.bucket(b).key("drop/public.txt"));
        assertEquals("bar", got.asUtf8String());
        assertEquals("text/plain", got.response().contentType());
        assertEquals("AES256", got.response().serverSideEncryptionAsString());
        assertEquals("bar", RawHttp.Req.of("GET", "/" + b + "/drop/public.txt").send().text());

        // an anonymous form may not ask for SSE-KMS (S3: KMS needs a SigV4-signed requester)
        HttpResponse<String> kms = postTo(b, fields("key", "drop/kms.txt", "x-amz-server-side-encryption", "aws:kms"),
                "kms".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, kms.statusCode(), kms.body());
        assertTrue(kms.body().contains("<Code>InvalidArgument</Code>"), kms.body());
        assertTrue(s3.listObjectsV2(x -> x.bucket(b).prefix("drop/kms")).contents().isEmpty());
    }

    @Test
    void unsignedFormWithoutWriteAccessIsAccessDeniedBeforeItsFileIsRead() throws Exception {
        // ACLs enabled, but the bucket grants everyone READ only: no WRITE, no anonymous upload
        String readOnly = aclBucket("post-ro", BucketCannedACL.PUBLIC_READ);
        HttpResponse<String> r = postTo(readOnly, fields("key", "nope"), "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("<Code>AccessDenied</Code>"), r.body());
        // a private ACL-enabled bucket: refused at the file part, the body left unread
        String closed = aclBucket("post-priv", BucketCannedACL.PRIVATE);
        long before = spooled();
        Streamed s = streamPost(closed, List.<String[]>of(new String[] {"key", "anon/big"}), 200 * MIB);
        assertEquals(403, s.response().status(), s.response()::toString);
        assertEquals("AccessDenied", s.response().code(), s.response()::toString);
        assertTrue(s.sentAtAnswer() < 64 * MIB, "answered only after " + s.sentAtAnswer() + " bytes");
        assertTrue(s.cutOff() && s.sentTotal() < 200 * MIB, "the proxy read the whole body: " + s.sentTotal());
        assertEquals(before, spooled(), "nothing spooled");
        for (String[] bk : new String[][] {{readOnly, "nope"}, {closed, "anon/big"}}) {
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(x -> x.bucket(bk[0]).key(bk[1])));
        }
    }

    @Test
    void aPolicyWithoutSignatureOrASignatureWithoutPolicyIsRefusedEvenOnAPublicReadWriteBucket() throws Exception {
        String b = aclBucket("post-half", BucketCannedACL.PUBLIC_READ_WRITE);
        String policy = b64("{\"expiration\":\"" + Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
                + "\",\"conditions\":[{\"bucket\":\"" + b + "\"},[\"starts-with\",\"$key\",\"\"]]}");
        HttpResponse<String> noSignature = postTo(b, fields("key", "half1", "policy", policy), "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, noSignature.statusCode(), noSignature.body());
        assertTrue(noSignature.body().contains("<Code>InvalidArgument</Code>")
                && noSignature.body().contains("Bucket POST must contain a field named"), noSignature.body());
        HttpResponse<String> noPolicy = postTo(b, fields("key", "half2", "AWSAccessKeyId", ProxyProcess.ROOT_ACCESS_KEY,
                "signature", "c2lnbmF0dXJl"), "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, noPolicy.statusCode(), noPolicy.body());
        assertTrue(noPolicy.body().contains("<Code>InvalidArgument</Code>")
                && noPolicy.body().contains("Bucket POST must contain a field named 'policy'"), noPolicy.body());
        for (String k : new String[] {"half1", "half2"}) {
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(x -> x.bucket(b).key(k)));
        }
    }

    // ---- streaming: nothing is read or spooled before the form is authorized ----

    static final long MIB = 1024 * 1024;

    /** What a streamed POST saw: the answer, bytes sent when it came, in all, and whether sending broke off. */
    record Streamed(RawHttp.Response response, long sentAtAnswer, long sentTotal, boolean cutOff) {
    }

    /**
     * POSTs a form whose file part is {@code fileSize} generated bytes, streamed from a fixed 64 KiB
     * pattern (never held whole), while the response is read on this thread.
     */
    static Streamed streamPost(List<String[]> fields, long fileSize) throws Exception {
        return streamPost(bucket, fields, fileSize);
    }

    static Streamed streamPost(String bucket, List<String[]> fields, long fileSize) throws Exception {
        String boundary = "----sseproxyStream" + System.nanoTime();
        StringBuilder pre = new StringBuilder();
        for (String[] f : fields) {
            pre.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(f[0])
                    .append("\"\r\n\r\n").append(f[1]).append("\r\n");
        }
        pre.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n")
                .append("Content-Type: application/octet-stream\r\n\r\n");
        byte[] head = pre.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long length = head.length + fileSize + tail.length;
        byte[] requestHead = ("POST /" + bucket + " HTTP/1.1\r\nHost: " + RawHttp.host() + "\r\nContent-Type: "
                + "multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] pattern = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(pattern);
        AtomicLong sent = new AtomicLong();
        AtomicReference<IOException> broke = new AtomicReference<>();
        try (Socket s = new Socket(ProxyProcess.get().endpoint().getHost(), ProxyProcess.get().endpoint().getPort())) {
            s.setSoTimeout((int) RawHttp.TIMEOUT.toMillis());
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(requestHead);
                    out.write(head);
                    sent.addAndGet(head.length);
                    for (long left = fileSize; left > 0; ) {
                        int n = (int) Math.min(pattern.length, left);
                        out.write(pattern, 0, n);
                        sent.addAndGet(n);
                        left -= n;
                    }
                    out.write(tail);
                    sent.addAndGet(tail.length);
                    out.flush();
                } catch (IOException e) {
                    broke.set(e);
                }
            }, "post-stream-writer");
            writer.setDaemon(true);
            writer.start();
            RawHttp.Response r = RawHttp.read(new BufferedInputStream(s.getInputStream()), false,
                    System.nanoTime() + RawHttp.TIMEOUT.toNanos());
            long atAnswer = sent.get();
            writer.join(60_000);
            return new Streamed(r, atAnswer, sent.get(), broke.get() != null);
        }
    }

    /** Spool files of POST uploads in the shared proxy's data dir, and Vert.x's default upload dir. */
    static long spooled() throws IOException {
        Path tmp = ProxyProcess.get().projectRoot().resolve("target/it-data/tmp");
        long n = 0;
        if (Files.isDirectory(tmp)) {
            try (var files = Files.list(tmp)) {
                n += files.filter(f -> f.getFileName().toString().startsWith("post-")).count();
            }
        }
        Path vertxUploads = ProxyProcess.get().projectRoot().resolve("file-uploads");
        if (Files.isDirectory(vertxUploads)) {
            try (var files = Files.list(vertxUploads)) {
                n += files.count();
            }
        }
        return n;
    }

    @Test
    void anonymousPostOf200MiBIsRefusedBeforeItsFileIsRead() throws Exception {
        long before = spooled();
        Streamed r = streamPost(List.<String[]>of(new String[] {"key", "anon/big"}), 200 * MIB);
        System.out.printf("anonymous 200 MiB POST: answered after %d bytes sent, %d sent in all, cut off: %s%n",
                r.sentAtAnswer(), r.sentTotal(), r.cutOff());
        assertEquals(403, r.response().status(), r.response()::toString);
        assertEquals("AccessDenied", r.response().code(), r.response()::toString);
        assertTrue(r.sentAtAnswer() < 64 * MIB, "answered only after " + r.sentAtAnswer() + " bytes");
        assertTrue(r.cutOff() && r.sentTotal() < 200 * MIB, "the proxy read the whole body: " + r.sentTotal());
        assertEquals(before, spooled(), "nothing spooled");
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("anon/big")));
    }

    @Test
    void signedPostOverContentLengthRangeIsRefusedWhileStreaming() throws Exception {
        Map<String, String> form = minioForm("form/too-big", MIB);
        List<String[]> fields = new java.util.ArrayList<>();
        form.forEach((k, v) -> fields.add(new String[] {k, v}));
        Streamed r = streamPost(fields, 200 * MIB);
        System.out.printf("signed 200 MiB POST over a 1 MiB range: answered after %d bytes sent, %d in all%n",
                r.sentAtAnswer(), r.sentTotal());
        assertEquals(400, r.response().status(), r.response()::toString);
        assertEquals("EntityTooLarge", r.response().code(), r.response()::toString);
        assertEquals(String.valueOf(MIB), r.response().element("MaxSizeAllowed"));
        assertTrue(r.sentAtAnswer() < 64 * MIB, "answered only after " + r.sentAtAnswer() + " bytes");
        assertTrue(r.cutOff() && r.sentTotal() < 200 * MIB, "the proxy read the whole body: " + r.sentTotal());
        assertEquals(0, spooledNow(), "the spool of the refused upload is gone");
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("form/too-big")));
    }

    static long spooledNow() throws Exception {
        // the spool is deleted as the refusal completes; give the file system a moment
        for (int i = 0; i < 50; i++) {
            if (spooled() == 0) {
                return 0;
            }
            Thread.sleep(100);
        }
        return spooled();
    }

    // ---- form fields by name, policies as S3 reads them ----

    /** A SigV4-signed form for a policy with these extra conditions (bucket and the signature fields added). */
    static Map<String, String> signedForm(String... conditions) {
        Instant now = Instant.now();
        String amzDate = SigV4.amzDate(now);
        String day = amzDate.substring(0, 8);
        String credential = ProxyProcess.ROOT_ACCESS_KEY + "/" + day + "/us-east-1/s3/aws4_request";
        String json = "{\"expiration\":\"" + now.plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
                + "\",\"conditions\":[{\"bucket\":\"" + bucket + "\"},{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},"
                + "{\"x-amz-credential\":\"" + credential + "\"},{\"x-amz-date\":\"" + amzDate + "\"}"
                + (conditions.length == 0 ? "" : "," + String.join(",", conditions)) + "]}";
        return signedPolicy(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)), amzDate);
    }

    static Map<String, String> signedPolicy(String policy, String amzDate) {
        String day = amzDate.substring(0, 8);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        form.put("x-amz-credential", ProxyProcess.ROOT_ACCESS_KEY + "/" + day + "/us-east-1/s3/aws4_request");
        form.put("x-amz-date", amzDate);
        form.put("policy", policy);
        form.put("x-amz-signature", PostPolicy.sigV4(SigV4.signingKey(ProxyProcess.ROOT_SECRET_KEY, day, "us-east-1",
                "s3"), policy));
        return form;
    }

    /**
     * The bytes Python {@code requests} sends for {@code requests.post(url, files=...)} with every
     * field given as a string: each part carries {@code filename} = its name; the file comes last.
     */
    static byte[] requestsBody(String boundary, Map<String, String> fields, String filename, String fileType,
            byte[] file, String after) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var f : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
                    + "\"; filename=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue() + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\n" + (fileType == null ? "" : "Content-Type: " + fileType + "\r\n") + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n" + after + "--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    static HttpResponse<String> postRaw(String boundary, byte[] body) throws Exception {
        URI uri = ProxyProcess.get().endpoint().resolve("/" + bucket);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsStyleFormWithAFilenameOnEveryFieldStoresWhatTheFieldsSay() throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("key", "req/${filename}");
        form.put("Content-Type", "text/x-requests");
        form.put("x-amz-meta-color", "blue");
        form.put("acl", "private");
        form.put("success_action_status", "201");
        form.put("x-amz-server-side-encryption", "AES256");
        form.putAll(signedForm("[\"starts-with\",\"$key\",\"req/\"]", "[\"eq\",\"$Content-Type\",\"text/x-requests\"]",
                "{\"x-amz-meta-color\":\"blue\"}", "{\"acl\":\"private\"}", "{\"success_action_status\":\"201\"}",
                "[\"eq\",\"$x-amz-server-side-encryption\",\"AES256\"]",
                "[\"starts-with\",\"$x-amz-meta-not-sent\",\"\"]", "[\"content-length-range\",1,1000]"));
        String boundary = "b4d1e5f0a1c2e3";
        HttpResponse<String> r = postRaw(boundary, requestsBody(boundary, form, "data.txt", "text/plain",
                "from requests".getBytes(StandardCharsets.UTF_8), ""));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.body().contains("<Key>req/data.txt</Key>") && r.body().contains("<Bucket>" + bucket + "</Bucket>"),
                r.body());
        assertEquals("AES256", r.headers().firstValue("x-amz-server-side-encryption").orElse(null));
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("req/data.txt"));
        assertEquals("from requests", got.asUtf8String());
        assertEquals("text/x-requests", got.response().contentType());
        assertEquals(Map.of("color", "blue"), got.response().metadata());
        assertEquals("AES256", got.response().serverSideEncryptionAsString());
    }

    @Test
    void browserFormWithKmsAndNoContentTypeFieldAndAFieldAfterTheFile() throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("key", "browser/kms");
        form.put("x-amz-server-side-encryption", "aws:kms");
        form.put("X-Amz-Server-Side-Encryption-Bucket-Key-Enabled", "true");
        form.put("success_action_status", "200");
        form.putAll(signedForm("{\"key\":\"browser/kms\"}", "{\"x-amz-server-side-encryption\":\"aws:kms\"}",
                "[\"eq\",\"$x-amz-server-side-encryption-bucket-key-enabled\",\"true\"]",
                "[\"starts-with\",\"$success_action_status\",\"\"]"));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String boundary = "----WebKitFormBoundaryAbC123xYz";
        for (var f : form.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\n"
                + "Content-Type: image/png\r\n\r\nPNGDATA\r\n--" + boundary + "\r\nContent-Disposition: form-data; "
                + "name=\"x-amz-meta-late\"\r\n\r\nignored\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = postRaw(boundary, body.toByteArray());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("", r.body());
        assertEquals("aws:kms", r.headers().firstValue("x-amz-server-side-encryption").orElse(null));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("browser/kms"));
        assertEquals("binary/octet-stream", head.contentType(), "S3 ignores the file part's own Content-Type");
        assertEquals(Map.of(), head.metadata(), "fields after the file are ignored");
        assertEquals("aws:kms", head.serverSideEncryptionAsString());
        assertEquals(Boolean.TRUE, head.bucketKeyEnabled());
        assertEquals(7L, head.contentLength());
    }

    @Test
    void sseCFormFieldsEncryptWithTheCustomerKeyOverTlsOnly() throws Exception {
        // new buckets block SSE-C (S3's 2026 default): allow it on this one
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule.builder().blockedEncryptionTypes(
                        t -> t.encryptionType(software.amazon.awssdk.services.s3.model.EncryptionType.NONE)).build())));
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        String keyB64 = Base64.getEncoder().encodeToString(key);
        String md5 = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(key));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("key", "ssec/form");
        form.put("x-amz-server-side-encryption-customer-algorithm", "AES256");
        form.put("x-amz-server-side-encryption-customer-key", keyB64);
        form.put("x-amz-server-side-encryption-customer-key-MD5", md5);
        form.putAll(signedForm("{\"key\":\"ssec/form\"}",
                "{\"x-amz-server-side-encryption-customer-algorithm\":\"AES256\"}",
                "[\"starts-with\",\"$x-amz-server-side-encryption-customer-key\",\"\"]",
                "[\"starts-with\",\"$x-amz-server-side-encryption-customer-key-MD5\",\"\"]"));
        HttpResponse<String> plain = post(form, "secret".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, plain.statusCode(), plain.body());
        assertTrue(plain.body().contains("<Code>InvalidRequest</Code>"), plain.body());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("ssec/form")));

        var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, Clients.trustManagers(ProxyProcess.get().certificate()), null);
        HttpClient tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
        HttpResponse<String> r = post(tls, ProxyProcess.get().tlsEndpoint(), form,
                "secret".getBytes(StandardCharsets.UTF_8));
        assertEquals(204, r.statusCode(), r.body());
        assertEquals("AES256", r.headers().firstValue("x-amz-server-side-encryption-customer-algorithm").orElse(null));
        assertEquals(md5, r.headers().firstValue("x-amz-server-side-encryption-customer-key-MD5").orElse(null));
        try (S3Client viaTls = Clients.tlsSdk()) {
            assertEquals("secret", viaTls.getObjectAsBytes(b -> b.bucket(bucket).key("ssec/form")
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(keyB64).sseCustomerKeyMD5(md5)).asUtf8String());
        }
    }

    @Test
    void malformedPoliciesAre400InvalidPolicyDocument() throws Exception {
        String amzDate = SigV4.amzDate(Instant.now());
        String future = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("!!not base64!!", "Invalid Policy: Invalid JSON.");
        cases.put(b64("{\"conditions\":[{\"bucket\":\"" + bucket + "\"}]}"), "Invalid Policy: Policy missing expiration.");
        cases.put(b64("{\"expiration\":\"" + future + "\"}"), "Invalid Policy: Policy missing conditions.");
        for (var c : cases.entrySet()) {
            for (boolean signed : new boolean[] {true, false}) {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("key", "bad/policy");
                form.putAll(signedPolicy(c.getKey(), amzDate));
                if (!signed) {
                    form.put("x-amz-signature", "0".repeat(64));
                }
                HttpResponse<String> r = post(form, "x".getBytes(StandardCharsets.UTF_8));
                assertEquals(400, r.statusCode(), c.getValue() + ": " + r.body());
                assertTrue(r.body().contains("<Code>InvalidPolicyDocument</Code>")
                        && r.body().contains("<Message>" + c.getValue() + "</Message>"), r.body());
            }
        }
        Map<String, String> backwards = new LinkedHashMap<>();
        backwards.put("key", "bad/range");
        backwards.putAll(signedForm("{\"key\":\"bad/range\"}", "[\"content-length-range\",10,5]"));
        HttpResponse<String> r = post(backwards, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("<Code>InvalidPolicyDocument</Code>"), r.body());
        Map<String, String> small = new LinkedHashMap<>();
        small.put("key", "bad/small");
        small.putAll(signedForm("{\"key\":\"bad/small\"}", "[\"content-length-range\",10,100]"));
        HttpResponse<String> tooSmall = post(small, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, tooSmall.statusCode(), tooSmall.body());
        assertTrue(tooSmall.body().contains("<Code>EntityTooSmall</Code>"), tooSmall.body());
        for (String k : new String[] {"bad/policy", "bad/range", "bad/small"}) {
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key(k)));
        }
    }

    static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
