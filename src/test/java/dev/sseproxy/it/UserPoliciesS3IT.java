package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An IAM user's S3 requests are decided by its identity policies and recorded as the user's, whatever
 * API made the user: here the catalog rows are written directly (an access key made by the admin API,
 * then given to a user by SQL; its secret is bound to the key and the account, not the user, so it
 * still opens), so this runs without the IAM API. {@link IamUsersIT} makes the same case through it.
 */
class UserPoliciesS3IT {
    static final ObjectMapper JSON = new ObjectMapper();
    static ProxyProcess proxy;
    static S3Client root;
    static String rootAccount;

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.get();
        root = Clients.sdk();
        rootAccount = proxy.sql("SELECT account_id FROM access_key WHERE access_key_id = '" + ProxyProcess.ROOT_ACCESS_KEY + "'");
    }

    /** A user of the root's account with one key and the given inline policy (null: none): {userArn, akid, secret}. */
    static String[] user(String name, String policy) {
        String userId = ("AIDA" + Long.toString(System.nanoTime(), 36).toUpperCase() + "ZZZZZZZZZZZZZZZZZ").substring(0, 21);
        proxy.sql("INSERT INTO iam_user (user_id, account_id, user_name, path, created_at) VALUES ('" + userId + "', '"
                + rootAccount + "', '" + name + "', '/', now())");
        // a key of the root account, made by the admin API, then given to the user
        JsonNode key = proxy.admin("POST", "/admin/accounts/" + rootAccount + "/keys", "");
        String akid = key.get("accessKeyId").asText();
        proxy.sql("UPDATE access_key SET user_id = '" + userId + "' WHERE access_key_id = '" + akid + "'");
        if (policy != null) {
            proxy.sql("INSERT INTO iam_user_policy (user_id, policy_name, document) VALUES ('" + userId + "', 'p', '"
                    + policy + "')");
        }
        return new String[] {"arn:aws:iam::" + rootAccount + ":user/" + name, akid, key.get("secretAccessKey").asText()};
    }

    @Test
    void aUserWithoutPutEncryptionConfigurationGets403AndCloudTrailNamesTheUser() throws Exception {
        String bucket = Clients.newBucket(root, "user-enc");
        String deniedName = IamUsersIT.unique("s3-denied");
        String allowedName = IamUsersIT.unique("s3-allowed");
        String[] denied = user(deniedName, IamUsersIT.allow("\"s3:GetEncryptionConfiguration\"", "arn:aws:s3:::" + bucket));
        String[] allowed = user(allowedName, IamUsersIT.allow("\"s3:PutEncryptionConfiguration\"", "arn:aws:s3:::" + bucket));
        S3Client asDenied = Clients.sdk(proxy.endpoint(), denied[1], denied[2]);
        S3Client asAllowed = Clients.sdk(proxy.endpoint(), allowed[1], allowed[2]);

        S3Exception e = assertThrows(S3Exception.class, () -> IamUsersIT.putAes256Default(asDenied, bucket));
        assertEquals(403, e.statusCode());
        assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
        assertEquals(200, IamUsersIT.putAes256Default(asAllowed, bucket));
        assertEquals(403, assertThrows(S3Exception.class, () -> asAllowed.listObjectsV2(r -> r.bucket(bucket))).statusCode(),
                "nothing else is allowed");

        CloudTrailClient trail = AuditTrailIT.cloudTrail(proxy.managementEndpoint(), ProxyProcess.ROOT_ACCESS_KEY,
                ProxyProcess.ROOT_SECRET_KEY);
        Event ev = IamUsersIT.awaitEvent(trail, deniedName, x -> "PutBucketEncryption".equals(x.eventName()));
        JsonNode record = JSON.readTree(ev.cloudTrailEvent());
        assertEquals("AccessDenied", record.get("errorCode").asText());
        assertEquals("IAMUser", record.at("/userIdentity/type").asText());
        assertEquals(denied[0], record.at("/userIdentity/arn").asText());
        assertEquals(deniedName, record.at("/userIdentity/userName").asText());
        assertEquals(denied[1], record.at("/userIdentity/accessKeyId").asText());
        Event ok = IamUsersIT.awaitEvent(trail, allowedName, x -> "PutBucketEncryption".equals(x.eventName()));
        assertFalse(JSON.readTree(ok.cloudTrailEvent()).has("errorCode"));
    }

    @Test
    void aUserWithoutPoliciesMayDoNothingAndTheRootEverything() {
        String bucket = Clients.newBucket(root, "user-none");
        String[] nobody = user(IamUsersIT.unique("s3-nobody"), null);
        S3Client asNobody = Clients.sdk(proxy.endpoint(), nobody[1], nobody[2]);
        assertEquals(403, assertThrows(S3Exception.class, () -> asNobody.headBucket(r -> r.bucket(bucket))).statusCode());
        root.headBucket(r -> r.bucket(bucket));
    }
}
