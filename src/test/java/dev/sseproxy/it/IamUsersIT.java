package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * IAM users inside accounts, end to end on the S3 port: the SDK v2's {@code IamClient} and
 * {@code StsClient} and the AWS CLI ({@code aws iam}, {@code aws sts}) against the same endpoint as
 * S3; users' keys and identity policies deciding S3 requests; CloudTrail naming the user.
 */
class IamUsersIT {
    static final String AWS = "/usr/bin/aws";
    static final ObjectMapper JSON = new ObjectMapper();
    static ProxyProcess proxy;
    static IamClient iam;
    static S3Client s3;
    static String rootAccount;
    static Path work;

    @BeforeAll
    static void setUp() throws IOException {
        proxy = ProxyProcess.get();
        iam = iam(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        s3 = Clients.sdk();
        rootAccount = proxy.sql("SELECT account_id FROM access_key WHERE access_key_id = '" + ProxyProcess.ROOT_ACCESS_KEY + "'");
        work = Files.createTempDirectory("sse-proxy-iam-it");
    }

    static IamClient iam(URI endpoint, String accessKey, String secretKey) {
        return IamClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static StsClient sts(URI endpoint, String accessKey, String secretKey) {
        return StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    }

    /** A new user of the root's account with one access key. */
    static AccessKey userWithKey(IamClient client, String name) {
        client.createUser(r -> r.userName(name));
        return client.createAccessKey(r -> r.userName(name)).accessKey();
    }

    static String allow(String actions, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions
                + "],\"Resource\":\"" + resource + "\"}]}";
    }

    // ---- the SDK ------------------------------------------------------------------------------

    @Test
    void sdkCreatesAUserWithAKeyAndStsNamesIt() {
        String name = unique("sdk-alice");
        User u = iam.createUser(r -> r.userName(name).path("/division/")).user();
        assertEquals("arn:aws:iam::" + rootAccount + ":user/division/" + name, u.arn());
        assertTrue(u.userId().startsWith("AIDA") && u.userId().length() == 21, u.userId());
        assertEquals(u.userId(), iam.getUser(r -> r.userName(name)).user().userId());
        assertTrue(iam.listUsers().users().stream().anyMatch(x -> x.userName().equals(name)));
        assertTrue(iam.listUsers(r -> r.pathPrefix("/division/")).users().stream().anyMatch(x -> x.userName().equals(name)));

        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        assertTrue(key.accessKeyId().startsWith("AKIA") && key.accessKeyId().length() == 20, key.accessKeyId());
        assertEquals(40, key.secretAccessKey().length());
        String stored = proxy.sql("SELECT encode(secret_sealed, 'escape') FROM access_key WHERE access_key_id = '"
                + key.accessKeyId() + "'");
        assertFalse(stored.contains(key.secretAccessKey()), "the secret is stored sealed, never in clear");

        GetCallerIdentityResponse who = sts(proxy.endpoint(), key.accessKeyId(), key.secretAccessKey()).getCallerIdentity();
        assertEquals(u.arn(), who.arn());
        assertEquals(u.userId(), who.userId());
        assertEquals(rootAccount, who.account());
        GetCallerIdentityResponse root = sts(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)
                .getCallerIdentity();
        assertEquals("arn:aws:iam::" + rootAccount + ":root", root.arn());
        assertEquals(rootAccount, root.userId());
    }

    @Test
    void iamErrorsAreIams() {
        String name = unique("sdk-errors");
        assertEquals("NoSuchEntity", error(() -> iam.getUser(r -> r.userName(name))).awsErrorDetails().errorCode());
        assertEquals(404, error(() -> iam.getUser(r -> r.userName(name))).statusCode());
        iam.createUser(r -> r.userName(name));
        IamException exists = error(() -> iam.createUser(r -> r.userName(name.toUpperCase())));
        assertEquals("EntityAlreadyExists", exists.awsErrorDetails().errorCode(), "names are unique regardless of case");
        assertEquals(409, exists.statusCode());
        IamException malformed = error(() -> iam.putUserPolicy(r -> r.userName(name).policyName("p")
                .policyDocument("{\"Statement\":[{\"Effect\":\"Allow\"}]}")));
        assertEquals("MalformedPolicyDocument", malformed.awsErrorDetails().errorCode());
        assertEquals(400, malformed.statusCode());
        String oversized = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(6200) + "/*\"}]}";
        IamException tooLarge = error(() -> iam.createPolicy(r -> r.policyName(name + "-big").policyDocument(oversized)));
        assertEquals("LimitExceeded", tooLarge.awsErrorDetails().errorCode(), "IAM's answer to a document over 6,144");
        assertEquals("Cannot exceed quota for PolicySize: 6144", tooLarge.awsErrorDetails().errorMessage());
        assertEquals(409, tooLarge.statusCode());
        IamException invalid = error(() -> iam.createUser(r -> r.userName("no spaces allowed")));
        assertEquals("ValidationError", invalid.awsErrorDetails().errorCode());
        iam.createAccessKey(r -> r.userName(name));
        iam.createAccessKey(r -> r.userName(name));
        IamException limit = error(() -> iam.createAccessKey(r -> r.userName(name)));
        assertEquals("LimitExceeded", limit.awsErrorDetails().errorCode());
        assertEquals("Cannot exceed quota for AccessKeysPerUser: 2", limit.awsErrorDetails().errorMessage());
        IamException conflict = error(() -> iam.deleteUser(r -> r.userName(name)));
        assertEquals("DeleteConflict", conflict.awsErrorDetails().errorCode());
        assertEquals(409, conflict.statusCode());
        iam.listAccessKeys(r -> r.userName(name)).accessKeyMetadata()
                .forEach(k -> iam.deleteAccessKey(r -> r.userName(name).accessKeyId(k.accessKeyId())));
        iam.deleteUser(r -> r.userName(name));
        assertEquals("NoSuchEntity", error(() -> iam.getUser(r -> r.userName(name))).awsErrorDetails().errorCode());
    }

    @Test
    void managedPoliciesAttachDetachAndCannotBeDeletedWhileAttached() {
        String name = unique("sdk-managed");
        iam.createUser(r -> r.userName(name));
        String arn = iam.createPolicy(r -> r.policyName(name + "-read").path("/team/")
                .policyDocument(allow("\"s3:GetObject\"", "*"))).policy().arn();
        assertEquals("arn:aws:iam::" + rootAccount + ":policy/team/" + name + "-read", arn);
        assertTrue(iam.getPolicy(r -> r.policyArn(arn)).policy().policyId().startsWith("ANPA"));
        iam.attachUserPolicy(r -> r.userName(name).policyArn(arn));
        assertEquals(List.of(arn), iam.listAttachedUserPolicies(r -> r.userName(name)).attachedPolicies().stream()
                .map(p -> p.policyArn()).toList());
        assertEquals(1, iam.getPolicy(r -> r.policyArn(arn)).policy().attachmentCount());
        assertEquals("DeleteConflict", error(() -> iam.deletePolicy(r -> r.policyArn(arn))).awsErrorDetails().errorCode());
        assertEquals("DeleteConflict", error(() -> iam.deleteUser(r -> r.userName(name))).awsErrorDetails().errorCode());
        iam.detachUserPolicy(r -> r.userName(name).policyArn(arn));
        iam.deletePolicy(r -> r.policyArn(arn));
        assertEquals("NoSuchEntity", error(() -> iam.getPolicy(r -> r.policyArn(arn))).awsErrorDetails().errorCode());
        iam.deleteUser(r -> r.userName(name));
    }

    @Test
    void aUserNeedsAnIdentityPolicyForIamActionsAndGetsIamsAccessDenied() {
        String name = unique("sdk-iamrights");
        AccessKey key = userWithKey(iam, name);
        IamClient asUser = iam(proxy.endpoint(), key.accessKeyId(), key.secretAccessKey());
        String other = unique("sdk-victim");
        IamException denied = error(() -> asUser.createUser(r -> r.userName(other)));
        assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
        assertEquals(403, denied.statusCode());
        assertEquals("User: arn:aws:iam::" + rootAccount + ":user/" + name + " is not authorized to perform: "
                + "iam:CreateUser on resource: arn:aws:iam::" + rootAccount + ":user/" + other
                + " because no identity-based policy allows the iam:CreateUser action",
                denied.awsErrorDetails().errorMessage());
        iam.putUserPolicy(r -> r.userName(name).policyName("users")
                .policyDocument(allow("\"iam:CreateUser\",\"iam:GetUser\"", "arn:aws:iam::" + rootAccount + ":user/*")));
        assertEquals(other, asUser.createUser(r -> r.userName(other)).user().userName());
        // a user's own key without UserName: for itself, which it may not do without iam:CreateAccessKey
        assertEquals("AccessDenied", error(() -> asUser.createAccessKey()).awsErrorDetails().errorCode());
        iam.deleteUser(r -> r.userName(other));
    }

    @Test
    void creatingAndListingBucketsNeedTheUsersOwnPermission() {
        String name = unique("sdk-creator");
        AccessKey key = userWithKey(iam, name);
        iam.putUserPolicy(r -> r.userName(name).policyName("objects").policyDocument(allow("\"s3:GetObject\"", "*")));
        S3Client asUser = Clients.sdk(proxy.endpoint(), key.accessKeyId(), key.secretAccessKey());
        String bucket = unique("creator-bucket");
        S3Exception create = assertThrows(S3Exception.class, () -> asUser.createBucket(r -> r.bucket(bucket)));
        assertEquals("AccessDenied", create.awsErrorDetails().errorCode());
        assertEquals(403, create.statusCode());
        assertEquals("AccessDenied", assertThrows(S3Exception.class, asUser::listBuckets).awsErrorDetails().errorCode());
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)), "nothing was created");

