package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.it.PublicAccessBlockIT.Cli;
import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Bucket policies end to end (issue 12 items 2, 4, 5): the S3 user guide's two encryption-enforcing
 * policies pasted verbatim ("Require SSE-KMS for all objects written to a bucket" and "Require SSE-KMS
 * with a specific AWS KMS key", from the guide's bucket policy examples; only the bucket name and the key
 * ARN are ours), through PutObject, multipart uploads and copies, with the SDK v2 and the AWS CLI;
 * GetBucketPolicy, GetBucketPolicyStatus, MalformedPolicy, Block Public Access against public policies,
 * an anonymous read through a public policy, and another account's root allowed by the policy.
 */
class BucketPolicyIT {
    static final String DENIED = "Access Denied";
    static S3Client s3;
    static KmsClient kms;

    /** "Require SSE-KMS for all objects written to a bucket", verbatim but for the bucket name. */
    static String requireSseKms(String bucket) {
        return """
                {
                "Version":"2012-10-17",
                "Id": "PutObjPolicy",
                "Statement": [{
                  "Sid": "DenyObjectsThatAreNotSSEKMS",
                  "Principal": "*",
                  "Effect": "Deny",
                  "Action": "s3:PutObject",
                  "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
                  "Condition": {
                    "Null": {
                      "s3:x-amz-server-side-encryption-aws-kms-key-id": "true"
                    }
                  }
                }]
                }
                """.replace("amzn-s3-demo-bucket", bucket);
    }

    /** "Require SSE-KMS with a specific AWS KMS key for all objects written to a bucket", verbatim but for the names. */
    static String requireKey(String bucket, String keyArn) {
        return """
                {
                "Version":"2012-10-17",
                "Id": "PutObjPolicy",
                "Statement": [{
                  "Sid": "DenyObjectsThatAreNotSSEKMSWithSpecificKey",
                  "Principal": "*",
                  "Effect": "Deny",
                  "Action": "s3:PutObject",
                  "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*",
                  "Condition": {
                    "ArnNotEqualsIfExists": {
                      "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:111122223333:key/01234567-89ab-cdef-0123-456789abcdef"
                    }
                  }
                }]
                }
                """.replace("amzn-s3-demo-bucket", bucket)
                .replace("arn:aws:kms:us-east-1:111122223333:key/01234567-89ab-cdef-0123-456789abcdef", keyArn);
    }

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        kms = KmsClient.builder().endpointOverride(ProxyProcess.get().managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        kms.close();
    }

    static void denied(org.junit.jupiter.api.function.Executable call) {
        assertError(assertThrows(S3Exception.class, call), 403, "AccessDenied", DENIED);
    }

    @Test
    void theRequireSseKmsPolicyDeniesPutsMultipartUploadsAndCopiesWithoutSseKms() throws Exception {
        String b = Clients.newBucket(s3, "pol-kms");
        String policy = requireSseKms(b);
        s3.putBucketPolicy(x -> x.bucket(b).policy(policy));
        // GetBucketPolicy answers the document unchanged; a deny-only policy is not public
        assertEquals(policy, s3.getBucketPolicy(x -> x.bucket(b)).policy());
        assertEquals(false, s3.getBucketPolicyStatus(x -> x.bucket(b)).policyStatus().isPublic());

        denied(() -> s3.putObject(x -> x.bucket(b).key("plain"), RequestBody.fromString("v")));
        denied(() -> s3.putObject(x -> x.bucket(b).key("sse-s3").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString("v")));
        s3.putObject(x -> x.bucket(b).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("kms bytes"));
        assertEquals("kms bytes", s3.getObjectAsBytes(x -> x.bucket(b).key("kms")).asUtf8String());

        // multipart: refused at creation without the header; with it, parts and completion pass
        denied(() -> s3.createMultipartUpload(x -> x.bucket(b).key("mpu")));
        String id = s3.createMultipartUpload(x -> x.bucket(b).key("mpu").serverSideEncryption(ServerSideEncryption.AWS_KMS))
                .uploadId();
        String etag = s3.uploadPart(x -> x.bucket(b).key("mpu").uploadId(id).partNumber(1),
                RequestBody.fromString("multipart bytes")).eTag();
        s3.completeMultipartUpload(x -> x.bucket(b).key("mpu").uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertEquals("multipart bytes", s3.getObjectAsBytes(x -> x.bucket(b).key("mpu")).asUtf8String());

        // copies: the destination's headers count
        denied(() -> s3.copyObject(x -> x.sourceBucket(b).sourceKey("kms").destinationBucket(b).destinationKey("copy")));
        s3.copyObject(x -> x.sourceBucket(b).sourceKey("kms").destinationBucket(b).destinationKey("copy")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS));
        assertEquals("kms bytes", s3.getObjectAsBytes(x -> x.bucket(b).key("copy")).asUtf8String());

        // DeleteBucketPolicy lifts it
        s3.deleteBucketPolicy(x -> x.bucket(b));
        s3.putObject(x -> x.bucket(b).key("plain"), RequestBody.fromString("v"));
        assertError(assertThrows(S3Exception.class, () -> s3.getBucketPolicy(x -> x.bucket(b))), 404,
                "NoSuchBucketPolicy", "The bucket policy does not exist");
    }

