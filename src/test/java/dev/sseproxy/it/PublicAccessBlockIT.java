package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.it.RawHttp.Req;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3control.S3ControlClient;

/**
 * Block Public Access end to end (issue 12 item 5): the bucket-level configuration (on for new buckets
 * in the default era, as on AWS since April 2023), the account-level one through S3 Control (SDK v2's
 * {@code S3ControlClient} and {@code aws s3control}), and what {@code BlockPublicAcls} refuses.
 */
class PublicAccessBlockIT {
    static final String NOT_FOUND = "The public access block configuration was not found";
    static S3Client s3;
    static S3Client otherS3;
    static String[] other;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        other = ProxyProcess.get().newAccount("bpa-other-" + UUID.randomUUID().toString().substring(0, 8));
        otherS3 = Clients.sdk(ProxyProcess.get().endpoint(), other[1], other[2]);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        otherS3.close();
    }

    static S3ControlClient control(String accessKey, String secretKey) {
        // a host name, not 127.0.0.1: with the account id in front, 111122223333.127.0.0.1 is no valid URI host
        java.net.URI endpoint = java.net.URI.create("http://localhost:" + ProxyProcess.get().endpoint().getPort());
        return S3ControlClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                // the SDK puts the account id in front of the host (111122223333.127.0.0.1), and its endpoint
                // rules do so even with DISABLE_HOST_PREFIX_INJECTION; such a name does not resolve here, so
                // the request goes through an HTTP proxy that is the proxy itself (no name is resolved)
                .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .httpClient(UrlConnectionHttpClient.builder().proxyConfiguration(
                        software.amazon.awssdk.http.urlconnection.ProxyConfiguration.builder()
                                .endpoint(java.net.URI.create("http://127.0.0.1:" + ProxyProcess.get().endpoint().getPort()))
                                .useSystemPropertyValues(false).useEnvironmentVariablesValues(false)
                                .nonProxyHosts(java.util.Set.of()).build()).build()).build();
    }

    @Test
    void aNewBucketBlocksAllPublicAccessAndTheConfigurationCanBeReplacedAndDeleted() throws Exception {
        String b = Clients.newBucket(s3, "bpa-bucket");
        PublicAccessBlockConfiguration c = s3.getPublicAccessBlock(x -> x.bucket(b)).publicAccessBlockConfiguration();
        assertEquals(PublicAccessBlockConfiguration.builder().blockPublicAcls(true).ignorePublicAcls(true)
                .blockPublicPolicy(true).restrictPublicBuckets(true).build(), c);
        s3.putPublicAccessBlock(x -> x.bucket(b).publicAccessBlockConfiguration(p -> p.blockPublicPolicy(true)));
        c = s3.getPublicAccessBlock(x -> x.bucket(b)).publicAccessBlockConfiguration();
        assertEquals(PublicAccessBlockConfiguration.builder().blockPublicAcls(false).ignorePublicAcls(false)
                .blockPublicPolicy(true).restrictPublicBuckets(false).build(), c);
        s3.deletePublicAccessBlock(x -> x.bucket(b));
        assertError(assertThrows(S3Exception.class, () -> s3.getPublicAccessBlock(x -> x.bucket(b))), 404,
                "NoSuchPublicAccessBlockConfiguration", NOT_FOUND);
        // a value that is not a boolean is malformed
        assertError(Req.of("PUT", "/" + b, "publicAccessBlock").body("<PublicAccessBlockConfiguration><BlockPublicAcls>"
                + "yes</BlockPublicAcls></PublicAccessBlockConfiguration>").sign().send(), 400, "MalformedXML", null);
        // another account may not read or change it
        assertError(assertThrows(S3Exception.class, () -> otherS3.deletePublicAccessBlock(x -> x.bucket(b))), 403,
                "AccessDenied", "Access Denied");
    }

    @Test
    void blockPublicAclsRefusesPublicAclsOnBucketsAndObjects() throws Exception {
        String b = Clients.newBucket(s3, "bpa-acls");
        s3.putBucketOwnershipControls(x -> x.bucket(b).ownershipControls(c -> c.rules(r -> r.objectOwnership(
                ObjectOwnership.OBJECT_WRITER))));
        assertError(assertThrows(S3Exception.class, () -> s3.putBucketAcl(x -> x.bucket(b).acl(BucketCannedACL.PUBLIC_READ))),
                403, "AccessDenied", "Access Denied");
        assertError(assertThrows(S3Exception.class, () -> s3.putObject(x -> x.bucket(b).key("k")
                .acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("v"))), 403, "AccessDenied", "Access Denied");
        assertError(Req.of("PUT", "/" + b + "/g").header("x-amz-grant-read",
                "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"").body("v").sign().send(), 403, "AccessDenied",
                "Access Denied");
        assertEquals(404, assertThrows(S3Exception.class, () -> s3.headObject(x -> x.bucket(b).key("k"))).statusCode());
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("v"));
        assertError(assertThrows(S3Exception.class, () -> s3.putObjectAcl(x -> x.bucket(b).key("k")
                .acl(ObjectCannedACL.PUBLIC_READ))), 403, "AccessDenied", "Access Denied");
        assertError(assertThrows(S3Exception.class, () -> s3.createMultipartUpload(x -> x.bucket(b).key("m")
                .acl(ObjectCannedACL.PUBLIC_READ_WRITE))), 403, "AccessDenied", "Access Denied");
        // private ACLs are fine; without the block the public ones are taken again
        s3.putObjectAcl(x -> x.bucket(b).key("k").acl(ObjectCannedACL.PRIVATE));
        s3.deletePublicAccessBlock(x -> x.bucket(b));
        s3.putObjectAcl(x -> x.bucket(b).key("k").acl(ObjectCannedACL.PUBLIC_READ));
        assertEquals(200, Req.of("GET", "/" + b + "/k").send().status());
    }

    @Test
    void theAccountLevelConfigurationIsServedAsS3ControlToTheSdkAndAppliesToEveryBucket() throws Exception {
        String[] acct = ProxyProcess.get().newAccount("bpa-acct-" + UUID.randomUUID().toString().substring(0, 8));
        try (S3ControlClient control = control(acct[1], acct[2]);
                S3Client mine = Clients.sdk(ProxyProcess.get().endpoint(), acct[1], acct[2])) {
            var missing = assertThrows(software.amazon.awssdk.services.s3control.model.S3ControlException.class,
                    () -> control.getPublicAccessBlock(x -> x.accountId(acct[0])));
            assertEquals(404, missing.statusCode(), missing::toString);
            assertEquals("NoSuchPublicAccessBlockConfiguration", missing.awsErrorDetails().errorCode(), missing::toString);
            control.putPublicAccessBlock(x -> x.accountId(acct[0]).publicAccessBlockConfiguration(p -> p
                    .blockPublicAcls(true).ignorePublicAcls(false).blockPublicPolicy(false).restrictPublicBuckets(true)));
            var got = control.getPublicAccessBlock(x -> x.accountId(acct[0])).publicAccessBlockConfiguration();
            assertEquals(true, got.blockPublicAcls());
            assertEquals(false, got.ignorePublicAcls());
            assertEquals(false, got.blockPublicPolicy());
            assertEquals(true, got.restrictPublicBuckets());
            // another account's id: AccessDenied
            var denied = assertThrows(software.amazon.awssdk.services.s3control.model.S3ControlException.class,
                    () -> control.getPublicAccessBlock(x -> x.accountId(other[0])));
            assertEquals(403, denied.statusCode(), denied::toString);
            assertEquals("AccessDenied", denied.awsErrorDetails().errorCode(), denied::toString);

            // the account's BlockPublicAcls holds for a bucket whose own configuration was deleted
            String b = Clients.newBucket(mine, "bpa-acct");
            mine.putBucketOwnershipControls(x -> x.bucket(b).ownershipControls(c -> c.rules(r -> r.objectOwnership(
                    ObjectOwnership.OBJECT_WRITER))));
            mine.deletePublicAccessBlock(x -> x.bucket(b));
            assertError(assertThrows(S3Exception.class, () -> mine.putBucketAcl(x -> x.bucket(b)
                    .acl(BucketCannedACL.PUBLIC_READ))), 403, "AccessDenied", "Access Denied");
            control.deletePublicAccessBlock(x -> x.accountId(acct[0]));
            mine.putBucketAcl(x -> x.bucket(b).acl(BucketCannedACL.PUBLIC_READ));
            assertEquals(404, assertThrows(software.amazon.awssdk.services.s3control.model.S3ControlException.class,
                    () -> control.getPublicAccessBlock(x -> x.accountId(acct[0]))).statusCode());
        }
    }

    /**
     * The AWS CLI (2.9) puts the account id in front of the endpoint's host, {@code <account>.localhost},
     * which does not resolve here; through an HTTP proxy setting that is the proxy itself, the CLI sends
     * the request without resolving the name, and the proxy recognises S3 Control by path and header.
     */
    @Test
    void theAwsCliReachesTheAccountLevelConfiguration() throws Exception {
        String[] acct = ProxyProcess.get().newAccount("bpa-cli-" + UUID.randomUUID().toString().substring(0, 8));
        Cli put = aws(acct, "s3control", "put-public-access-block", "--account-id", acct[0],
                "--public-access-block-configuration", "BlockPublicAcls=true,IgnorePublicAcls=true,"
                        + "BlockPublicPolicy=true,RestrictPublicBuckets=false");
        assertEquals(0, put.exit, put::toString);
        Cli get = aws(acct, "s3control", "get-public-access-block", "--account-id", acct[0]);
        assertEquals(0, get.exit, get::toString);
        JsonNode c = new ObjectMapper().readTree(get.stdout).path("PublicAccessBlockConfiguration");
        assertTrue(c.path("BlockPublicAcls").asBoolean(), get::toString);
        assertTrue(c.path("BlockPublicPolicy").asBoolean(), get::toString);
        assertEquals(false, c.path("RestrictPublicBuckets").asBoolean(true), get::toString);
        Cli delete = aws(acct, "s3control", "delete-public-access-block", "--account-id", acct[0]);
        assertEquals(0, delete.exit, delete::toString);
        Cli gone = aws(acct, "s3control", "get-public-access-block", "--account-id", acct[0]);
        assertTrue(gone.exit != 0 && gone.stderr.contains("NoSuchPublicAccessBlockConfiguration"), gone::toString);
        // the bucket level through s3api
        String b = Clients.newBucket(s3, "bpa-cli");
        Cli bucket = aws(new String[] {null, ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY},
                "s3api", "get-public-access-block", "--bucket", b);
        assertEquals(0, bucket.exit, bucket::toString);
        assertTrue(new ObjectMapper().readTree(bucket.stdout).path("PublicAccessBlockConfiguration")
                .path("RestrictPublicBuckets").asBoolean(), bucket::toString);
    }

    record Cli(List<String> cmd, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", cmd) + "\nexit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs /usr/bin/aws as {@code acct} (id, key, secret) with the proxy as endpoint and HTTP proxy. */
    static Cli aws(String[] acct, String... args) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("bpa-cli");
        String endpoint = "http://localhost:" + ProxyProcess.get().endpoint().getPort();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", endpoint));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(home.resolve("out").toFile())
                .redirectError(home.resolve("err").toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin", "AWS_ACCESS_KEY_ID", acct[1],
                "AWS_SECRET_ACCESS_KEY", acct[2], "AWS_DEFAULT_REGION", "us-east-1", "AWS_DEFAULT_OUTPUT", "json",
                "AWS_PAGER", "", "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", home.resolve("config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString()));
        env.put("HTTP_PROXY", "http://127.0.0.1:" + ProxyProcess.get().endpoint().getPort());
        env.put("NO_PROXY", "");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Cli(cmd, p.exitValue(), Files.readString(home.resolve("out")), Files.readString(home.resolve("err")));
    }
}
