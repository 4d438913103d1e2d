package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Policy documents S3 (bucket policies, on bucket {@code b}) and IAM (identity policies) refuse, with the
 * message each gives ({@link PolicyFault} cites where each message comes from), and ones they accept.
 * Documents are written with {@code '} for {@code "} to keep the table readable.
 */
class MalformedPolicyTest {
    static String json(String s) {
        return s.replace('\'', '"');
    }

    static String bucketStatement(String extra) {
        return "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::b/*'" + extra + "}]}";
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not an object                | ['a']                                                              | Policies must be valid JSON and the first byte must be '{'",
        "empty                        | ``                                                                 | Policies must be valid JSON and the first byte must be '{'",
        "a string                     | 'x'                                                                | Policies must be valid JSON and the first byte must be '{'",
        "truncated                    | {'Version':'2012-10-17','Statement':[                              | This policy contains invalid Json",
        "trailing garbage             | {'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}} x | This policy contains invalid Json",
        "duplicate key                | {'Version':'2012-10-17','Version':'2012-10-17','Statement':[]}     | This policy contains invalid Json",
        "duplicate key in a statement | {'Statement':[{'Effect':'Allow','Effect':'Deny','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | This policy contains invalid Json",
        "no Statement                 | {'Version':'2012-10-17'}                                           | Missing required field Statement",
        "empty Statement              | {'Version':'2012-10-17','Statement':[]}                            | Could not parse the policy: Statement is empty!",
        "bad Version                  | {'Version':'2012-10-18','Statement':[]}                            | The policy must contain a valid version string",
        "unknown top-level field      | {'Version':'2012-10-17','Statment':[]}                             | Unknown field Statment",
        "unknown statement field      | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Foo':1}]} | Unknown field Foo",
        "lower-case element name      | {'Statement':[{'effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Unknown field effect",
        "statement not an object      | {'Statement':['x']}                                                | Invalid policy syntax.",
        "no Effect                    | {'Statement':[{'Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Missing required field Effect",
        "bad Effect                   | {'Statement':[{'Effect':'hello','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid effect: hello",
        "Effect in lower case         | {'Statement':[{'Effect':'allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid effect: allow",
        "no Principal                 | {'Statement':[{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Missing required field Principal",
        "empty Principal              | {'Statement':[{'Effect':'Allow','Principal':{},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Missing required field Principal cannot be empty!",
        "empty AWS principal list     | {'Statement':[{'Effect':'Allow','Principal':{'AWS':[]},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Missing required field Principal cannot be empty!",
        "principal a bare name        | {'Statement':[{'Effect':'Allow','Principal':{'AWS':'user'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid principal in policy",
        "principal a string not *     | {'Statement':[{'Effect':'Allow','Principal':'alice','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid principal in policy",
        "principal with a wildcard    | {'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:user/*'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid principal in policy",
        "principal short account id   | {'Statement':[{'Effect':'Allow','Principal':{'AWS':'11112222333'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid principal in policy",
        "principal unknown type       | {'Statement':[{'Effect':'Allow','Principal':{'Robot':'x'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid principal in policy",
        "CloudFront OAI name          | {'Statement':[{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity X'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid principal in policy",
        "no Action                    | {'Statement':[{'Effect':'Allow','Principal':'*','Resource':'arn:aws:s3:::b/*'}]} | Statement is missing required element",
        "no Resource                  | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject'}]} | Statement is missing required element",
        "empty Action list            | {'Statement':[{'Effect':'Allow','Principal':'*','Action':[],'Resource':'arn:aws:s3:::b/*'}]} | Statement is missing required element",
        "Action and NotAction         | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','NotAction':'s3:PutObject','Resource':'arn:aws:s3:::b/*'}]} | Invalid policy syntax.",
        "action without a service     | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'invalid_action','Resource':'arn:aws:s3:::b/*'}]} | Policy has invalid action",
        "another service's action     | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'kms:Decrypt','Resource':'arn:aws:s3:::b/*'}]} | Policy has invalid action",
        "action with a space          | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:Get Object','Resource':'arn:aws:s3:::b/*'}]} | Policy has invalid action",
        "Action a number              | {'Statement':[{'Effect':'Allow','Principal':'*','Action':5,'Resource':'arn:aws:s3:::b/*'}]} | Invalid policy syntax.",
        "resource *                   | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'*'}]} | Policy has invalid resource",
        "another bucket               | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::other/*'}]} | Policy has invalid resource",
        "bucket name prefix           | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::bb/*'}]} | Policy has invalid resource",
        "not an S3 ARN                | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'b/*'}]} | Policy has invalid resource",
        "one of two resources wrong   | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':['arn:aws:s3:::b/*','arn:aws:s3:::c/*']}]} | Policy has invalid resource",
        "object action on the bucket  | {'Statement':[{'Effect':'Allow','Principal':'*','Action':['s3:PutObject'],'Resource':['arn:aws:s3:::b']}]} | Action does not apply to any resource(s) in statement",
        "bucket action on objects     | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b/*'}]} | Action does not apply to any resource(s) in statement",
        "unknown condition operator   | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'StringEqualz':{'aws:SourceIp':'x'}}}]} | Invalid policy syntax.",
        "NullIfExists                 | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'NullIfExists':{'aws:SourceIp':'true'}}}]} | Invalid policy syntax.",
        "condition key of another service | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'StringEquals':{'kms:ViaService':'x'}}}]} | Policy has an invalid condition key",
        "condition key without prefix | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'StringEquals':{'SourceIp':'x'}}}]} | Policy has an invalid condition key",
        "bad CIDR                     | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/33'}}}]} | Invalid policy syntax.",
        "host name as an address      | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'IpAddress':{'aws:SourceIp':'example.com'}}}]} | Invalid policy syntax.",
        "bad number                   | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'NumericLessThan':{'s3:max-keys':'ten'}}}]} | Invalid policy syntax.",
        "bad date                     | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'DateLessThan':{'aws:CurrentTime':'tomorrow'}}}]} | Invalid policy syntax.",
        "bad Bool                     | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'Bool':{'aws:SecureTransport':'yes'}}}]} | Invalid policy syntax.",
        "null condition value         | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':{'StringEquals':{'s3:prefix':null}}}]} | Invalid policy syntax.",
        "Condition not an object      | {'Statement':[{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Condition':'x'}]} | Invalid policy syntax.",
    })
    void bucketPolicyRefused(String name, String doc, String message) {
        MalformedPolicyException e = assertThrows(MalformedPolicyException.class, () -> Policy.bucketPolicy(json(doc), "b"));
        assertEquals(message, e.getMessage(), name);
        assertFalse(e.limitExceeded());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON                     | {'Version':                                                         | Syntax errors in policy.",
        "not an object                | []                                                                  | Syntax errors in policy.",
        "duplicate key                | {'Statement':{'Effect':'Allow','Action':'s3:*','Action':'s3:*','Resource':'*'}} | Syntax errors in policy.",
        "a Principal                  | {'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:*','Resource':'*'}} | Policy document should not specify a principal.",
        "a NotPrincipal               | {'Statement':{'Effect':'Deny','NotPrincipal':{'AWS':'111122223333'},'Action':'s3:*','Resource':'*'}} | Policy document should not specify a principal.",
        "no Action                    | {'Statement':{'Effect':'Allow','Resource':'*'}}                     | Policy statement must contain actions.",
        "no Resource                  | {'Statement':{'Effect':'Allow','Action':'s3:*'}}                    | Policy statement must contain resources.",
        "action without vendor        | {'Statement':{'Effect':'Allow','Action':'GetObject','Resource':'*'}} | Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        "resource not an ARN          | {'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'my-bucket'}} | Resource my-bucket must be in ARN format or \"*\".",
        "duplicate Sid                | {'Statement':[{'Sid':'A','Effect':'Allow','Action':'s3:*','Resource':'*'},{'Sid':'A','Effect':'Deny','Action':'s3:*','Resource':'*'}]} | Statement IDs (SID) in a single policy must be unique.",
        "Sid with a dash              | {'Statement':{'Sid':'a-b','Effect':'Allow','Action':'s3:*','Resource':'*'}} | Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
        "unknown field                | {'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','Principle':'*'}} | Syntax errors in policy.",
        "bad Effect                   | {'Statement':{'Effect':'Permit','Action':'s3:*','Resource':'*'}}    | Syntax errors in policy.",
        "condition key without vendor | {'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'StringEquals':{'prefix':'a'}}}} | Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    })
    void identityPolicyRefused(String name, String doc, String message) {
        MalformedPolicyException e = assertThrows(MalformedPolicyException.class, () -> Policy.identityPolicy(json(doc)));
        assertEquals(message, e.getMessage(), name);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "one statement, no array, no Version | {'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}}",
        "2008-10-17 and an Id        | {'Version':'2008-10-17','Id':'x','Statement':[{'Sid':'1','Effect':'Allow','Principal':{'AWS':'*'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}]}",
        "leading whitespace          | `  \n{'Statement':{'Effect':'Allow','Principal':'*','Action':'*','Resource':'arn:aws:s3:::b'}}`",
        "bucket ARN and everything   | {'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:*','Resource':['arn:aws:s3:::b','arn:aws:s3:::b/*']}}",
        "wildcard after the bucket   | {'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/logs/*/2026-??-*'}}",
        "wildcard in the bucket name | {'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b*'}}",
        "accounts, roots, users, roles | {'Statement':{'Effect':'Allow','Principal':{'AWS':['111122223333','arn:aws:iam::444455556666:root','arn:aws:iam::444455556666:user/ops/bob','arn:aws:iam::444455556666:role/r']},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}}",
        "a service principal         | {'Statement':{'Effect':'Allow','Principal':{'Service':'logging.s3.amazonaws.com'},'Action':'s3:PutObject','Resource':'arn:aws:s3:::b/logs/*'}}",
        "a canonical user            | {'Statement':{'Effect':'Allow','Principal':{'CanonicalUser':'79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}}",
        "NotAction and NotResource   | {'Statement':{'Effect':'Deny','Principal':'*','NotAction':'s3:GetObject','NotResource':'arn:aws:s3:::b/public/*'}}",
        "boolean and number values   | {'Statement':{'Effect':'Deny','Principal':'*','Action':'s3:*','Resource':'arn:aws:s3:::b/*','Condition':{'Bool':{'aws:SecureTransport':false},'NumericGreaterThan':{'s3:max-keys':100}}}}",
        "every operator form         | {'Statement':{'Effect':'Deny','Principal':'*','Action':'s3:*','Resource':'arn:aws:s3:::b/*','Condition':{'ForAnyValue:StringLikeIfExists':{'aws:TagKeys':['a*']},'ForAllValues:ArnNotLike':{'aws:SourceArn':'arn:aws:sns:*:*:*'},'NotIpAddress':{'aws:SourceIp':['10.0.0.0/8','2001:db8::/32']},'DateGreaterThan':{'aws:CurrentTime':'2026-01-01T00:00:00Z'},'Null':{'s3:x-amz-acl':true},'BinaryEquals':{'s3:x':'QQ=='}}}}",
        "mixed-case condition keys   | {'Statement':{'Effect':'Deny','Principal':'*','Action':'s3:PutObject','Resource':'arn:aws:s3:::b/*','Condition':{'StringNotEquals':{'S3:X-Amz-Server-Side-Encryption':'AES256'}}}}",
        "unicode escapes             | {'Statement':{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/\\u00e9t\\u00e9/*'}}",
    })
    void bucketPolicyAccepted(String name, String doc) {
        Policy p = Policy.bucketPolicy(json(doc), "b");
        assertEquals(json(doc), p.text(), name);
        assertEquals(Policy.Kind.BUCKET, p.kind());
    }

    @Test
    void bucketPolicyOver20KiBIsRefusedAndWhitespaceDoesNotCount() {
        String statement = json("{'Effect':'Allow','Principal':'*','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}");
        StringBuilder b = new StringBuilder("{\"Statement\":[").append(statement);
        while (b.length() < 20 * 1024 - statement.length() - 4) {
            b.append(',').append(statement);
        }
        String fits = b + "]}";
        assertTrue(fits.length() <= 20 * 1024);
        Policy.bucketPolicy(fits, "b");
        // the same document, pretty-printed far past 20 KiB of text: still fits
        Policy.bucketPolicy(fits.replace(",", ",\n        "), "b");
        String over = b.append(',').append(statement).append("]}").toString();
        assertTrue(over.length() > 20 * 1024);
        MalformedPolicyException e = assertThrows(MalformedPolicyException.class, () -> Policy.bucketPolicy(over, "b"));
        assertEquals("Policy exceeds the maximum allowed document size.", e.getMessage());
    }

    @Test
    void identityPolicyOverIamQuotaIsLimitExceeded() {
        String statement = json("{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::bucket/*'}");
        StringBuilder b = new StringBuilder("{\"Statement\":[").append(statement);
        while (b.length() < 6144 + 10) {
            b.append(',').append(statement);
        }
        MalformedPolicyException e = assertThrows(MalformedPolicyException.class,
                () -> Policy.identityPolicy(b + "]}"));
        assertEquals("Cannot exceed quota for PolicySize: 6144", e.getMessage());
        assertTrue(e.limitExceeded());
    }

    @Test
    void statementsAreCounted() {
        assertEquals(1, Policy.bucketPolicy(json(bucketStatement("")), "b").statementCount());
        assertEquals(2, Policy.identityPolicy(json("{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*'},"
                + "{'Effect':'Deny','Action':'s3:DeleteBucket','Resource':'*'}]}")).statementCount());
    }

    @Test
    void readsConditionKeyFindsKeysAndVariablesInAnyCase() {
        Policy p = Policy.bucketPolicy(json(bucketStatement(",'Condition':{'StringEquals':{'s3:ExistingObjectTag/team':'a'}}")), "b");
        assertTrue(p.readsConditionKey("s3:existingobjecttag/"));
        assertFalse(p.readsConditionKey("aws:sourceip"));
        Policy v = Policy.bucketPolicy(json("{'Version':'2012-10-17','Statement':{'Effect':'Allow','Principal':'*',"
                + "'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/${s3:ExistingObjectTag/owner}/*'}}"), "b");
        assertTrue(v.readsConditionKey("s3:existingobjecttag/"));
    }

    @Test
    void nestingDeeperThanAnyPolicyIsRefused() {
        String deep = "{\"Statement\":" + "[".repeat(50) + "]".repeat(50) + "}";
        assertEquals("This policy contains invalid Json",
                assertThrows(MalformedPolicyException.class, () -> Policy.bucketPolicy(deep, "b")).getMessage());
    }
}