    @Test
    void theSpecificKeyPolicyAdmitsOnlyThatKeyFromTheSdkAndTheCli() throws Exception {
        String b = Clients.newBucket(s3, "pol-key");
        String arn = kms.createKey(k -> k.description("BucketPolicyIT")).keyMetadata().arn();
        String otherArn = kms.createKey(k -> k.description("BucketPolicyIT other")).keyMetadata().arn();
        s3.putBucketPolicy(x -> x.bucket(b).policy(requireKey(b, arn)));

        denied(() -> s3.putObject(x -> x.bucket(b).key("plain"), RequestBody.fromString("v")));
        denied(() -> s3.putObject(x -> x.bucket(b).key("other").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(otherArn), RequestBody.fromString("v")));
        s3.putObject(x -> x.bucket(b).key("good").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(arn),
                RequestBody.fromString("good"));
        // the key id alone resolves to the same ARN in the requester's account
        String keyId = arn.substring(arn.indexOf("key/") + 4);
        s3.putObject(x -> x.bucket(b).key("by-id").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyId),
                RequestBody.fromString("by id"));
        // copy and multipart with the key pass; without it they do not
        denied(() -> s3.copyObject(x -> x.sourceBucket(b).sourceKey("good").destinationBucket(b).destinationKey("c")));
        s3.copyObject(x -> x.sourceBucket(b).sourceKey("good").destinationBucket(b).destinationKey("c")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(arn));
        denied(() -> s3.createMultipartUpload(x -> x.bucket(b).key("m").serverSideEncryption(ServerSideEncryption.AWS_KMS)));

        // the AWS CLI: put-object, and a multipart `aws s3 cp` (a 9 MiB file, over the CLI's 8 MiB threshold)
        String[] root = {null, ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY};
        Path file = Files.createTempFile("pol", ".bin");
        byte[] data = new byte[9 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Files.write(file, data);
        Cli refused = PublicAccessBlockIT.aws(root, "s3api", "put-object", "--bucket", b, "--key", "cli-plain",
                "--body", file.toString());
        assertTrue(refused.exit() != 0 && refused.stderr().contains("AccessDenied"), refused::toString);
        Cli put = PublicAccessBlockIT.aws(root, "s3api", "put-object", "--bucket", b, "--key", "cli-put",
                "--body", file.toString(), "--server-side-encryption", "aws:kms", "--ssekms-key-id", arn);
        assertEquals(0, put.exit(), put::toString);
        Cli cpRefused = PublicAccessBlockIT.aws(root, "s3", "cp", "--only-show-errors", file.toString(), "s3://" + b + "/cli-mpu");
        assertTrue(cpRefused.exit() != 0 && cpRefused.stderr().contains("AccessDenied"), cpRefused::toString);
        Cli cp = PublicAccessBlockIT.aws(root, "s3", "cp", "--only-show-errors", "--sse", "aws:kms", "--sse-kms-key-id", arn,
                file.toString(), "s3://" + b + "/cli-mpu");
        assertEquals(0, cp.exit(), cp::toString);
        assertEquals(data.length, s3.headObject(x -> x.bucket(b).key("cli-mpu")).contentLength());
        Files.delete(file);
    }

