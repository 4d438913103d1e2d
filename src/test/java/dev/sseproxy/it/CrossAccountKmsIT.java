package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Cross-account SSE-KMS (issue 12 item 4, spec §4.1): account A owns a bucket that lets account B write
 * and read (bucket ACL grants); account C owns a KMS key whose key policy lets B use it. B writes naming
 * C's key by ARN (200, MinIO holds ciphertext) and reads it back; by C's alias name it is refused (the
 * alias resolves in B's own account: NotFound); without B in the key policy it is 403; a reader the key
 * policy does not name gets S3's 403 "The ciphertext refers to …", bucket key cached or not. An IAM user
 * of B needs its own identity policy's kms permission as well as the key policy naming B (or the user).
 * SDK v2 and the AWS CLI v2, against the packaged proxy.
 */
class CrossAccountKmsIT {
    static final String REGION = "us-east-1";
    static final String KEY_NOT_ACCESSIBLE = "The ciphertext refers to a customer master key that does not exist, "
            + "does not exist in this region, or you are not allowed to access.";
    static ProxyProcess proxy;
    /** {account id, access key, secret key}: bucket owner, writer, key owner, a reader without a key grant. */
    static String[] a;
    static String[] b;
    static String[] c;
    static String[] d;
    static S3Client aS3;
    static S3Client bS3;
    static S3Client dS3;
    static KmsClient cKms;
    static String bucket;
    static KeyMetadata key;
    static String alias;
    static Path home;

    @BeforeAll
    static void setUp() throws IOException {
        proxy = ProxyProcess.get();
        String run = UUID.randomUUID().toString().substring(0, 8);
        a = proxy.newAccount("xkms-a-" + run);
        b = proxy.newAccount("xkms-b-" + run);
        c = proxy.newAccount("xkms-c-" + run);
        d = proxy.newAccount("xkms-d-" + run);
        aS3 = Clients.sdk(proxy.endpoint(), a[1], a[2]);
        bS3 = Clients.sdk(proxy.endpoint(), b[1], b[2]);
        dS3 = Clients.sdk(proxy.endpoint(), d[1], d[2]);
        cKms = KmsClient.builder().endpointOverride(proxy.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(c[1], c[2])))
                .httpClient(UrlConnectionHttpClient.create()).build();
        home = Files.createTempDirectory("sse-proxy-xkms-it");

        bucket = Clients.newBucket(aS3, "xkms");
        aS3.putBucketOwnershipControls(x -> x.bucket(bucket).ownershipControls(o -> o.rules(r -> r.objectOwnership(
                ObjectOwnership.OBJECT_WRITER))));
        aS3.putBucketAcl(x -> x.bucket(bucket).grantFullControl("id=" + a[0]).grantWrite("id=" + b[0])
                .grantRead("id=" + b[0]));

        key = cKms.createKey(x -> x.description("C's key for B")).keyMetadata();
        alias = "alias/xkms-" + run;
        cKms.createAlias(x -> x.aliasName(alias).targetKeyId(key.keyId()));
        keyPolicy(b[0]);
    }

    @AfterAll
    static void tearDown() {
        aS3.close();
        bS3.close();
        dS3.close();
        cKms.close();
    }

    /** C's key policy: C's root everything, and these accounts GenerateDataKey and Decrypt. */
    static void keyPolicy(String... grantees) {
        StringBuilder principals = new StringBuilder();
        for (String g : grantees) {
            principals.append(principals.length() == 0 ? "" : ",").append("\"arn:aws:iam::").append(g).append(":root\"");
        }
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"owner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + c[0] + ":root\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}"
                + (grantees.length == 0 ? "" : ",{\"Sid\":\"use\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
                + principals + "]},\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"*\"}") + "]}";
        cKms.putKeyPolicy(x -> x.keyId(key.keyId()).policyName("default").policy(policy));
    }

    static PutObjectResponse putKms(S3Client s3, String objectKey, String keyId, boolean bucketKey, String body) {
        return s3.putObject(x -> x.bucket(bucket).key(objectKey).serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(keyId).bucketKeyEnabled(bucketKey), RequestBody.fromString(body));
    }

    static String get(S3Client s3, String objectKey) {
        return s3.getObjectAsBytes(x -> x.bucket(bucket).key(objectKey)).asUtf8String();
    }

    static S3Exception refused(int status, String code, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(status, e.statusCode(), e::toString);
        assertEquals(code, e.awsErrorDetails().errorCode(), e::toString);
        return e;
    }

    /** What MinIO holds for an object: it must not contain the plaintext. */
    static void storedAsCiphertext(String objectKey, String plaintext) throws Exception {
        byte[] stored = Clients.backend().getObject(io.minio.GetObjectArgs.builder().bucket(bucket).object(objectKey)
                .build()).readAllBytes();
        assertTrue(stored.length >= plaintext.length());
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(plaintext));
    }

    @Test
    void aWriterOfAnotherAccountUsesAThirdAccountsKeyByArnAndReadsItBack() throws Exception {
        String body = "cross-account secret " + UUID.randomUUID();
        for (boolean bucketKey : new boolean[] {false, true}) {
            String k = "by-arn-" + bucketKey;
            PutObjectResponse put = putKms(bS3, k, key.arn(), bucketKey, body);
            assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
            assertEquals(key.arn(), put.ssekmsKeyId());
            GetObjectResponse head = bS3.getObject(x -> x.bucket(bucket).key(k)).response();
            assertEquals(key.arn(), head.ssekmsKeyId());
            assertEquals(body, get(bS3, k));
            storedAsCiphertext(k, body);
        }
        // the alias ARN names C's alias as written
        String viaAlias = "by-alias-arn";
        assertEquals(key.arn(), putKms(bS3, viaAlias, "arn:aws:kms:" + REGION + ":" + c[0] + ":" + alias, false, body)
                .ssekmsKeyId());
        assertEquals(body, get(bS3, viaAlias));
    }

    @Test
    void multipartUploadsAndCopiesResolveTheKeyAsPutObjectDoes() throws Exception {
        String body = "multipart under C's key " + UUID.randomUUID();
        String upload = bS3.createMultipartUpload(x -> x.bucket(bucket).key("mpu").serverSideEncryption(
                ServerSideEncryption.AWS_KMS).ssekmsKeyId(key.arn())).uploadId();
        String etag = bS3.uploadPart(x -> x.bucket(bucket).key("mpu").uploadId(upload).partNumber(1),
                RequestBody.fromString(body)).eTag();
        var done = bS3.completeMultipartUpload(x -> x.bucket(bucket).key("mpu").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
        assertEquals(key.arn(), done.ssekmsKeyId());
        assertEquals(body, get(bS3, "mpu"));
        storedAsCiphertext("mpu", body);
        refused(400, "KMS.NotFoundException", () -> bS3.createMultipartUpload(x -> x.bucket(bucket).key("mpu-alias")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(alias)));

        // a copy reads the source with B's Decrypt and writes the destination with B's GenerateDataKey
        var copy = bS3.copyObject(x -> x.sourceBucket(bucket).sourceKey("mpu").destinationBucket(bucket)
                .destinationKey("copy").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(key.arn()));
        assertEquals(key.arn(), copy.ssekmsKeyId());
        assertEquals(body, get(bS3, "copy"));
        S3Exception byAlias = refused(400, "KMS.NotFoundException", () -> bS3.copyObject(x -> x.sourceBucket(bucket)
                .sourceKey("mpu").destinationBucket(bucket).destinationKey("copy-alias")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(alias)));
        assertEquals("Alias arn:aws:kms:" + REGION + ":" + b[0] + ":" + alias + " is not found.",
                byAlias.awsErrorDetails().errorMessage());
    }

    @Test
    void aliasNamesAndKeyIdsResolveInTheWritersOwnAccount() {
        S3Exception byAlias = refused(400, "KMS.NotFoundException", () -> putKms(bS3, "by-alias", alias, false, "x"));
        assertEquals("Alias arn:aws:kms:" + REGION + ":" + b[0] + ":" + alias + " is not found.",
                byAlias.awsErrorDetails().errorMessage());
        S3Exception byId = refused(400, "KMS.NotFoundException", () -> putKms(bS3, "by-id", key.keyId(), false, "x"));
        assertEquals("Key 'arn:aws:kms:" + REGION + ":" + b[0] + ":key/" + key.keyId() + "' does not exist",
                byId.awsErrorDetails().errorMessage());
        assertThrows(S3Exception.class, () -> bS3.headObject(x -> x.bucket(bucket).key("by-alias")));
    }

    @Test
    void theAwsCliWritesByArnAndIsRefusedByAlias() throws Exception {
        Path file = Files.createTempFile(home, "body", ".txt");
        Files.writeString(file, "cli cross-account bytes");
        KmsApiIT.CliResult ok = cli(b, "s3api", "put-object", "--bucket", bucket, "--key", "cli-arn", "--body", file.toString(),
                "--server-side-encryption", "aws:kms", "--ssekms-key-id", key.arn());
        assertEquals(0, ok.exit(), ok::toString);
        assertTrue(ok.stdout().contains(key.arn()), ok::toString);
        assertEquals("cli cross-account bytes", get(bS3, "cli-arn"));
        storedAsCiphertext("cli-arn", "cli cross-account bytes");
        KmsApiIT.CliResult byAlias = cli(b, "s3api", "put-object", "--bucket", bucket, "--key", "cli-alias", "--body",
                file.toString(), "--server-side-encryption", "aws:kms", "--ssekms-key-id", alias);
        assertEquals(254, byAlias.exit(), byAlias::toString);
        assertTrue(byAlias.stderr().contains("KMS.NotFoundException"), byAlias::toString);
    }

    @Test
    void aBucketDefaultNamingAThirdAccountsKeyServesEveryWriterTheKeyPolicyAllows() throws Exception {
        String defaults = Clients.newBucket(aS3, "xkms-def");
        aS3.putBucketOwnershipControls(x -> x.bucket(defaults).ownershipControls(o -> o.rules(r -> r.objectOwnership(
                ObjectOwnership.OBJECT_WRITER))));
        aS3.putBucketAcl(x -> x.bucket(defaults).grantFullControl("id=" + a[0]).grantWrite("id=" + b[0])
                .grantRead("id=" + b[0]));
        aS3.putBucketEncryption(x -> x.bucket(defaults).serverSideEncryptionConfiguration(s -> s.rules(r -> r
                .bucketKeyEnabled(true).applyServerSideEncryptionByDefault(e -> e
                        .sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(key.arn())))));

        PutObjectResponse put = bS3.putObject(x -> x.bucket(defaults).key("default"), RequestBody.fromString("dflt"));
        assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
        assertEquals(key.arn(), put.ssekmsKeyId());
        assertEquals(Boolean.TRUE, put.bucketKeyEnabled());
        assertEquals("dflt", bS3.getObjectAsBytes(x -> x.bucket(defaults).key("default")).asUtf8String());
        // the bucket owner is not in C's key policy: its own default-encrypted write is refused
        S3Exception owner = assertThrows(S3Exception.class,
                () -> aS3.putObject(x -> x.bucket(defaults).key("owner"), RequestBody.fromString("nope")));
        assertEquals(403, owner.statusCode());
        assertEquals("AccessDenied", owner.awsErrorDetails().errorCode());
    }

    @Test
    void aReaderTheKeyPolicyDoesNotNameGetsTheCiphertextErrorEvenWithABucketKeyCached() throws Exception {
        String body = "for d, later " + UUID.randomUUID();
        for (boolean bucketKey : new boolean[] {false, true}) {
            String k = "reader-" + bucketKey;
            // B's object, readable by D through its object ACL
            bS3.putObject(x -> x.bucket(bucket).key(k).serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(key.arn()).bucketKeyEnabled(bucketKey).grantRead("id=" + d[0])
                    .grantFullControl("id=" + b[0]), RequestBody.fromString(body));
            assertEquals(body, get(bS3, k)); // B's read caches the bucket key
            S3Exception denied = refused(403, "AccessDenied", () -> get(dS3, k));
            assertEquals(KEY_NOT_ACCESSIBLE, denied.awsErrorDetails().errorMessage());
        }
        keyPolicy(b[0], d[0]);
        try {
            assertEquals(body, get(dS3, "reader-false"));
            assertEquals(body, get(dS3, "reader-true"));
        } finally {
            keyPolicy(b[0]);
        }
        // and the grant's removal applies at once to cached bucket keys too
        refused(403, "AccessDenied", () -> get(dS3, "reader-true"));
    }

    @Test
    void withoutTheWriterInTheKeyPolicyWritesAndReadsAreRefused() {
        putKms(bS3, "before", key.arn(), true, "written while allowed");
        keyPolicy();
        try {
            S3Exception write = refused(403, "AccessDenied", () -> putKms(bS3, "after", key.arn(), false, "x"));
            assertTrue(write.awsErrorDetails().errorMessage().contains("arn:aws:iam::" + b[0] + ":root"),
                    write::toString);
            refused(403, "AccessDenied", () -> putKms(bS3, "after-bk", key.arn(), true, "x"));
            S3Exception read = refused(403, "AccessDenied", () -> get(bS3, "before"));
            assertEquals(KEY_NOT_ACCESSIBLE, read.awsErrorDetails().errorMessage());
        } finally {
            keyPolicy(b[0]);
        }
        assertEquals("written while allowed", get(bS3, "before"));
    }

    // ---------------------------------------------------------------- IAM users of the writer's account

    /** An IAM user of B with one identity policy (inline) and an S3 client signing with its new access key. */
    static S3Client userOfB(String name, String policy) {
        AccessKey k = user(b, name, policy);
        return Clients.sdk(proxy.endpoint(), k.accessKeyId(), k.secretAccessKey());
    }

    /** A new IAM user of an account, created by its root through the IAM API on the S3 port, with its key. */
    static AccessKey user(String[] account, String name, String policy) {
        try (IamClient iam = IamClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account[1], account[2])))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            iam.createUser(x -> x.userName(name));
            if (policy != null) {
                iam.putUserPolicy(x -> x.userName(name).policyName("p").policyDocument(policy));
            }
            return iam.createAccessKey(x -> x.userName(name)).accessKey();
        }
    }

    @Test
    void theKmsApiAuthorizesTheKeyOwnersUsersByKeyPolicyAndIdentityPolicy() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        AccessKey plain = user(c, "plain-" + run, null);
        AccessKey reader = user(c, "reader-" + run, allow(statement("\"kms:DescribeKey\"", key.arn())));
        try (KmsClient asPlain = kms(plain); KmsClient asReader = kms(reader)) {
            software.amazon.awssdk.services.kms.model.KmsException denied = assertThrows(
                    software.amazon.awssdk.services.kms.model.KmsException.class,
                    () -> asPlain.describeKey(x -> x.keyId(key.keyId())));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertTrue(denied.awsErrorDetails().errorMessage().startsWith("User: arn:aws:iam::" + c[0] + ":user/plain-"
                    + run + " is not authorized to perform: kms:DescribeKey"), denied::toString);
            assertEquals(key.arn(), asReader.describeKey(x -> x.keyId(key.keyId())).keyMetadata().arn());
            assertEquals("AccessDeniedException", assertThrows(software.amazon.awssdk.services.kms.model.KmsException.class,
                    () -> asReader.disableKey(x -> x.keyId(key.keyId()))).awsErrorDetails().errorCode());
            assertEquals("AccessDeniedException", assertThrows(software.amazon.awssdk.services.kms.model.KmsException.class,
                    () -> asPlain.createKey(x -> x.description("no"))).awsErrorDetails().errorCode());
        }
    }

    static KmsClient kms(AccessKey k) {
        return KmsClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(k.accessKeyId(),
                        k.secretAccessKey()))).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static String allow(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String statement(String actions, String resource) {
        return "{\"Effect\":\"Allow\",\"Action\":[" + actions + "],\"Resource\":\"" + resource + "\"}";
    }

    @Test
    void anIamUserOfTheWriterAccountNeedsBothTheKeyPolicyAndItsOwnKmsPermission() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String s3 = statement("\"s3:PutObject\",\"s3:GetObject\"", "arn:aws:s3:::" + bucket + "/*");
        String kms = statement("\"kms:GenerateDataKey\",\"kms:Decrypt\"", key.arn());
        S3Client writer = userOfB("writer-" + run, allow(s3, kms));
        S3Client noKms = userOfB("nokms-" + run, allow(s3));
        String body = "written by B's user " + UUID.randomUUID();
        try {
            for (boolean bucketKey : new boolean[] {false, true}) {
                String k = "user-" + bucketKey;
                assertEquals(key.arn(), putKms(writer, k, key.arn(), bucketKey, body).ssekmsKeyId());
                assertEquals(body, get(writer, k));
                storedAsCiphertext(k, body);
                // B's user without kms permission: neither writes nor reads, bucket key cached or not
                S3Exception write = refused(403, "AccessDenied", () -> putKms(noKms, "nokms-" + bucketKey, key.arn(),
                        bucketKey, "x"));
                assertTrue(write.awsErrorDetails().errorMessage().contains("arn:aws:iam::" + b[0] + ":user/nokms-" + run),
                        write::toString);
                assertEquals(KEY_NOT_ACCESSIBLE, refused(403, "AccessDenied", () -> get(noKms, k))
                        .awsErrorDetails().errorMessage());
            }
            // by C's alias name: resolved in B's account, where it does not exist
            S3Exception byAlias = refused(400, "KMS.NotFoundException", () -> putKms(writer, "user-alias", alias, false, "x"));
            assertEquals("Alias arn:aws:kms:" + REGION + ":" + b[0] + ":" + alias + " is not found.",
                    byAlias.awsErrorDetails().errorMessage());

            // a key policy naming another user of B, not B: the writer is refused; naming the writer: allowed
            keyPolicyFor("\"arn:aws:iam::" + b[0] + ":user/someone-else\"");
            refused(403, "AccessDenied", () -> putKms(writer, "user-named", key.arn(), false, body));
            keyPolicyFor("\"arn:aws:iam::" + b[0] + ":user/writer-" + run + "\"");
            assertEquals(key.arn(), putKms(writer, "user-named", key.arn(), false, body).ssekmsKeyId());
            refused(403, "AccessDenied", () -> putKms(noKms, "user-named-nokms", key.arn(), false, body));
            // a key policy without B at all
            keyPolicy();
            refused(403, "AccessDenied", () -> putKms(writer, "user-none", key.arn(), false, body));
            refused(403, "AccessDenied", () -> get(writer, "user-false"));
        } finally {
            keyPolicy(b[0]);
            writer.close();
            noKms.close();
        }
        // B's root reads what B's user wrote under C's key (B is in the key policy again)
        assertEquals(body, get(bS3, "user-true"));
    }

    /** C's key policy: C's root everything, these principals (JSON strings) GenerateDataKey and Decrypt. */
    static void keyPolicyFor(String principals) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"owner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + c[0] + ":root\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Sid\":\"use\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
                + principals + "]},\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"*\"}]}";
        cKms.putKeyPolicy(x -> x.keyId(key.keyId()).policyName("default").policy(policy));
    }

    // ---------------------------------------------------------------- AWS CLI v2

    /** Runs the AWS CLI v2 against the S3 port with an account's credentials and a clean environment. */
    static KmsApiIT.CliResult cli(String[] account, String... args) throws IOException {
        return KmsApiIT.awsCli(home, proxy.endpoint(), account, args);
    }
}
