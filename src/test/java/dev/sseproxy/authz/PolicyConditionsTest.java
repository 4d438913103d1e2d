package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every condition operator, one row per case: an identity policy allowing {@code s3:GetObject} under one
 * condition, and whether it applies to a request carrying the given values of the key.
 */
class PolicyConditionsTest {

    /** Request values: {@code ;}-separated; {@code -} the key is missing; {@code ``} one empty value. */
    static ConditionContext context(String key, String request) {
        Map<String, List<String>> m = new HashMap<>();
        if (!"-".equals(request)) {
            m.put(key.toLowerCase(Locale.ROOT), request == null ? List.of("") : Arrays.asList(request.split(";", -1)));
        }
        return k -> m.getOrDefault(k.toLowerCase(Locale.ROOT), List.of());
    }

    static boolean applies(String operator, String key, String values, String request) {
        String json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"*\",\"Condition\":{\"" + operator + "\":{\"" + key + "\":" + values + "}}}]}";
        Policy p = Policy.identityPolicy(json);
        return p.verdict(Principal.user("111122223333", "alice", "/"), "s3:GetObject", "arn:aws:s3:::b/k",
                ConditionContext.withPrincipal(Principal.user("111122223333", "alice", "/"), context(key, request)))
                == Policy.Verdict.ALLOW;
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2} ~ {3} -> {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // operator                  | key                              | policy values                | request values | holds
        "StringEquals                | s3:x-amz-server-side-encryption  | \"AES256\"                   | AES256         | true",
        "StringEquals                | s3:x-amz-server-side-encryption  | \"AES256\"                   | aes256         | false",
        "StringEquals                | s3:x-amz-server-side-encryption  | [\"AES256\",\"aws:kms\"]     | aws:kms        | true",
        "StringEquals                | s3:x-amz-server-side-encryption  | \"AES256\"                   | -              | false",
        "StringEqualsIfExists        | s3:x-amz-server-side-encryption  | \"AES256\"                   | -              | true",
        "StringEqualsIfExists        | s3:x-amz-server-side-encryption  | \"AES256\"                   | aws:kms        | false",
        "StringNotEquals             | s3:x-amz-server-side-encryption  | \"AES256\"                   | aws:kms        | true",
        "StringNotEquals             | s3:x-amz-server-side-encryption  | \"AES256\"                   | AES256         | false",
        "StringNotEquals             | s3:x-amz-server-side-encryption  | \"AES256\"                   | -              | true",
        "StringNotEquals             | s3:x-amz-server-side-encryption  | [\"AES256\",\"aws:kms\"]     | aws:kms        | false",
        "StringNotEquals             | s3:x-amz-server-side-encryption  | [\"AES256\",\"aws:kms\"]     | aws:kms:dsse   | true",
        "StringNotEqualsIfExists     | s3:x-amz-server-side-encryption  | \"AES256\"                   | -              | true",
        "StringNotEqualsIfExists     | s3:x-amz-server-side-encryption  | \"AES256\"                   | AES256         | false",
        "StringEqualsIgnoreCase      | s3:x-amz-acl                     | \"PRIVATE\"                  | private        | true",
        "StringEqualsIgnoreCase      | s3:x-amz-acl                     | \"PRIVATE\"                  | public-read    | false",
        "StringNotEqualsIgnoreCase   | s3:x-amz-acl                     | \"PRIVATE\"                  | Private        | false",
        "StringNotEqualsIgnoreCase   | s3:x-amz-acl                     | \"PRIVATE\"                  | public-read    | true",
        "StringLike                  | s3:prefix                        | \"home/*\"                   | home/alice/    | true",
        "StringLike                  | s3:prefix                        | \"home/*\"                   | Home/alice/    | false",
        "StringLike                  | s3:prefix                        | \"home/?\"                   | home/a         | true",
        "StringLike                  | s3:prefix                        | \"home/?\"                   | home/ab        | false",
        "StringLike                  | s3:prefix                        | [\"\",\"home/*\"]            | ``             | true",
        "StringLike                  | s3:prefix                        | \"home/*\"                   | -              | false",
        "StringNotLike               | s3:prefix                        | \"secret/*\"                 | home/x         | true",
        "StringNotLike               | s3:prefix                        | \"secret/*\"                 | secret/x       | false",
        "StringNotLike               | s3:prefix                        | \"secret/*\"                 | -              | true",
        "StringLikeIfExists          | s3:prefix                        | \"home/*\"                   | -              | true",
        "NumericEquals               | s3:max-keys                      | \"10\"                       | 10             | true",
        "NumericEquals               | s3:max-keys                      | \"10\"                       | 10.0           | true",
        "NumericEquals               | s3:max-keys                      | 10                           | 11             | false",
        "NumericNotEquals            | s3:max-keys                      | \"10\"                       | 11             | true",
        "NumericNotEquals            | s3:max-keys                      | \"10\"                       | 10             | false",
        "NumericNotEquals            | s3:max-keys                      | \"10\"                       | -              | true",
        "NumericLessThan             | s3:max-keys                      | \"10\"                       | 9              | true",
        "NumericLessThan             | s3:max-keys                      | \"10\"                       | 10             | false",
        "NumericLessThanEquals       | s3:max-keys                      | \"10\"                       | 10             | true",
        "NumericLessThanEquals       | s3:max-keys                      | \"10\"                       | 11             | false",
        "NumericGreaterThan          | s3:max-keys                      | \"10\"                       | 11             | true",
        "NumericGreaterThan          | s3:max-keys                      | \"10\"                       | 10             | false",
        "NumericGreaterThanEquals    | s3:max-keys                      | \"10\"                       | 10             | true",
        "NumericGreaterThanEquals    | s3:max-keys                      | \"10\"                       | 9              | false",
        "NumericLessThan             | s3:max-keys                      | \"10\"                       | ten            | false",
        "NumericLessThan             | s3:max-keys                      | \"10\"                       | -              | false",
        "NumericLessThanIfExists     | s3:max-keys                      | \"10\"                       | -              | true",
        "NumericLessThanIfExists     | s3:max-keys                      | \"10\"                       | 100            | false",
        "NumericLessThan             | s3:signatureAge                  | \"600000\"                   | 599999         | true",
        "DateEquals                  | aws:CurrentTime                  | \"2026-01-01T00:00:00Z\"     | 2026-01-01T00:00:00Z | true",
        "DateEquals                  | aws:CurrentTime                  | \"2026-01-01T00:00:00Z\"     | 2026-01-01T01:00:00+01:00 | true",
        "DateEquals                  | aws:CurrentTime                  | \"2026-01-01\"               | 2026-01-01T00:00:00Z | true",
        "DateNotEquals               | aws:CurrentTime                  | \"2026-01-01T00:00:00Z\"     | 2026-01-02T00:00:00Z | true",
        "DateNotEquals               | aws:CurrentTime                  | \"2026-01-01T00:00:00Z\"     | 2026-01-01T00:00:00Z | false",
        "DateLessThan                | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | 2026-06-29T23:59:59Z | true",
        "DateLessThan                | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | 2026-06-30T00:00:00Z | false",
        "DateLessThanEquals          | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | 2026-06-30T00:00:00Z | true",
        "DateGreaterThan             | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | 2026-07-01T00:00:00Z | true",
        "DateGreaterThan             | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | 2026-06-01T00:00:00Z | false",
        "DateGreaterThanEquals       | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | 2026-06-30T00:00:00Z | true",
        "DateGreaterThan             | aws:EpochTime                    | \"1782777600\"               | 1782777601     | true",
        "DateGreaterThan             | aws:CurrentTime                  | 1782777600                   | 2026-06-30T00:00:01Z | true",
        "DateLessThan                | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | yesterday      | false",
        "DateLessThan                | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | -              | false",
        "DateLessThanIfExists        | aws:CurrentTime                  | \"2026-06-30T00:00:00Z\"     | -              | true",
        "Bool                        | aws:SecureTransport              | \"true\"                     | true           | true",
        "Bool                        | aws:SecureTransport              | \"false\"                    | true           | false",
        "Bool                        | aws:SecureTransport              | false                        | false          | true",
        "Bool                        | aws:SecureTransport              | \"true\"                     | -              | false",
        "BoolIfExists                | aws:SecureTransport              | \"true\"                     | -              | true",
        "BinaryEquals                | s3:x-amz-meta-b                  | \"QmluYXJ5\"                 | QmluYXJ5       | true",
        "BinaryEquals                | s3:x-amz-meta-b                  | \"QmluYXJ5\"                 | QmluYXJ6       | false",
        "IpAddress                   | aws:SourceIp                     | \"203.0.113.0/24\"           | 203.0.113.9    | true",
        "IpAddress                   | aws:SourceIp                     | \"203.0.113.0/24\"           | 203.0.114.9    | false",
        "IpAddress                   | aws:SourceIp                     | \"203.0.113.7\"              | 203.0.113.7    | true",
        "IpAddress                   | aws:SourceIp                     | \"203.0.113.7/32\"           | 203.0.113.8    | false",
        "IpAddress                   | aws:SourceIp                     | \"10.0.0.0/8\"               | 10.255.1.1     | true",
        "IpAddress                   | aws:SourceIp                     | \"192.168.0.0/17\"           | 192.168.127.255 | true",
        "IpAddress                   | aws:SourceIp                     | \"192.168.0.0/17\"           | 192.168.128.0  | false",
        "IpAddress                   | aws:SourceIp                     | \"0.0.0.0/0\"                | 8.8.8.8        | true",
        "IpAddress                   | aws:SourceIp                     | \"2001:db8::/32\"            | 2001:db8:1::5  | true",
        "IpAddress                   | aws:SourceIp                     | \"2001:db8::/32\"            | 2001:db9::5    | false",
        "IpAddress                   | aws:SourceIp                     | \"2001:DB8::/32\"            | 2001:db8::1    | true",
        "IpAddress                   | aws:SourceIp                     | \"2001:db8::/32\"            | 203.0.113.9    | false",
        "IpAddress                   | aws:SourceIp                     | \"203.0.113.0/24\"           | 2001:db8::1    | false",
        "IpAddress                   | aws:SourceIp                     | \"203.0.113.0/24\"           | localhost      | false",
        "IpAddress                   | aws:SourceIp                     | \"203.0.113.0/24\"           | 203.0.113      | false",
        "IpAddress                   | aws:SourceIp                     | [\"10.0.0.0/8\",\"2001:db8::/32\"] | 2001:db8::9 | true",
        "IpAddress                   | aws:SourceIp                     | \"203.0.113.0/24\"           | -              | false",
        "NotIpAddress                | aws:SourceIp                     | \"203.0.113.0/24\"           | 198.51.100.1   | true",
        "NotIpAddress                | aws:SourceIp                     | \"203.0.113.0/24\"           | 203.0.113.1    | false",
        "NotIpAddress                | aws:SourceIp                     | \"203.0.113.0/24\"           | -              | true",
        "IpAddressIfExists           | aws:SourceIp                     | \"203.0.113.0/24\"           | -              | true",
        "ArnEquals                   | aws:PrincipalArn                 | \"arn:aws:iam::111122223333:user/alice\" | arn:aws:iam::111122223333:user/alice | true",
        "ArnEquals                   | aws:SourceArn                    | \"arn:aws:iam::111122223333:user/*\" | arn:aws:iam::111122223333:user/bob | true",
        "ArnLike                     | aws:SourceArn                    | \"arn:aws:iam::*:user/bob\"  | arn:aws:iam::444455556666:user/bob | true",
        "ArnLike                     | aws:SourceArn                    | \"arn:aws:iam::*:user/bob\"  | arn:aws:iam::444455556666:role/bob | false",
        "ArnLike                     | aws:SourceArn                    | \"arn:aws:s3:::bucket/*\"    | arn:aws:s3:::bucket/a:b/c | true",
        "ArnLike                     | aws:SourceArn                    | \"arn:aws:s3:::bucket/*\"    | not-an-arn     | false",
        "ArnLike                     | aws:SourceArn                    | \"arn:aws:*\"                | arn:aws:s3:::b | false",
        "ArnNotEquals                | aws:SourceArn                    | \"arn:aws:sns:eu-west-1:111122223333:t\" | arn:aws:sns:eu-west-1:111122223333:u | true",
        "ArnNotEquals                | aws:SourceArn                    | \"arn:aws:sns:eu-west-1:111122223333:t\" | arn:aws:sns:eu-west-1:111122223333:t | false",
        "ArnNotLike                  | aws:SourceArn                    | \"arn:aws:sns:*:111122223333:*\" | arn:aws:sns:us-east-1:111122223333:t | false",
        "ArnNotLike                  | aws:SourceArn                    | \"arn:aws:sns:*:111122223333:*\" | -          | true",
        "ArnLikeIfExists             | aws:SourceArn                    | \"arn:aws:sns:*:111122223333:*\" | -          | true",
        "Null                        | s3:x-amz-server-side-encryption  | \"true\"                     | -              | true",
        "Null                        | s3:x-amz-server-side-encryption  | \"true\"                     | AES256         | false",
        "Null                        | s3:x-amz-server-side-encryption  | \"false\"                    | AES256         | true",
        "Null                        | s3:x-amz-server-side-encryption  | \"false\"                    | -              | false",
        "Null                        | s3:x-amz-server-side-encryption  | true                         | -              | true",
        // multi-valued keys
        "ForAnyValue:StringEquals    | aws:TagKeys                      | [\"a\",\"b\"]                | c;b            | true",
        "ForAnyValue:StringEquals    | aws:TagKeys                      | [\"a\",\"b\"]                | c;d            | false",
        "ForAnyValue:StringEquals    | aws:TagKeys                      | [\"a\",\"b\"]                | -              | false",
        "ForAllValues:StringEquals   | aws:TagKeys                      | [\"a\",\"b\"]                | a;b            | true",
        "ForAllValues:StringEquals   | aws:TagKeys                      | [\"a\",\"b\"]                | a;c            | false",
        "ForAllValues:StringEquals   | aws:TagKeys                      | [\"a\",\"b\"]                | -              | true",
        "ForAllValues:StringLike     | aws:TagKeys                      | \"team-*\"                   | team-a;team-b  | true",
        "ForAnyValue:StringNotEquals | aws:TagKeys                      | [\"a\",\"b\"]                | a;c            | true",
        "ForAnyValue:StringNotEquals | aws:TagKeys                      | [\"a\",\"b\"]                | a;b            | false",
        "ForAllValues:StringNotEquals| aws:TagKeys                      | [\"a\",\"b\"]                | c;d            | true",
        "ForAllValues:StringNotEquals| aws:TagKeys                      | [\"a\",\"b\"]                | c;a            | false",
        "ForAnyValue:StringEqualsIfExists | aws:TagKeys                 | [\"a\"]                      | -              | true",
        "ForAnyValue:NumericGreaterThan | s3:max-keys                   | \"5\"                        | 1;9            | true",
        "ForAllValues:NumericGreaterThan | s3:max-keys                  | \"5\"                        | 1;9            | false",
        // keys are case-insensitive, values case-sensitive
        "StringEquals                | S3:X-AMZ-SERVER-SIDE-ENCRYPTION  | \"AES256\"                   | AES256         | true",
        // the principal's own keys, added by the evaluator
        "StringEquals                | aws:PrincipalAccount             | \"111122223333\"             | 999999999999   | true",
        "StringEquals                | aws:username                     | \"alice\"                    | -              | true",
        "StringEquals                | aws:PrincipalType                | \"User\"                     | -              | true",
        "ArnEquals                   | aws:PrincipalArn                 | \"arn:aws:iam::111122223333:user/bob\" | - | false",
        // policy variables in condition values
        "StringLike                  | s3:prefix                        | \"home/${aws:username}/*\"  | home/alice/x   | true",
        "StringLike                  | s3:prefix                        | \"home/${aws:username}/*\"  | home/bob/x     | false",
        "StringEquals                | s3:prefix                        | \"${*}\"                     | *              | true",
        "StringLike                  | s3:prefix                        | \"a${*}\"                    | ab             | false",
        "StringLike                  | s3:prefix                        | \"a${*}\"                    | a*             | true",
        "StringLike                  | s3:prefix                        | \"a${?}\"                    | ab             | false",
        "StringEquals                | s3:prefix                        | \"${$}5\"                    | $5             | true",
        "StringEquals                | s3:prefix                        | \"${aws:userid, 'none'}\"    | none           | true",
        "StringEquals                | s3:prefix                        | \"${s3:delimiter}\"          | x              | false",
    })
    void operatorHolds(String operator, String key, String values, String request, boolean holds) {
        assertEquals(holds, applies(operator, key, values, request));
    }
}
