package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Issue #10 item 11: user metadata with non-ASCII values. botocore (boto3, the AWS CLI) puts a
 * header's text on the wire as raw UTF-8 bytes and signs those bytes; RawHttp sends exactly that
 * (its header block is UTF-8, its signature the production signer's over the same text). S3
 * returns such a value RFC 2047-encoded ({@code =?UTF-8?B?...?=}); that form is also what the
 * backend holds (checked in MinIO directly).
 */
class MetadataEncodingIT {
    static final String VALUE = "Hello World\u00e9";
    static final String ENCODED = "=?UTF-8?B?SGVsbG8gV29ybGTDqQ==?=";

    static S3Client s3;
    static MinioClient minio;
    static String bucket;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        minio = Clients.backend();
        bucket = Clients.newBucket(s3, "meta-utf8");
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    static String rfc2047(String text) {
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    static Response put(String key, String metaName, String value, byte[] body) throws Exception {
        return Req.of("PUT", "/" + bucket + "/" + key).header("x-amz-meta-" + metaName, value).body(body).sign().send();
    }

    @Test
    void nonAsciiValueAsBotocoreSendsItIsSignedStoredAndReturnedRfc2047Encoded() throws Exception {
        Response put = put("boto", "meta1", VALUE, "bar".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, put.status(), put::toString);

        Response head = Req.of("HEAD", "/" + bucket + "/boto").sign().send();
        assertEquals(200, head.status(), head::toString);
        assertEquals(ENCODED, head.header("x-amz-meta-meta1"));
        Response get = Req.of("GET", "/" + bucket + "/boto").sign().send();
        assertEquals(ENCODED, get.header("x-amz-meta-meta1"));
        assertEquals("bar", get.text());

        var sdkHead = s3.headObject(b -> b.bucket(bucket).key("boto"));
        assertEquals(ENCODED, sdkHead.metadata().get("meta1"));
        var sdkGet = s3.getObjectAsBytes(b -> b.bucket(bucket).key("boto"));
        assertEquals(ENCODED, sdkGet.response().metadata().get("meta1"));
        assertEquals(VALUE, new String(Base64.getDecoder().decode(ENCODED.substring(10, ENCODED.length() - 2)),
                StandardCharsets.UTF_8));

        // the backend holds the ASCII form, under the same name
        var stat = minio.statObject(StatObjectArgs.builder().bucket(bucket).object("boto").build());
        assertEquals(ENCODED, stat.userMetadata().getFirst("meta1"));
    }

    /** The AWS CLI v2: refuses a non-ASCII value itself (as against S3) and shows a stored one as S3 returns it. */
    @Test
    void awsCliShowsTheEncodedValueAndRefusesToSendNonAscii() throws Exception {
        assertEquals(200, put("cli", "meta1", VALUE, new byte[0]).status());
        Cli head = cli("s3api", "head-object", "--bucket", bucket, "--key", "cli");
        assertEquals(0, head.exit(), head::toString);
        assertTrue(head.stdout().contains("\"meta1\": \"" + ENCODED + "\""), head::toString);
        Cli refused = cli("s3api", "put-object", "--bucket", bucket, "--key", "cli2", "--metadata", "meta1=" + VALUE);
        assertNotEquals(0, refused.exit(), refused::toString);
        assertTrue(refused.stderr().contains("Non ascii characters found in S3 metadata"), refused::toString);
    }

    record Cli(int exit, String stdout, String stderr) {
    }

    static Cli cli(String... args) throws Exception {
        Path home = Files.createTempDirectory("sse-proxy-meta-cli");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url",
                ProxyProcess.get().endpoint().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(home.resolve("out").toFile()).redirectError(home.resolve("err").toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8",
                "HOME", home.toString(), "AWS_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY, "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_DEFAULT_OUTPUT", "json", "AWS_PAGER", ""));
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + cmd + " timed out");
        }
        return new Cli(p.exitValue(), Files.readString(home.resolve("out")), Files.readString(home.resolve("err")));
    }

    @Test
    void everyScriptRoundTripsAndAsciiValuesStayAsTheyAre() throws Exception {
        String cjk = "\ud55c\uae00 \u2713 \ud83d\ude00 caf\u00e9";
        assertEquals(200, put("many", "cjk", cjk, new byte[0]).status());
        assertEquals(200, Req.of("PUT", "/" + bucket + "/ascii").header("x-amz-meta-plain", "just ascii =?x?=")
                .sign().send().status());
        assertEquals(rfc2047(cjk), s3.headObject(b -> b.bucket(bucket).key("many")).metadata().get("cjk"));
        assertEquals("just ascii =?x?=", s3.headObject(b -> b.bucket(bucket).key("ascii")).metadata().get("plain"));
    }

    @Test
    void nonAsciiMetadataSizeCountsUtf8Bytes() throws Exception {
        // 1,100 x U+00E9 is 1,100 chars but 2,200 UTF-8 bytes: over S3's 2 KB
        Response r = put("big", "m", "\u00e9".repeat(1100), new byte[0]);
        assertError(r, 400, "MetadataTooLarge", null);
    }

    @Test
    void nonAsciiValueOnMultipartUploadAndCopyIsStoredTheSameWay() throws Exception {
        Response created = Req.of("POST", "/" + bucket + "/mpu", "uploads").header("x-amz-meta-who", VALUE).sign().send();
        assertEquals(200, created.status(), created::toString);
        String uploadId = created.element("UploadId");
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("mpu").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("part")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mpu").uploadId(uploadId)
                .multipartUpload(m -> m.parts(List.of(CompletedPart.builder().partNumber(1).eTag(etag).build()))));
        assertEquals(ENCODED, s3.headObject(b -> b.bucket(bucket).key("mpu")).metadata().get("who"));

        Response copied = Req.of("PUT", "/" + bucket + "/copy").header("x-amz-copy-source", "/" + bucket + "/mpu")
                .header("x-amz-metadata-directive", "REPLACE").header("x-amz-meta-who", "caf\u00e9").sign().send();
        assertEquals(200, copied.status(), copied::toString);
        assertEquals(rfc2047("caf\u00e9"), s3.headObject(b -> b.bucket(bucket).key("copy")).metadata().get("who"));
        assertArrayEquals("part".getBytes(StandardCharsets.UTF_8),
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy")).asByteArray());
    }

    @Test
    void nonAsciiContentDispositionGoesThroughByteForByte() throws Exception {
        String cd = "attachment; filename=\"r\u00e9sum\u00e9.pdf\"";
        Response put = Req.of("PUT", "/" + bucket + "/cd").header("Content-Disposition", cd).body("x").sign().send();
        assertEquals(200, put.status(), put::toString);
        Response head = Req.of("HEAD", "/" + bucket + "/cd").sign().send();
        assertEquals(200, head.status(), head::toString);
        // RawHttp reads header bytes as ISO-8859-1: the UTF-8 bytes come back as they were sent
        assertEquals(cd, new String(head.header("content-disposition").getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8));
    }
}
