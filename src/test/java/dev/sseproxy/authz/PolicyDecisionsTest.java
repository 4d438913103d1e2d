package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link AuthorizationDecisions#evaluate} with identity policies, bucket policies, ACLs and Block Public
 * Access: one row per request. Bucket {@code b} belongs to {@link #OWNER}.
 */
class PolicyDecisionsTest {
    static final String OWNER = "111122223333";
    static final String OTHER = "444455556666";
    static final String THIRD = "777788889999";

    static final Map<String, Principal> WHO = Map.of(
            "root", Principal.account(OWNER),
            "alice", Principal.user(OWNER, "alice", "/"),
            "carol", Principal.user(OWNER, "carol", "/staff/"),
            "other-root", Principal.account(OTHER),
            "bob", Principal.user(OTHER, "bob", "/"),
            "third", Principal.account(THIRD),
            "anon", Principal.anonymous());

    static String doc(String statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
    }

    static String stmt(String effect, String principal, String action, String resource, String condition) {
        return "{\"Effect\":\"" + effect + "\"" + (principal == null ? "" : ",\"Principal\":" + principal)
                + ",\"Action\":" + action + ",\"Resource\":" + resource
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    static final String ALL_B = "[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"]";

    /** Bucket policies by name. */
    static final Map<String, String> BUCKET = new HashMap<>();
    /** Identity policies by name. */
    static final Map<String, String> IDENTITY = new HashMap<>();

    static {
        BUCKET.put("public-read", doc(stmt("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"", null)));
        BUCKET.put("public-read-aws", doc(stmt("Allow", "{\"AWS\":\"*\"}", "\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"", null)));
        BUCKET.put("other-account", doc(stmt("Allow", "{\"AWS\":\"" + OTHER + "\"}", "[\"s3:GetObject\",\"s3:PutObject\"]",
                "\"arn:aws:s3:::b/*\"", null)));
        BUCKET.put("other-root-arn", doc(stmt("Allow", "{\"AWS\":\"arn:aws:iam::" + OTHER + ":root\"}", "\"s3:*\"", ALL_B, null)));
        BUCKET.put("bob", doc(stmt("Allow", "{\"AWS\":\"arn:aws:iam::" + OTHER + ":user/bob\"}", "\"s3:GetObject\"",
                "\"arn:aws:s3:::b/*\"", null)));
        BUCKET.put("own-account", doc(stmt("Allow", "{\"AWS\":\"arn:aws:iam::" + OWNER + ":root\"}", "\"s3:*\"", ALL_B, null)));
        BUCKET.put("alice", doc(stmt("Allow", "{\"AWS\":\"arn:aws:iam::" + OWNER + ":user/alice\"}", "\"s3:GetObject\"",
                "\"arn:aws:s3:::b/*\"", null)));
        BUCKET.put("deny-alice-delete", doc(stmt("Deny", "{\"AWS\":\"arn:aws:iam::" + OWNER + ":user/alice\"}",
                "\"s3:DeleteObject\"", "\"arn:aws:s3:::b/*\"", null)));
        BUCKET.put("deny-all-delete", doc(stmt("Deny", "\"*\"", "\"s3:DeleteObject\"", "\"arn:aws:s3:::b/*\"", null)));
        BUCKET.put("deny-account", doc(stmt("Deny", "{\"AWS\":\"" + OWNER + "\"}", "\"s3:PutBucketPolicy\"",
                "\"arn:aws:s3:::b\"", null)));
        BUCKET.put("deny-insecure", doc(stmt("Deny", "\"*\"", "\"s3:*\"", ALL_B,
                "{\"Bool\":{\"aws:SecureTransport\":\"false\"}}")));
        BUCKET.put("not-principal-deny", doc(stmt("Deny", null, "\"s3:*\"", ALL_B, null)
                .replace("{\"Effect\":\"Deny\"", "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::"
                        + OWNER + ":user/alice\",\"arn:aws:iam::" + OWNER + ":root\"]}")));
        BUCKET.put("not-principal-allow", doc(stmt("Allow", null, "\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"", null)
                .replace("{\"Effect\":\"Allow\"", "{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"" + THIRD + "\"}")));
        BUCKET.put("not-action", doc(stmt("Allow", "{\"AWS\":\"" + OTHER + "\"}", "\"s3:*\"", ALL_B, null)
                .replace("\"Action\":", "\"NotAction\":").replace("\"s3:*\"", "[\"s3:Delete*\",\"s3:PutBucket*\"]")));
        BUCKET.put("not-resource", doc(stmt("Allow", "{\"AWS\":\"" + OTHER + "\"}", "\"s3:GetObject\"",
                "\"arn:aws:s3:::b/private/*\"", null).replace("\"Resource\":", "\"NotResource\":")));
        BUCKET.put("ip-only", doc(stmt("Allow", "\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"",
                "{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}")));
        BUCKET.put("home-dirs", doc(stmt("Allow", "{\"AWS\":\"arn:aws:iam::" + OTHER + ":user/bob\"}", "\"s3:*\"",
                "\"arn:aws:s3:::b/home/${aws:username}/*\"", null)));
        BUCKET.put("2008-literal", "{\"Version\":\"2008-10-17\",\"Statement\":[" + stmt("Allow", "\"*\"", "\"s3:GetObject\"",
                "\"arn:aws:s3:::b/${aws:username}\"", null) + "]}");
        BUCKET.put("wildcard-actions", doc(stmt("Allow", "{\"AWS\":\"" + OTHER + "\"}", "[\"s3:Get*\",\"s3:List?ucket\"]",
                ALL_B, null)));
        BUCKET.put("deny-unencrypted", doc(
                "{\"Sid\":\"DenyIncorrectEncryptionHeader\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"StringNotEquals\":{\"s3:x-amz-server-side-encryption\":\"AES256\"}}},"
                + "{\"Sid\":\"DenyUnEncryptedObjectUploads\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"Null\":{\"s3:x-amz-server-side-encryption\":\"true\"}}}"));

        IDENTITY.put("read-b", doc(stmt("Allow", null, "[\"s3:GetObject\",\"s3:ListBucket\"]", ALL_B, null)));
        IDENTITY.put("s3-all", doc(stmt("Allow", null, "\"s3:*\"", "\"*\"", null)));
        IDENTITY.put("put-b", doc(stmt("Allow", null, "\"s3:PutObject\"", "\"arn:aws:s3:::b/*\"", null)));
        IDENTITY.put("deny-enc-config", doc(stmt("Deny", null, "\"s3:PutEncryptionConfiguration\"", "\"*\"", null)));
        IDENTITY.put("own-home", doc(stmt("Allow", null, "\"s3:*\"", "\"arn:aws:s3:::b/home/${aws:username}/*\"", null)));
        IDENTITY.put("list-own-prefix", doc(stmt("Allow", null, "\"s3:ListBucket\"", "\"arn:aws:s3:::b\"",
                "{\"StringLike\":{\"s3:prefix\":[\"\",\"home/\",\"home/${aws:username}/*\"]}}")));
        IDENTITY.put("not-action-iam", doc(stmt("Allow", null, "\"iam:*\"", "\"*\"", null).replace("\"Action\":", "\"NotAction\":")));
        IDENTITY.put("deny-not-b", doc(stmt("Deny", null, "\"s3:*\"", ALL_B, null).replace("\"Resource\":", "\"NotResource\":")));
    }

    static ConditionContext context(String spec) {
        Map<String, List<String>> m = new HashMap<>();
        if (spec != null) {
            for (String kv : spec.split(";")) {
                int eq = kv.indexOf('=');
                m.computeIfAbsent(kv.substring(0, eq).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(kv.substring(eq + 1));
            }
        }
        return k -> m.getOrDefault(k.toLowerCase(Locale.ROOT), List.of());
    }

    static PublicAccessBlock bpa(String spec) {
        return switch (spec == null ? "none" : spec) {
            case "ignore-acls" -> new PublicAccessBlock(false, true, false, false);
            case "restrict" -> new PublicAccessBlock(false, false, false, true);
            case "all" -> PublicAccessBlock.ALL;
            default -> PublicAccessBlock.NONE;
        };
    }

    static AccessControlList acl(String spec) {
        if (spec == null) {
            return null;
        }
        return switch (spec) {
            case "public-read" -> CannedAcl.PUBLIC_READ.expand(OWNER, OWNER);
            case "authenticated-read" -> CannedAcl.AUTHENTICATED_READ.expand(OWNER, OWNER);
            case "other-read" -> new AccessControlList(List.of(new Grant(Grantee.user(OWNER), Permission.FULL_CONTROL),
                    new Grant(Grantee.user(OTHER), Permission.READ)));
            default -> throw new IllegalArgumentException(spec);
        };
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // case                                             | who        | action                        | key       | bucket policy      | identity policies   | context                                  | BPA         | ACL          | outcome
        // same account: the root, and users by their identity policies
        "root may do anything in its account                | root       | s3:PutEncryptionConfiguration | -         | -                  | -                   | -                                        | -           | -            | allow",
        "a user without policies may do nothing             | alice      | s3:GetObject                  | k         | -                  | -                   | -                                        | -           | -            | deny",
        "a user's identity policy allows                    | alice      | s3:GetObject                  | k         | -                  | read-b              | -                                        | -           | -            | allow",
        "identity policy: not another action                | alice      | s3:PutObject                  | k         | -                  | read-b              | -                                        | -           | -            | deny",
        "identity policy: not another bucket                | alice      | s3:GetObject                  | k         | -                  | put-b               | -                                        | -           | -            | deny",
        "several identity policies: any allows              | alice      | s3:PutObject                  | k         | -                  | read-b,put-b        | -                                        | -           | -            | allow",
        "identity deny beats identity allow                 | alice      | s3:PutEncryptionConfiguration | -         | -                  | s3-all,deny-enc-config | -                                     | -           | -            | explicit",
        "identity deny does not touch other actions         | alice      | s3:GetEncryptionConfiguration | -         | -                  | s3-all,deny-enc-config | -                                     | -           | -            | allow",
        "NotAction in an identity policy                    | alice      | s3:GetObject                  | k         | -                  | not-action-iam      | -                                        | -           | -            | allow",
        "NotResource deny: other buckets denied             | alice      | s3:GetObject                  | k         | -                  | s3-all,deny-not-b   | -                                        | -           | -            | allow",
        // same account: a bucket policy naming the user allows it; naming only the account delegates
        "bucket policy naming the user allows it            | alice      | s3:GetObject                  | k         | alice              | -                   | -                                        | -           | -            | allow",
        "bucket policy naming another user                  | carol      | s3:GetObject                  | k         | alice              | -                   | -                                        | -           | -            | deny",
        "bucket policy naming only the account: no user     | alice      | s3:GetObject                  | k         | own-account        | -                   | -                                        | -           | -            | deny",
        "bucket policy naming the account: the root         | root       | s3:GetObject                  | k         | own-account        | -                   | -                                        | -           | -            | allow",
        "account policy plus identity policy                | alice      | s3:GetObject                  | k         | own-account        | read-b              | -                                        | -           | -            | allow",
        "public bucket policy allows a user of the account  | alice      | s3:GetObject                  | k         | public-read        | -                   | -                                        | -           | -            | allow",
        // explicit denies win everywhere
        "bucket policy deny beats identity allow            | alice      | s3:DeleteObject               | k         | deny-alice-delete  | s3-all              | -                                        | -           | -            | explicit",
        "bucket policy deny for everyone binds the root     | root       | s3:DeleteObject               | k         | deny-all-delete    | -                   | -                                        | -           | -            | explicit",
        "deny naming the account binds its users            | alice      | s3:PutBucketPolicy            | -         | deny-account       | s3-all              | -                                        | -           | -            | explicit",
        "deny naming the account binds the root             | root       | s3:PutBucketPolicy            | -         | deny-account       | -                   | -                                        | -           | -            | explicit",
        "deny naming the account: other accounts untouched  | other-root | s3:PutBucketPolicy            | -         | deny-account       | -                   | -                                        | -           | -            | deny",
        "deny over plain HTTP                               | root       | s3:GetObject                  | k         | deny-insecure      | -                   | aws:SecureTransport=false                | -           | -            | explicit",
        "no deny over TLS                                   | root       | s3:GetObject                  | k         | deny-insecure      | -                   | aws:SecureTransport=true                 | -           | -            | allow",
        "deny beats a public-read ACL                       | anon       | s3:GetObject                  | k         | deny-insecure      | -                   | aws:SecureTransport=false                | -           | public-read  | explicit",
        // NotPrincipal
        "NotPrincipal deny: listed user exempt              | alice      | s3:GetObject                  | k         | not-principal-deny | read-b              | -                                        | -           | -            | allow",
        "NotPrincipal deny: others denied                   | carol      | s3:GetObject                  | k         | not-principal-deny | read-b              | -                                        | -           | -            | explicit",
        "NotPrincipal deny: the listed root exempt          | root       | s3:GetObject                  | k         | not-principal-deny | -                   | -                                        | -           | -            | allow",
        "NotPrincipal deny: anonymous denied                | anon       | s3:GetObject                  | k         | not-principal-deny | -                   | -                                        | -           | public-read  | explicit",
        "NotPrincipal allow: everyone but the listed        | other-root | s3:GetObject                  | k         | not-principal-allow | -                  | -                                        | -           | -            | allow",
        "NotPrincipal allow: the listed account excluded    | third      | s3:GetObject                  | k         | not-principal-allow | -                  | -                                        | -           | -            | deny",
        "NotPrincipal allow: anonymous included             | anon       | s3:GetObject                  | k         | not-principal-allow | -                  | -                                        | -           | -            | allow",
        // cross-account: both sides
        "cross-account root: bucket policy suffices         | other-root | s3:GetObject                  | k         | other-account      | -                   | -                                        | -           | -            | allow",
        "cross-account user: needs its identity policy      | bob        | s3:GetObject                  | k         | other-account      | -                   | -                                        | -           | -            | deny",
        "cross-account user: both sides allow               | bob        | s3:GetObject                  | k         | other-account      | read-b              | -                                        | -           | -            | allow",
        "cross-account user: identity alone is not enough   | bob        | s3:GetObject                  | k         | -                  | read-b              | -                                        | -           | -            | deny",
        "cross-account user: identity does not cover action | bob        | s3:PutObject                  | k         | other-account      | read-b              | -                                        | -           | -            | deny",
        "cross-account: root ARN principal, all of s3       | bob        | s3:ListBucket                 | -         | other-root-arn     | read-b              | -                                        | -           | -            | allow",
        "cross-account user named by ARN                    | bob        | s3:GetObject                  | k         | bob                | s3-all              | -                                        | -           | -            | allow",
        "cross-account: another user of the account         | other-root | s3:PutObject                  | k         | bob                | -                   | -                                        | -           | -            | deny",
        "a third account is not named                       | third      | s3:GetObject                  | k         | other-account      | -                   | -                                        | -           | -            | deny",
        "cross-account ACL grant plus identity              | bob        | s3:GetObject                  | k         | -                  | read-b              | -                                        | -           | other-read   | allow",
        "cross-account ACL grant without identity policy    | bob        | s3:GetObject                  | k         | -                  | -                   | -                                        | -           | other-read   | deny",
        "NotAction: allowed actions                         | other-root | s3:GetObject                  | k         | not-action         | -                   | -                                        | -           | -            | allow",
        "NotAction: the excluded ones                       | other-root | s3:DeleteObject               | k         | not-action         | -                   | -                                        | -           | -            | deny",
        "NotAction: excluded by wildcard                    | other-root | s3:PutBucketPolicy            | -         | not-action         | -                   | -                                        | -           | -            | deny",
        "NotResource: elsewhere allowed                     | other-root | s3:GetObject                  | public/k  | not-resource       | -                   | -                                        | -           | -            | allow",
        "NotResource: the excluded prefix                   | other-root | s3:GetObject                  | private/k | not-resource       | -                   | -                                        | -           | -            | deny",
        "wildcard action s3:Get*                            | other-root | s3:GetObjectTagging           | k         | wildcard-actions   | -                   | -                                        | -           | -            | allow",
        "wildcard action s3:List?ucket                      | other-root | s3:ListBucket                 | -         | wildcard-actions   | -                   | -                                        | -           | -            | allow",
        "wildcard action: actions match ignoring case       | other-root | S3:GETOBJECT                  | k         | wildcard-actions   | -                   | -                                        | -           | -            | allow",
        "wildcard action does not reach Put                 | other-root | s3:PutObject                  | k         | wildcard-actions   | -                   | -                                        | -           | -            | deny",
        // anonymous
        "anonymous: public bucket policy                    | anon       | s3:GetObject                  | k         | public-read        | -                   | -                                        | -           | -            | allow",
        "anonymous: {AWS:*} is everyone                     | anon       | s3:GetObject                  | k         | public-read-aws    | -                   | -                                        | -           | -            | allow",
        "anonymous: not other actions                       | anon       | s3:PutObject                  | k         | public-read        | -                   | -                                        | -           | -            | deny",
        "anonymous: an account-naming policy                | anon       | s3:GetObject                  | k         | other-account      | -                   | -                                        | -           | -            | deny",
        "anonymous: in the allowed network                  | anon       | s3:GetObject                  | k         | ip-only            | -                   | aws:SourceIp=203.0.113.50                | -           | -            | allow",
        "anonymous: outside it                              | anon       | s3:GetObject                  | k         | ip-only            | -                   | aws:SourceIp=198.51.100.50               | -           | -            | deny",
        "anonymous: no source address                       | anon       | s3:GetObject                  | k         | ip-only            | -                   | -                                        | -           | -            | deny",
        "anonymous: ACL AllUsers                            | anon       | s3:GetObject                  | k         | -                  | -                   | -                                        | -           | public-read  | allow",
        "anonymous: ACL AuthenticatedUsers is not it        | anon       | s3:GetObject                  | k         | -                  | -                   | -                                        | -           | authenticated-read | deny",
        "another account: AuthenticatedUsers                | other-root | s3:GetObject                  | k         | -                  | -                   | -                                        | -           | authenticated-read | allow",
        // Block Public Access
        "IgnorePublicAcls: AllUsers ignored                 | anon       | s3:GetObject                  | k         | -                  | -                   | -                                        | ignore-acls | public-read  | deny",
        "IgnorePublicAcls: AuthenticatedUsers ignored       | other-root | s3:GetObject                  | k         | -                  | -                   | -                                        | ignore-acls | authenticated-read | deny",
        "IgnorePublicAcls: named grants stay                | other-root | s3:GetObject                  | k         | -                  | -                   | -                                        | ignore-acls | other-read   | allow",
        "IgnorePublicAcls: policy unaffected                | anon       | s3:GetObject                  | k         | public-read        | -                   | -                                        | ignore-acls | -            | allow",
        "RestrictPublicBuckets: anonymous loses             | anon       | s3:GetObject                  | k         | public-read        | -                   | -                                        | restrict    | -            | deny",
        "RestrictPublicBuckets: other accounts lose         | other-root | s3:GetObject                  | k         | public-read        | -                   | -                                        | restrict    | -            | deny",
        "RestrictPublicBuckets: the owner's users keep it   | alice      | s3:GetObject                  | k         | public-read        | -                   | -                                        | restrict    | -            | allow",
        "RestrictPublicBuckets: a non-public policy stays   | other-root | s3:GetObject                  | k         | other-account      | -                   | -                                        | restrict    | -            | allow",
        "RestrictPublicBuckets: ACLs are not its business   | anon       | s3:GetObject                  | k         | -                  | -                   | -                                        | restrict    | public-read  | allow",
        "all of BPA: anonymous gets nothing                 | anon       | s3:GetObject                  | k         | public-read        | -                   | -                                        | all         | public-read  | deny",
        "all of BPA: the root keeps everything              | root       | s3:GetObject                  | k         | public-read        | -                   | -                                        | all         | public-read  | allow",
        // policy variables
        "variable: bob's own home                           | bob        | s3:GetObject                  | home/bob/x   | home-dirs       | s3-all              | -                                        | -           | -            | allow",
        "variable: not someone else's                       | bob        | s3:GetObject                  | home/alice/x | home-dirs       | s3-all              | -                                        | -           | -            | deny",
        "variable: a root has no user name                  | other-root | s3:GetObject                  | home/bob/x   | home-dirs       | -                   | -                                        | -           | -            | deny",
        "identity variable: own home                        | alice      | s3:PutObject                  | home/alice/f | -               | own-home            | -                                        | -           | -            | allow",
        "identity variable: other home                      | alice      | s3:PutObject                  | home/carol/f | -               | own-home            | -                                        | -           | -            | deny",
        "identity variable in a condition                   | alice      | s3:ListBucket                 | -            | -               | list-own-prefix     | s3:prefix=home/alice/docs                | -           | -            | allow",
        "identity variable in a condition, other prefix     | alice      | s3:ListBucket                 | -            | -               | list-own-prefix     | s3:prefix=home/carol/                    | -           | -            | deny",
        "identity variable in a condition, root listing     | alice      | s3:ListBucket                 | -            | -               | list-own-prefix     | s3:prefix=                               | -           | -            | allow",
        "2008-10-17: variables are literal text             | anon       | s3:GetObject                  | ${aws:username} | 2008-literal | -                   | -                                        | -           | -            | allow",
        "2008-10-17: and resolve to nothing                 | bob        | s3:GetObject                  | bob          | 2008-literal    | s3-all              | -                                        | -           | -            | deny",
        // the S3 guide's encryption policy, verbatim (see EncryptionPoliciesTest for the text)
        "deny-unencrypted: no header                        | root       | s3:PutObject                  | k         | deny-unencrypted   | -                   | -                                        | -           | -            | explicit",
        "deny-unencrypted: AES256                           | root       | s3:PutObject                  | k         | deny-unencrypted   | -                   | s3:x-amz-server-side-encryption=AES256   | -           | -            | allow",
        "deny-unencrypted: aws:kms                          | root       | s3:PutObject                  | k         | deny-unencrypted   | -                   | s3:x-amz-server-side-encryption=aws:kms  | -           | -            | explicit",
        "deny-unencrypted: reads unaffected                 | root       | s3:GetObject                  | k         | deny-unencrypted   | -                   | -                                        | -           | -            | allow",
    })
    void decides(String name, String who, String action, String key, String bucketPolicy, String identity, String ctx,
            String bpa, String acl, String outcome) {
        Principal p = WHO.get(who);
        List<Policy> ids = new ArrayList<>();
        if (identity != null) {
            for (String n : identity.split(",")) {
                ids.add(Policy.identityPolicy(IDENTITY.get(n)));
            }
        }
        Policy bp = bucketPolicy == null ? null : Policy.bucketPolicy(BUCKET.get(bucketPolicy), "b");
        String arn = key == null ? AuthzRequest.bucketArn("b") : AuthzRequest.objectArn("b", key);
        AuthzRequest r = new AuthzRequest(p, action, arn, OWNER, null, acl(acl), ObjectOwnership.OBJECT_WRITER, ids, bp,
                bpa(bpa), context(ctx));
        Decision d = AuthorizationDecisions.evaluate(r);
        String got = d.allowed() ? "allow" : d.explicitDeny() ? "explicit" : "deny";
        assertEquals(outcome, got, () -> name + ": " + d.reason());
    }
}
