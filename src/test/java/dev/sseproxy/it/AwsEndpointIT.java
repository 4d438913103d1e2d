package dev.sseproxy.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.auth.SigV4Signer;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.parsing.Parser;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One AWS endpoint (issue 12, item 6), over the wire with REST Assured against the S3 port: KMS and
 * CloudTrail (JSON 1.1), STS {@code GetCallerIdentity} and IAM (query protocol) are dispatched by the
 * SigV4 credential scope's service (and {@code X-Amz-Target}) beside S3, with each protocol's error
 * shapes: unknown service, unknown action, bad signature, oversized body.
 */
class AwsEndpointIT {
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    /** Bodies are sent as given (the signature covers their bytes): no charset appended, x-amz-json as text. */
    private static final RestAssuredConfig RAW = RestAssured.config().encoderConfig(
            EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)
                    .encodeContentTypeAs(JSON_11, ContentType.TEXT));

    static ProxyProcess proxy;
    static URI s3;
    static String[] account;

    @BeforeAll
    static void setUp() {
        RestAssured.registerParser(JSON_11, Parser.JSON);
        proxy = ProxyProcess.get();
        s3 = proxy.endpoint();
        account = proxy.newAccount("endpoint-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A request to the S3 port signed for {@code service} with the test account's key (or another secret). */
    static RequestSpecification signed(String service, String method, String query, String contentType,
            Map<String, String> extra, byte[] body, String secret) {
        Map<String, String> headers = new TreeMap<>(extra);
        headers.put("host", s3.getHost() + ":" + s3.getPort());
        if (contentType != null) {
            headers.put("content-type", contentType);
        }
        Map<String, String> auth = SigV4Signer.sign(method, "/", query, headers, ProxyProcess.sha256Hex(body),
                account[1], secret, "us-east-1", service, Instant.now());
        RequestSpecification spec = given().config(RAW).baseUri(s3.toString())
                .body(new String(body, StandardCharsets.ISO_8859_1));
        headers.forEach((k, v) -> {
            if (!k.equals("host")) {
                spec.header(k, v);
            }
        });
        auth.forEach(spec::header);
        return spec;
    }

    static Response json(String service, String target, String body) {
        return signed(service, "POST", null, JSON_11, Map.of("x-amz-target", target),
                body.getBytes(StandardCharsets.UTF_8), account[2]).post("/");
    }

    static Response query(String service, String form) {
        return signed(service, "POST", null, FORM, Map.of(), form.getBytes(StandardCharsets.UTF_8), account[2])
                .post("/");
    }

    @Test
    void kmsCreateKeyAndListKeysOnTheS3Port() {
        String keyId = json("kms", "TrentService.CreateKey", "{\"Description\":\"one endpoint\"}")
                .then().statusCode(200).contentType(JSON_11)
                .body("KeyMetadata.Arn", startsWith("arn:aws:kms:us-east-1:" + account[0] + ":key/"))
                .body("KeyMetadata.Description", equalTo("one endpoint"))
                .extract().path("KeyMetadata.KeyId");
        json("kms", "TrentService.ListKeys", "{}").then().statusCode(200)
                .body("Keys.KeyId", hasItem(keyId));
    }

    @Test
    void cloudTrailLookupEventsOnTheS3Port() {
        json("kms", "TrentService.ListAliases", "{}").then().statusCode(200);
        json("cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
                "{\"MaxResults\":5}")
                .then().statusCode(200).contentType(JSON_11).body("Events", not(equalTo(null)));
        json("cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.CreateTrail", "{}")
                .then().statusCode(400).header("x-amzn-ErrorType", "UnknownOperationException")
                .body("__type", equalTo("UnknownOperationException"));
    }

    @Test
    void stsGetCallerIdentityForAnAccountsRootKey() {
        Response r = query("sts", "Action=GetCallerIdentity&Version=2011-06-15");
        r.then().statusCode(200).contentType(containsString("text/xml"))
                .body("GetCallerIdentityResponse.GetCallerIdentityResult.Account", equalTo(account[0]))
                .body("GetCallerIdentityResponse.GetCallerIdentityResult.UserId", equalTo(account[0]))
                .body("GetCallerIdentityResponse.GetCallerIdentityResult.Arn",
                        equalTo("arn:aws:iam::" + account[0] + ":root"))
                .body("GetCallerIdentityResponse.ResponseMetadata.RequestId", equalTo(r.header("x-amzn-RequestId")));
        assertTrue(r.asString().contains("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
                r.asString());
        // GET with the parameters in the query works too
        signed("sts", "GET", "Action=GetCallerIdentity&Version=2011-06-15", null, Map.of(), new byte[0], account[2])
                .get("/?Action=GetCallerIdentity&Version=2011-06-15")
                .then().statusCode(200).body("GetCallerIdentityResponse.GetCallerIdentityResult.Account",
                        equalTo(account[0]));
    }

    @Test
    void iamAnswersInvalidActionForActionsItDoesNotServe() {
        // an action not (yet) served; the framework answers as AWS's query protocol does
        Response r = query("iam", "Action=NoSuchThing&Version=2010-05-08");
        r.then().statusCode(400).contentType(containsString("text/xml"))
                .body("ErrorResponse.Error.Type", equalTo("Sender"))
                .body("ErrorResponse.Error.Code", equalTo("InvalidAction"))
                .body("ErrorResponse.Error.Message", equalTo("Could not find operation NoSuchThing for version 2010-05-08"))
                .body("ErrorResponse.RequestId", equalTo(r.header("x-amzn-RequestId")));
        assertTrue(r.asString().contains("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"),
                r.asString());
        query("sts", "Version=2011-06-15").then().statusCode(400).body("ErrorResponse.Error.Code", equalTo("MissingAction"));
        query("sts", "Action=GetCallerIdentity&Version=2010-05-08").then().statusCode(400)
                .body("ErrorResponse.Error.Message", equalTo("Could not find operation GetCallerIdentity for version 2010-05-08"));
    }

    @Test
    void unknownServicesGetTheirProtocolsError() {
        json("dynamodb", "DynamoDB_20120810.ListTables", "{}").then().statusCode(400).contentType(JSON_11)
                .header("x-amzn-ErrorType", "UnknownOperationException")
                .body("__type", equalTo("UnknownOperationException"))
                .body("message", containsString("dynamodb"));
        query("sqs", "Action=ListQueues&Version=2012-11-05").then().statusCode(400)
                .body("ErrorResponse.Error.Code", equalTo("InvalidAction"))
                .body("ErrorResponse.Error.Type", equalTo("Sender"));
        // unsigned JSON with a KMS target is KMS's, and KMS says the token is missing
        given().config(RAW).baseUri(s3.toString()).contentType(JSON_11).header("X-Amz-Target", "TrentService.ListKeys")
                .body("{}").post("/").then().statusCode(400)
                .body("__type", equalTo("MissingAuthenticationTokenException"));
    }

    @Test
    void badSignaturesAreRefusedInEachProtocol() {
        signed("kms", "POST", null, JSON_11, Map.of("x-amz-target", "TrentService.ListKeys"),
                "{}".getBytes(StandardCharsets.UTF_8), "wrong-secret").post("/")
                .then().statusCode(400).body("__type", equalTo("InvalidSignatureException"));
        signed("sts", "POST", null, FORM, Map.of(), "Action=GetCallerIdentity&Version=2011-06-15"
                .getBytes(StandardCharsets.UTF_8), "wrong-secret").post("/")
                .then().statusCode(403).body("ErrorResponse.Error.Code", equalTo("SignatureDoesNotMatch"));
        // the body is what was signed: a different body breaks the signature
        Map<String, String> headers = new TreeMap<>(Map.of("host", s3.getHost() + ":" + s3.getPort(),
                "content-type", FORM));
        Map<String, String> auth = SigV4Signer.sign("POST", "/", null, headers,
                ProxyProcess.sha256Hex("Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8)),
                account[1], account[2], "us-east-1", "sts", Instant.now());
        RequestSpecification spec = given().config(RAW).baseUri(s3.toString()).contentType(FORM)
                .body("Action=GetCallerIdentity&Version=2011-06-16");
        auth.forEach(spec::header);
        spec.post("/").then().statusCode(403).body("ErrorResponse.Error.Code", equalTo("SignatureDoesNotMatch"));
        // an unknown access key
        Map<String, String> unknown = SigV4Signer.sign("POST", "/", null, headers,
                ProxyProcess.sha256Hex("Action=GetCallerIdentity".getBytes(StandardCharsets.UTF_8)),
                "AKIDNOSUCHKEY", account[2], "us-east-1", "sts", Instant.now());
        RequestSpecification u = given().config(RAW).baseUri(s3.toString()).contentType(FORM).body("Action=GetCallerIdentity");
        unknown.forEach(u::header);
        u.post("/").then().statusCode(403).body("ErrorResponse.Error.Code", equalTo("InvalidClientTokenId"));
    }

    @Test
    void bodiesOverOneMebibyteAreRefusedBeforeAuthentication() {
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        signed("kms", "POST", null, JSON_11, Map.of("x-amz-target", "TrentService.ListKeys"), big, account[2])
                .post("/").then().statusCode(413).header("x-amzn-ErrorType", "RequestEntityTooLarge")
                .body("__type", equalTo("RequestEntityTooLarge"));
        // streamed (chunked) past the limit
        given().config(RAW).baseUri(s3.toString()).contentType("application/octet-stream")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + account[1]
                        + "/20261206/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00")
                .body(new ByteArrayInputStream(new byte[2 * 1024 * 1024])).post("/")
                .then().statusCode(413).body("ErrorResponse.Error.Code", equalTo("RequestEntityTooLarge"));
        // exactly 1 MiB is read and reaches KMS, which finds it is no JSON object
        byte[] limit = new byte[1024 * 1024];
        java.util.Arrays.fill(limit, (byte) ' ');
        json("kms", "TrentService.ListKeys", new String(limit, StandardCharsets.US_ASCII)).then().statusCode(400)
                .body("__type", equalTo("SerializationException"));
        // nothing is left held: the admission gauge is back to zero
        assertEquals(0.0, proxy.metric("sse_proxy_unauthenticated_requests"), 0.0);
        assertEquals(0.0, proxy.metric("sse_proxy_buffered_body_bytes"), 0.0);
    }

    @Test
    void s3IsUnchangedOnTheSamePort() {
        Map<String, String> headers = new TreeMap<>(Map.of("host", s3.getHost() + ":" + s3.getPort()));
        Map<String, String> auth = SigV4Signer.sign("GET", "/", null, headers, ProxyProcess.sha256Hex(new byte[0]),
                account[1], account[2], "us-east-1", "s3", Instant.now());
        RequestSpecification spec = given().config(RAW).baseUri(s3.toString());
        auth.forEach(spec::header);
        spec.get("/").then().statusCode(200).contentType(containsString("xml"))
                .body("ListAllMyBucketsResult.Owner.ID", not(equalTo(null)));
        // the re-route target is no S3 address: sent there directly, it is an S3 request for bucket "_aws"
        Map<String, String> auth2 = SigV4Signer.sign("POST", "/_aws/kms", null, headers,
                ProxyProcess.sha256Hex("{}".getBytes(StandardCharsets.UTF_8)), account[1], account[2], "us-east-1",
                "s3", Instant.now());
        RequestSpecification direct = given().config(RAW).baseUri(s3.toString()).contentType(JSON_11)
                .header("x-amz-target", "TrentService.ListKeys").body("{}");
        auth2.forEach(direct::header);
        Response r = direct.post("/_aws/kms");
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + r.asString());
        assertTrue(r.asString().contains("<Error><Code>"), r.asString());
        assertTrue(r.header("x-amz-request-id") != null, "an S3 answer");
    }
}
