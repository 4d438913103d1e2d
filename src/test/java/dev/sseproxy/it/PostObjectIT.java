package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.PostPolicy;
import java.io.ByteArrayOutputStream;
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
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

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
        URI uri = ProxyProcess.get().endpoint().resolve("/" + bucket);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(30)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
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
}