    @Test
    void malformedPoliciesAndMissingPoliciesGetS3sErrors() throws Exception {
        String b = Clients.newBucket(s3, "pol-bad");
        Response bad = Req.of("PUT", "/" + b, "policy").body("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":{\"AWS\":\"" + "123456789012" + "\"},\"Action\":\"s3:GetObject\",\"Resource\":"
                + "\"arn:aws:s3:::some-other-bucket/*\"}]}").sign().send();
        assertError(bad, 400, "MalformedPolicy", "Policy has invalid resource");
        Response notJson = Req.of("PUT", "/" + b, "policy").body("this is not json").sign().send();
        assertError(notJson, 400, "MalformedPolicy", null);
        assertError(Req.of("GET", "/" + b, "policy").sign().send(), 404, "NoSuchBucketPolicy",
                "The bucket policy does not exist");
        assertError(Req.of("GET", "/" + b, "policyStatus").sign().send(), 404, "NoSuchBucketPolicy",
                "The bucket policy does not exist");
        assertEquals(204, Req.of("DELETE", "/" + b, "policy").sign().send().status());
    }

    @Test
    void blockPublicAccessRefusesAPublicPolicyAndRestrictPublicBucketsStopsAnonymousReads() throws Exception {
        String b = Clients.newBucket(s3, "pol-pub");
        s3.putObject(x -> x.bucket(b).key("index.html"), RequestBody.fromString("hello world"));
        String publicRead = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublicRead\",\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":[\"s3:GetObject\"],\"Resource\":[\"arn:aws:s3:::" + b + "/*\"]}]}";
        // a new bucket blocks public policies
        denied(() -> s3.putBucketPolicy(x -> x.bucket(b).policy(publicRead)));
        assertError(Req.of("GET", "/" + b + "/index.html").send(), 403, "AccessDenied", DENIED);
        s3.deletePublicAccessBlock(x -> x.bucket(b));
        s3.putBucketPolicy(x -> x.bucket(b).policy(publicRead));
        assertEquals(true, s3.getBucketPolicyStatus(x -> x.bucket(b)).policyStatus().isPublic());
        Response anon = Req.of("GET", "/" + b + "/index.html").send();
        assertEquals(200, anon.status(), anon::toString);
        assertEquals("hello world", anon.text());
        // RestrictPublicBuckets: the public policy's allows count only for the owner's account
        s3.putPublicAccessBlock(x -> x.bucket(b).publicAccessBlockConfiguration(p -> p.restrictPublicBuckets(true)));
        assertError(Req.of("GET", "/" + b + "/index.html").send(), 403, "AccessDenied", DENIED);
        assertEquals("hello world", s3.getObjectAsBytes(x -> x.bucket(b).key("index.html")).asUtf8String());
    }

    @Test
    void anotherAccountsRootAllowedByThePolicyReadsAndWritesAndIsRefusedWithoutIt() throws Exception {
        String b = Clients.newBucket(s3, "pol-xacct");
        s3.putObject(x -> x.bucket(b).key("shared"), RequestBody.fromString("owner's"));
        String[] other = ProxyProcess.get().newAccount("pol-other-" + UUID.randomUUID().toString().substring(0, 8));
        try (S3Client them = Clients.sdk(ProxyProcess.get().endpoint(), other[1], other[2])) {
            denied(() -> them.getObjectAsBytes(x -> x.bucket(b).key("shared")));
            denied(() -> them.putObject(x -> x.bucket(b).key("theirs"), RequestBody.fromString("v")));
            String grant = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Partner\",\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + other[0] + ":root\"},\"Action\":[\"s3:GetObject\","
                    + "\"s3:PutObject\",\"s3:ListBucket\"],\"Resource\":[\"arn:aws:s3:::" + b + "\",\"arn:aws:s3:::" + b
                    + "/*\"]}]}";
            s3.putBucketPolicy(x -> x.bucket(b).policy(grant));
            assertEquals(false, s3.getBucketPolicyStatus(x -> x.bucket(b)).policyStatus().isPublic());
            assertEquals("owner's", them.getObjectAsBytes(x -> x.bucket(b).key("shared")).asUtf8String());
            them.putObject(x -> x.bucket(b).key("theirs"), RequestBody.fromString("partner's"));
            assertEquals(2, them.listObjectsV2(x -> x.bucket(b)).keyCount());
            assertEquals("partner's", s3.getObjectAsBytes(x -> x.bucket(b).key("theirs")).asUtf8String());
            // what the policy does not grant stays refused; the policy itself is the owner's alone
            denied(() -> them.deleteObject(x -> x.bucket(b).key("shared")));
            denied(() -> them.getBucketPolicy(x -> x.bucket(b)));
            // DeleteObjects: each key decided on its own
            var result = them.deleteObjects(x -> x.bucket(b).delete(d -> d.objects(o -> o.key("shared"))));
            assertEquals("AccessDenied", result.errors().get(0).code());
            s3.deleteBucketPolicy(x -> x.bucket(b));
            denied(() -> them.getObjectAsBytes(x -> x.bucket(b).key("shared")));
        }
    }

    @Test
    void theOwnersRootCanAlwaysManageThePolicyEvenWhenItDeniesEverything() throws Exception {
        String b = Clients.newBucket(s3, "pol-lock");
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("v"));
        String denyAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"DenyAll\",\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::" + b + "\",\"arn:aws:s3:::" + b
                + "/*\"]}]}";
        s3.putBucketPolicy(x -> x.bucket(b).policy(denyAll));
        denied(() -> s3.getObjectAsBytes(x -> x.bucket(b).key("k")));
        denied(() -> s3.listObjectsV2(x -> x.bucket(b)));
        assertEquals(denyAll, s3.getBucketPolicy(x -> x.bucket(b)).policy());
        s3.deleteBucketPolicy(x -> x.bucket(b));
        assertEquals("v", s3.getObjectAsBytes(x -> x.bucket(b).key("k")).asUtf8String());
    }
}
