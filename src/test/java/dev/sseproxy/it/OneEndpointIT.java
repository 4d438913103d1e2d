package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * One endpoint URL for every AWS API the proxy serves (issue 12, item 6), with the real clients: the AWS
 * CLI v2 ({@code /usr/bin/aws}, 2.9: it predates {@code AWS_ENDPOINT_URL}, so {@code --endpoint-url} on
 * each command, always the S3 port) and the AWS SDK v2 clients for S3, KMS, STS, CloudTrail and IAM built
 * with no endpoint of their own: the SDK's {@code AWS_ENDPOINT_URL} mechanism (JVM system property
 * {@code aws.endpointUrl}) gives them all the same URL.
 */
class OneEndpointIT {
    private static final String AWS = "/usr/bin/aws";
    private static final ObjectMapper JSON = new ObjectMapper();

    static ProxyProcess proxy;
    static String[] account;
    static Path home;

    @BeforeAll
    static void setUp() throws IOException {
        proxy = ProxyProcess.get();
        account = proxy.newAccount("one-endpoint-" + UUID.randomUUID().toString().substring(0, 8));
        home = Files.createTempDirectory("sse-proxy-one-endpoint");
    }

    @Test
    void theAwsCliReachesS3KmsCloudTrailStsAndIamWithTheSameEndpointUrl() throws Exception {
        JsonNode created = json(ok(aws("kms", "create-key", "--description", "cli one endpoint")));
        String keyId = created.get("KeyMetadata").get("KeyId").asText();
        JsonNode keys = json(ok(aws("kms", "list-keys")));
        assertTrue(keys.get("Keys").toString().contains(keyId), keys.toString());

        JsonNode me = json(ok(aws("sts", "get-caller-identity")));
        assertEquals(account[0], me.get("Account").asText());
        assertEquals(account[0], me.get("UserId").asText());
        assertEquals("arn:aws:iam::" + account[0] + ":root", me.get("Arn").asText());

        String bucket = Clients.bucketName("one-endpoint");
        ok(aws("s3", "mb", "s3://" + bucket));
        Path file = Files.writeString(home.resolve("hello.txt"), "one endpoint for every API\n");
        ok(aws("s3", "cp", file.toString(), "s3://" + bucket + "/hello.txt"));
        String ls = ok(aws("s3", "ls", "s3://" + bucket)).stdout;
        assertTrue(ls.contains("hello.txt"), ls);
        Path back = home.resolve("back.txt");
        ok(aws("s3", "cp", "s3://" + bucket + "/hello.txt", back.toString()));
        assertEquals("one endpoint for every API\n", Files.readString(back));

        JsonNode events = json(ok(aws("cloudtrail", "lookup-events", "--max-results", "50",
                "--lookup-attributes", "AttributeKey=EventName,AttributeValue=PutObject")));
        assertTrue(events.get("Events").isArray(), events.toString());

        // IAM is dispatched too (signed for us-east-1): users are listed, an action no one serves gets IAM's own error
        JsonNode users = json(ok(aws("iam", "list-users")));
        assertTrue(users.get("Users").isArray(), users.toString());
        Result roles = aws("iam", "list-roles");
        assertNotEquals(0, roles.exit);
        assertTrue(roles.stderr.contains("InvalidAction") && roles.stderr.contains(
                "Could not find operation ListRoles for version 2010-05-08"), roles.stderr);

        ok(aws("s3", "rb", "--force", "s3://" + bucket));
    }

    @Test
    void sdkClientsShareOneEndpointThroughAwsEndpointUrl() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(account[1], account[2]));
        S3Client s3;
        KmsClient kms;
        StsClient sts;
        CloudTrailClient cloudTrail;
        IamClient iam;
        String before = System.getProperty("aws.endpointUrl");
        // the SDK's own AWS_ENDPOINT_URL mechanism (system property form): read when a client is built
        System.setProperty("aws.endpointUrl", proxy.endpoint().toString());
        try {
            s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(credentials).forcePathStyle(true)
                    .httpClient(UrlConnectionHttpClient.create()).build();
            kms = KmsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).build();
            sts = StsClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).build();
            cloudTrail = CloudTrailClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).build();
            iam = IamClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.create()).build();
        } finally {
            if (before == null) {
                System.clearProperty("aws.endpointUrl");
            } else {
                System.setProperty("aws.endpointUrl", before);
            }
        }
        try (s3; kms; sts; cloudTrail; iam) {
            GetCallerIdentityResponse me = sts.getCallerIdentity();
            assertEquals(account[0], me.account());
            assertEquals("arn:aws:iam::" + account[0] + ":root", me.arn());

            String keyId = kms.createKey(r -> r.description("sdk one endpoint")).keyMetadata().keyId();
            assertTrue(kms.listKeys().keys().stream().anyMatch(k -> k.keyId().equals(keyId)));

            String bucket = Clients.newBucket(s3, "sdk-one-endpoint");
            s3.putObject(r -> r.bucket(bucket).key("k").serverSideEncryption("aws:kms").ssekmsKeyId(keyId),
                    RequestBody.fromString("sealed with a key made on the same endpoint"));
            assertEquals("sealed with a key made on the same endpoint",
                    s3.getObjectAsBytes(r -> r.bucket(bucket).key("k")).asUtf8String());

            // the audit trail is written asynchronously: poll (bounded) until the upload shows
            boolean found = false;
            for (int i = 0; i < 60 && !found; i++) {
                found = cloudTrail.lookupEvents(r -> r.maxResults(50)).events().stream()
                        .anyMatch(e -> e.eventName().equals("PutObject"));
                if (!found) {
                    ProxyProcess.sleep(250);
                }
            }
            assertTrue(found, "PutObject is in the account's trail, read through the same endpoint");

            assertTrue(iam.listUsers().users() != null, "ListUsers through the same endpoint");
            IamException e = assertThrows(IamException.class, () -> iam.listRoles());
            assertEquals("InvalidAction", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());

            s3.deleteObject(r -> r.bucket(bucket).key("k"));
            s3.deleteBucket(r -> r.bucket(bucket));
        }
    }

    // ------------------------------------------------------------------ the CLI as a process

    record Result(int exit, String stdout, String stderr) {
    }

    static Result ok(Result r) {
        assertEquals(0, r.exit, "aws failed: " + r.stderr + r.stdout);
        return r;
    }

    static JsonNode json(Result r) throws IOException {
        return JSON.readTree(r.stdout);
    }

    /** {@code aws --endpoint-url <S3 port> args} with the test account's key and a clean environment. */
    static Result aws(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(AWS, "--endpoint-url", proxy.endpoint().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(new LinkedHashMap<>(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LANG", "C.UTF-8",
                "HOME", home.toString(), "AWS_ACCESS_KEY_ID", account[1], "AWS_SECRET_ACCESS_KEY", account[2],
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_DEFAULT_OUTPUT", "json", "AWS_PAGER", "",
                "AWS_EC2_METADATA_DISABLED", "true")));
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