        iam.putUserPolicy(r -> r.userName(name).policyName("create").policyDocument(
                allow("\"s3:CreateBucket\",\"s3:ListAllMyBuckets\"", "arn:aws:s3:::*")));
        asUser.createBucket(r -> r.bucket(bucket));
        assertTrue(asUser.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket)));
        // a canned ACL at creation is PutBucketAcl as well, as S3 asks
        String withAcl = unique("creator-acl");
        S3Exception acl = assertThrows(S3Exception.class, () -> asUser.createBucket(r -> r.bucket(withAcl)
                .acl(software.amazon.awssdk.services.s3.model.BucketCannedACL.PRIVATE)));
        assertEquals("AccessDenied", acl.awsErrorDetails().errorCode());
        s3.deleteBucket(r -> r.bucket(bucket));
    }

    @Test
    void aDeletedKeyIsRefusedAtOnce() {
        String name = unique("sdk-revoked");
        AccessKey key = userWithKey(iam, name);
        iam.putUserPolicy(r -> r.userName(name).policyName("all").policyDocument(allow("\"s3:*\"", "*")));
        S3Client asUser = Clients.sdk(proxy.endpoint(), key.accessKeyId(), key.secretAccessKey());
        asUser.listBuckets();
        iam.deleteAccessKey(r -> r.userName(name).accessKeyId(key.accessKeyId()));
        S3Exception e = assertThrows(S3Exception.class, asUser::listBuckets);
        assertEquals("InvalidAccessKeyId", e.awsErrorDetails().errorCode());
    }

    /**
     * What a user's credential costs to load (its first request: the key, the user, 2 inline and 2
     * managed policies read and parsed, the secret opened by the KMS) against a root key's first request
     * and against a cached one; printed for the report, not asserted.
     */
    @Test
    void credentialLookupCostWithPolicies() {
        int n = 15;
        String arn1 = iam.createPolicy(r -> r.policyName(unique("cost-a")).policyDocument(allow("\"s3:ListAllMyBuckets\"", "*")))
                .policy().arn();
        String arn2 = iam.createPolicy(r -> r.policyName(unique("cost-b")).policyDocument(allow("\"s3:GetObject\"", "*")))
                .policy().arn();
        long[] userFirst = new long[n];
        long[] userCached = new long[n];
        long[] rootFirst = new long[n];
        for (int i = 0; i < n; i++) {
            String name = unique("cost-" + i);
            AccessKey key = userWithKey(iam, name);
            iam.putUserPolicy(r -> r.userName(name).policyName("a").policyDocument(allow("\"s3:ListBucket\"", "*")));
            iam.putUserPolicy(r -> r.userName(name).policyName("b").policyDocument(allow("\"s3:PutObject\"", "*")));
            iam.attachUserPolicy(r -> r.userName(name).policyArn(arn1));
            iam.attachUserPolicy(r -> r.userName(name).policyArn(arn2));
            S3Client asUser = Clients.sdk(proxy.endpoint(), key.accessKeyId(), key.secretAccessKey());
            userFirst[i] = timed(asUser::listBuckets);
            userCached[i] = timed(asUser::listBuckets);
            String[] account = proxy.newAccount(unique("cost-acct"));
            rootFirst[i] = timed(Clients.sdk(proxy.endpoint(), account[1], account[2])::listBuckets);
        }
        System.out.printf("credential cost (ListBuckets, p50 of %d, microseconds): user key with 2 inline + 2 managed "
                + "policies first request %d, cached %d; new root key first request %d%n", n, p50(userFirst),
                p50(userCached), p50(rootFirst));
    }

    static long timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1000;
    }

    static long p50(long[] v) {
        long[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void aUserOfTheRootAccountIsNoOperatorOfTheAdminApi() throws Exception {
        String name = unique("sdk-admin");
        AccessKey key = userWithKey(iam, name);
        iam.putUserPolicy(r -> r.userName(name).policyName("all").policyDocument(allow("\"*\"", "*")));
        var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var asUser = http.send(ProxyProcess.signed("GET", proxy.managementEndpoint(), "/admin/accounts", null, "",
                key.accessKeyId(), key.secretAccessKey()), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, asUser.statusCode(), asUser.body());
        assertTrue(asUser.body().contains("AccessDenied"), asUser.body());
        var asRoot = http.send(ProxyProcess.signed("GET", proxy.managementEndpoint(), "/admin/accounts", null, "",
                ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, asRoot.statusCode(), asRoot.body());
    }

    @Test
    void aBucketPolicyKnowsAUserByItsUniqueIdAndItsNameThroughPolicyVariables() {
        String bucket = Clients.newBucket(s3, "iam-userid");
        String alice = unique("alice");
        String bob = unique("bob");
        AccessKey aliceKey = userWithKey(iam, alice);
        AccessKey bobKey = userWithKey(iam, bob);
        String aliceId = iam.getUser(r -> r.userName(alice)).user().userId();
        String anyObject = allow("\"s3:PutObject\",\"s3:GetObject\"", "arn:aws:s3:::" + bucket + "/*");
        iam.putUserPolicy(r -> r.userName(alice).policyName("rw").policyDocument(anyObject));
        iam.putUserPolicy(r -> r.userName(bob).policyName("rw").policyDocument(anyObject));
        // the bucket owner denies writes by anyone but alice's unique id, and each user's reads outside its home/
        s3.putBucketPolicy(r -> r.bucket(bucket).policy("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"OnlyAliceWrites\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::" + bucket + "/*\",\"Condition\":{\"StringNotEquals\":{\"aws:userid\":[\""
                + aliceId + "\",\"" + rootAccount + "\"]}}},"
                + "{\"Sid\":\"OwnHomeOnly\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"NotResource\":\"arn:aws:s3:::" + bucket + "/home/${aws:username}/*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalType\":\"User\"}}}]}"));
        S3Client asAlice = Clients.sdk(proxy.endpoint(), aliceKey.accessKeyId(), aliceKey.secretAccessKey());
        S3Client asBob = Clients.sdk(proxy.endpoint(), bobKey.accessKeyId(), bobKey.secretAccessKey());
        asAlice.putObject(r -> r.bucket(bucket).key("home/" + alice + "/a"), RequestBody.fromString("a"));
        asAlice.putObject(r -> r.bucket(bucket).key("home/" + bob + "/b"), RequestBody.fromString("b"));
        S3Exception bobWrites = assertThrows(S3Exception.class,
                () -> asBob.putObject(r -> r.bucket(bucket).key("home/" + bob + "/x"), RequestBody.fromString("x")));
        assertEquals(403, bobWrites.statusCode(), "bob's aws:userid is not alice's");
        assertEquals("b", asBob.getObjectAsBytes(r -> r.bucket(bucket).key("home/" + bob + "/b")).asUtf8String());
        S3Exception bobReadsAlice = assertThrows(S3Exception.class,
                () -> asBob.getObjectAsBytes(r -> r.bucket(bucket).key("home/" + alice + "/a")));
        assertEquals(403, bobReadsAlice.statusCode(), "${aws:username} is bob's own name");
        assertEquals("a", asAlice.getObjectAsBytes(r -> r.bucket(bucket).key("home/" + alice + "/a")).asUtf8String());
    }

    // ---- the acceptance case ----------------------------------------------------------

    @Test
    void aUserWithoutPutEncryptionConfigurationIsRefusedAndCloudTrailSaysSo() throws Exception {
        String bucket = Clients.newBucket(s3, "iam-enc");
        String denied = unique("enc-denied");
        String allowed = unique("enc-allowed");
        AccessKey deniedKey = userWithKey(iam, denied);
        AccessKey allowedKey = userWithKey(iam, allowed);
        iam.putUserPolicy(r -> r.userName(denied).policyName("read-config").policyDocument(
                allow("\"s3:GetEncryptionConfiguration\",\"s3:ListBucket\"", "arn:aws:s3:::" + bucket)));
        iam.putUserPolicy(r -> r.userName(allowed).policyName("set-encryption").policyDocument(
                allow("\"s3:PutEncryptionConfiguration\",\"s3:GetEncryptionConfiguration\"", "arn:aws:s3:::" + bucket)));

        S3Client asDenied = Clients.sdk(proxy.endpoint(), deniedKey.accessKeyId(), deniedKey.secretAccessKey());
        S3Client asAllowed = Clients.sdk(proxy.endpoint(), allowedKey.accessKeyId(), allowedKey.secretAccessKey());
        asDenied.getBucketEncryption(r -> r.bucket(bucket));
        S3Exception refused = assertThrows(S3Exception.class, () -> putAes256Default(asDenied, bucket));
        assertEquals(403, refused.statusCode());
        assertEquals("AccessDenied", refused.awsErrorDetails().errorCode());
        assertEquals(200, putAes256Default(asAllowed, bucket));

        CloudTrailClient trail = AuditTrailIT.cloudTrail(proxy.managementEndpoint(), ProxyProcess.ROOT_ACCESS_KEY,
                ProxyProcess.ROOT_SECRET_KEY);
        Event e = awaitEvent(trail, denied, ev -> "PutBucketEncryption".equals(ev.eventName()));
        JsonNode record = JSON.readTree(e.cloudTrailEvent());
        assertEquals("AccessDenied", record.get("errorCode").asText());
        assertEquals("IAMUser", record.at("/userIdentity/type").asText());
        assertEquals("arn:aws:iam::" + rootAccount + ":user/" + denied, record.at("/userIdentity/arn").asText());
        assertEquals(denied, record.at("/userIdentity/userName").asText());
        assertEquals(deniedKey.accessKeyId(), record.at("/userIdentity/accessKeyId").asText());
        assertTrue(record.at("/userIdentity/principalId").asText().startsWith("AIDA"));
        assertEquals(denied, e.username());
        Event ok = awaitEvent(trail, allowed, ev -> "PutBucketEncryption".equals(ev.eventName()));
        assertFalse(JSON.readTree(ok.cloudTrailEvent()).has("errorCode"));

        // the IAM calls themselves are IAM events
        Event put = awaitEvent(trail, "root", ev -> "PutUserPolicy".equals(ev.eventName())
                && ev.cloudTrailEvent().contains(denied));
        assertEquals("iam.amazonaws.com", put.eventSource());

        // LookupEvents is an action of its own: a user needs cloudtrail:LookupEvents (resource *) to read the trail
        CloudTrailClient trailAsDenied = AuditTrailIT.cloudTrail(proxy.endpoint(), deniedKey.accessKeyId(),
                deniedKey.secretAccessKey());
        var noTrail = assertThrows(software.amazon.awssdk.services.cloudtrail.model.CloudTrailException.class,
                () -> AuditTrailIT.lookup(trailAsDenied, LookupAttributeKey.USERNAME, denied));
        assertEquals("AccessDeniedException", noTrail.awsErrorDetails().errorCode());
        assertEquals("User: arn:aws:iam::" + rootAccount + ":user/" + denied + " is not authorized to perform: "
                + "cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action",
                noTrail.awsErrorDetails().errorMessage());
        iam.putUserPolicy(r -> r.userName(denied).policyName("read-trail").policyDocument(
                allow("\"cloudtrail:LookupEvents\"", "*")));
        Event own = null;
        for (int i = 0; i < 50 && own == null; i++) {
            try {
                own = AuditTrailIT.lookup(trailAsDenied, LookupAttributeKey.USERNAME, denied).stream()
                        .filter(ev -> "PutBucketEncryption".equals(ev.eventName())).findFirst().orElse(null);
            } catch (software.amazon.awssdk.services.cloudtrail.model.CloudTrailException stillCached) {
                ProxyProcess.sleep(200); // the policy reaches the credential cache through the change feed
            }
        }
        assertTrue(own != null, "with cloudtrail:LookupEvents the user reads its account's trail");
    }

    static int putAes256Default(S3Client client, String bucket) {
        return client.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                rule -> rule.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))))
                .sdkHttpResponse().statusCode();
    }

    static Event awaitEvent(CloudTrailClient trail, String username, Predicate<Event> match) {
        for (int i = 0; i < 100; i++) {
            for (Event e : AuditTrailIT.lookup(trail, LookupAttributeKey.USERNAME, username)) {
                if (match.test(e)) {
                    return e;
                }
            }
            ProxyProcess.sleep(200);
        }
        throw new AssertionError("no such event of " + username + " within 20 s");
    }

    // ---- the AWS CLI --------------------------------------------------------------------------

    @Test
    void theAwsCliManagesUsersKeysAndPoliciesOnTheS3Port() throws Exception {
        String name = unique("cli-bob");
        Map<String, String> root = env(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        JsonNode user = aws(root, "iam", "create-user", "--user-name", name);
        assertEquals(name, user.at("/User/UserName").asText());
        JsonNode key = aws(root, "iam", "create-access-key", "--user-name", name);
        String akid = key.at("/AccessKey/AccessKeyId").asText();
        String secret = key.at("/AccessKey/SecretAccessKey").asText();
        String doc = allow("\"s3:ListAllMyBuckets\"", "*");
        Path policy = Files.writeString(work.resolve(name + ".json"), doc);
        aws(root, "iam", "put-user-policy", "--user-name", name, "--policy-name", "list", "--policy-document",
                "file://" + policy);
        JsonNode got = aws(root, "iam", "get-user-policy", "--user-name", name, "--policy-name", "list");
        assertEquals(JSON.readTree(doc), got.get("PolicyDocument"), "the CLI decodes IAM's percent-encoded document");
        assertEquals("list", aws(root, "iam", "list-user-policies", "--user-name", name).at("/PolicyNames/0").asText());
        assertEquals(akid, aws(root, "iam", "list-access-keys", "--user-name", name).at("/AccessKeyMetadata/0/AccessKeyId").asText());
        boolean listed = false;
        for (JsonNode u : aws(root, "iam", "list-users").get("Users")) {
            listed |= u.get("UserName").asText().equals(name);
        }
        assertTrue(listed);
        JsonNode mp = aws(root, "iam", "create-policy", "--policy-name", name + "-mp", "--policy-document", "file://" + policy);
        String arn = mp.at("/Policy/Arn").asText();
        aws(root, "iam", "attach-user-policy", "--user-name", name, "--policy-arn", arn);
        assertEquals(arn, aws(root, "iam", "list-attached-user-policies", "--user-name", name)
                .at("/AttachedPolicies/0/PolicyArn").asText());

        Map<String, String> asUser = env(akid, secret);
        JsonNode who = aws(asUser, "sts", "get-caller-identity");
        assertEquals("arn:aws:iam::" + rootAccount + ":user/" + name, who.get("Arn").asText());
        assertEquals(rootAccount, who.get("Account").asText());
        assertTrue(who.get("UserId").asText().startsWith("AIDA"));

        Result conflict = run(root, "iam", "delete-user", "--user-name", name);
        assertTrue(conflict.exit != 0 && conflict.stderr.contains("DeleteConflict"), conflict.toString());

        aws(root, "iam", "detach-user-policy", "--user-name", name, "--policy-arn", arn);
        aws(root, "iam", "delete-policy", "--policy-arn", arn);
        aws(root, "iam", "delete-user-policy", "--user-name", name, "--policy-name", "list");
        aws(root, "iam", "delete-access-key", "--user-name", name, "--access-key-id", akid);
        aws(root, "iam", "delete-user", "--user-name", name);
        Result gone = run(root, "iam", "get-user", "--user-name", name);
        assertTrue(gone.exit != 0 && gone.stderr.contains("NoSuchEntity"), gone.toString());
    }

    static Map<String, String> env(String accessKey, String secretKey) throws IOException {
        Path home = Files.createTempDirectory(work, "home");
        Map<String, String> env = new TreeMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_DEFAULT_OUTPUT", "json");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        return env;
    }

    record Result(List<String> cmd, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", cmd) + "\nexit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs the CLI against the S3 port and parses its JSON output (empty output: an empty object). */
    static JsonNode aws(Map<String, String> env, String... args) throws IOException {
        Result r = run(env, args);
        assertEquals(0, r.exit, r.toString());
        return r.stdout.isBlank() ? JSON.createObjectNode() : JSON.readTree(r.stdout);
    }

    static Result run(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(AWS, "--endpoint-url", proxy.endpoint().toString()));
        cmd.addAll(List.of(args));
        Path dir = Files.createTempDirectory(work, "p");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Result(cmd, p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    static <T> IamException error(Runnable call) {
        return assertThrows(IamException.class, call::run);
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
