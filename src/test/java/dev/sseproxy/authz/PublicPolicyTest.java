package dev.sseproxy.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which bucket policies are public, after S3's "The meaning of public" (the PublicAccessBlockConfiguration
 * reference lists it: a grant to everyone is not public when it is limited to CIDRs with aws:SourceIp or to
 * fixed values of aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount,
 * s3:x-amz-server-side-encryption-aws-kms-key-id or aws:userid).
 */
class PublicPolicyTest {

    static String policy(String principal, String condition) {
        return ("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':" + principal
                + ",'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'"
                + (condition.isEmpty() ? "" : ",'Condition':" + condition) + "}]}").replace('\'', '"');
    }

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // principal                                       | condition                                                      | public
        "'*'                                               | ``                                                              | true",
        "{'AWS':'*'}                                       | ``                                                              | true",
        "{'AWS':['111122223333','*']}                      | ``                                                              | true",
        "{'AWS':'111122223333'}                            | ``                                                              | false",
        "{'AWS':'arn:aws:iam::111122223333:user/alice'}    | ``                                                              | false",
        "{'Service':'logging.s3.amazonaws.com'}            | ``                                                              | false",
        "'*'                                               | {'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}                 | false",
        "'*'                                               | {'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}                     | false",
        "'*'                                               | {'IpAddress':{'aws:SourceIp':'10.0.0.0/7'}}                     | true",
        "'*'                                               | {'IpAddress':{'aws:SourceIp':'0.0.0.0/0'}}                      | true",
        "'*'                                               | {'IpAddress':{'aws:SourceIp':'2001:db8::/32'}}                  | false",
        "'*'                                               | {'IpAddress':{'aws:SourceIp':'::/0'}}                           | true",
        "'*'                                               | {'IpAddress':{'aws:SourceIp':['203.0.113.0/24','0.0.0.0/0']}}   | true",
        "'*'                                               | {'NotIpAddress':{'aws:SourceIp':'203.0.113.0/24'}}              | true",
        "'*'                                               | {'IpAddressIfExists':{'aws:SourceIp':'203.0.113.0/24'}}         | true",
        "'*'                                               | {'StringEquals':{'aws:SourceAccount':'111122223333'}}           | false",
        "'*'                                               | {'StringEquals':{'aws:SourceVpce':'vpce-1a2b3c4d'}}             | false",
        "'*'                                               | {'StringEquals':{'aws:SourceVpc':'vpc-111bbb22'}}               | false",
        "'*'                                               | {'StringEquals':{'aws:SourceOwner':'111122223333'}}             | false",
        "'*'                                               | {'ArnEquals':{'aws:SourceArn':'arn:aws:cloudfront::111122223333:distribution/E1'}} | false",
        "'*'                                               | {'ArnLike':{'aws:SourceArn':'arn:aws:cloudfront::111122223333:*'}} | true",
        "'*'                                               | {'StringEquals':{'aws:PrincipalAccount':'111122223333'}}        | false",
        "'*'                                               | {'StringEquals':{'aws:PrincipalOrgID':'o-abc'}}                 | false",
        "'*'                                               | {'StringEquals':{'aws:userid':'AIDAEXAMPLE'}}                   | false",
        "'*'                                               | {'StringLike':{'aws:userid':'AROLEID:*'}}                       | true",
        "'*'                                               | {'StringEquals':{'s3:x-amz-server-side-encryption-aws-kms-key-id':'arn:aws:kms:eu-west-1:111122223333:key/k'}} | false",
        "'*'                                               | {'StringEquals':{'s3:x-amz-server-side-encryption':'AES256'}}   | true",
        "'*'                                               | {'StringNotEquals':{'aws:SourceAccount':'111122223333'}}        | true",
        "'*'                                               | {'StringEqualsIfExists':{'aws:SourceAccount':'111122223333'}}   | true",
        "'*'                                               | {'ForAllValues:StringEquals':{'aws:SourceAccount':'111122223333'}} | true",
        "'*'                                               | {'StringEquals':{'aws:SourceAccount':'${aws:PrincipalAccount}'}} | true",
        "'*'                                               | {'Bool':{'aws:SecureTransport':'true'}}                         | true",
    })
    void publicAsS3Defines(String principal, String condition, boolean isPublic) {
        assertEquals(isPublic, Policy.bucketPolicy(policy(principal.replace('\'', '"'), condition), "b").isPublic());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "a Deny to everyone is not a grant | {'Statement':{'Effect':'Deny','Principal':'*','Action':'s3:*','Resource':'arn:aws:s3:::b/*'}} | false",
        "NotPrincipal allow is public      | {'Statement':{'Effect':'Allow','NotPrincipal':{'AWS':'111122223333'},'Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*'}} | true",
        "one public statement among many   | {'Statement':[{'Effect':'Allow','Principal':{'AWS':'111122223333'},'Action':'s3:*','Resource':'arn:aws:s3:::b/*'},{'Effect':'Allow','Principal':'*','Action':'s3:ListBucket','Resource':'arn:aws:s3:::b'}]} | true",
    })
    void publicStatements(String name, String doc, boolean isPublic) {
        assertEquals(isPublic, Policy.bucketPolicy(doc.replace('\'', '"'), "b").isPublic(), name);
    }
}
