package dev.sseproxy.it;

import static dev.sseproxy.it.NegativeIT.MSG_MALFORMED_XML;
import static dev.sseproxy.it.NegativeIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.it.RawHttp.Req;
import dev.sseproxy.it.RawHttp.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionConfiguration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * Bucket default encryption ({@code PUT / GET / DELETE ?encryption}, spec §1) end to end, with the SDK
 * and with raw requests where the SDK cannot send the case. The test proxy runs in the default era,
 * {@code 2026-04}. Tests named {@code bNN_} are the spec's §12 behaviours.
 */
class BucketEncryptionIT {
    static final String ROOT_ACCOUNT = "000000000001";
    static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    static S3Client s3;
    static S3Client otherS3;

    @BeforeAll
    static void setUp() {
        s3 = Clients.sdk();
        String[] other = ProxyProcess.get().newAccount("enc-other-" + UUID.randomUUID().toString().substring(0, 8));
        otherS3 = Clients.sdk(ProxyProcess.get().endpoint(), other[1], other[2]);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        otherS3.close();
    }

    // ---- helpers ----

    static String newBucket(String prefix) {
        return Clients.newBucket(s3, prefix);
    }

    static ServerSideEncryptionRule rule(String algorithm, String keyId, Boolean bucketKey) {
        return ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(algorithm)
                .kmsMasterKeyID(keyId)).bucketKeyEnabled(bucketKey).build();
    }

    static void put(String bucket, ServerSideEncryptionRule... rules) {
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rules)));
    }

    static ServerSideEncryptionRule get(String bucket) {
        ServerSideEncryptionConfiguration c = s3.getBucketEncryption(b -> b.bucket(bucket))
                .serverSideEncryptionConfiguration();
        assertEquals(1, c.rules().size(), c::toString);
        return c.rules().get(0);
    }

    static void assertDefault(ServerSideEncryptionRule r) {
        assertEquals(ServerSideEncryption.AES256, r.applyServerSideEncryptionByDefault().sseAlgorithm(), r::toString);
        assertNull(r.applyServerSideEncryptionByDefault().kmsMasterKeyID(), r::toString);
        assertEquals(Boolean.FALSE, r.bucketKeyEnabled(), r::toString);
        assertEquals(List.of(EncryptionType.SSE_C), r.blockedEncryptionTypes().encryptionType(), r::toString);
    }

    static String doc(String rules) {
        return "<ServerSideEncryptionConfiguration" + NS + ">" + rules + "</ServerSideEncryptionConfiguration>";
    }

    static final String AES256_RULE = "<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
            + "</ApplyServerSideEncryptionByDefault></Rule>";

    static String crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    static String md5(byte[] b) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(b));
    }

    static Response raw(String method, String bucket, String body, String... headers) throws Exception {
        Req req = Req.of(method, "/" + bucket, "encryption").body(body);
        for (int i = 0; i < headers.length; i += 2) {
            req.header(headers[i], headers[i + 1]);
        }
        return req.sign().send();
    }

    // ---- spec §12 ----

    @Test
    void b01_freshBucketReportsSseS3Default() throws Exception {
        String bucket = newBucket("enc-fresh");
        assertDefault(get(bucket));

        Response r = raw("GET", bucket, "");
        assertEquals(200, r.status(), r::toString);
        assertEquals("application/xml", r.header("content-type"));
        assertTrue(r.text().contains("<ServerSideEncryptionConfiguration" + NS + ">"), r::toString);
        assertTrue(r.text().contains("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled><BlockedEncryptionTypes>"
                + "<EncryptionType>SSE-C</EncryptionType></BlockedEncryptionTypes></Rule>"), r::toString);
    }

    @Test
    void b02_zeroOrTwoRulesAreMalformedXml() throws Exception {
        String bucket = newBucket("enc-rules");
        S3Exception two = assertThrows(S3Exception.class, () -> put(bucket, rule("AES256", null, null),
                rule("aws:kms", null, null)));
        NegativeIT.assertError(two, 400, "MalformedXML", MSG_MALFORMED_XML);
        S3Exception zero = assertThrows(S3Exception.class, () -> put(bucket));
        NegativeIT.assertError(zero, 400, "MalformedXML", MSG_MALFORMED_XML);
        byte[] empty = doc("").getBytes(StandardCharsets.UTF_8);
        assertError(raw("PUT", bucket, doc(""), "Content-MD5", md5(empty)), 400, "MalformedXML", MSG_MALFORMED_XML);
        assertDefault(get(bucket));
    }

    @Test
    void b03_aes256WithKmsKeyIsInvalidArgument() throws Exception {
        String bucket = newBucket("enc-aeskey");
        S3Exception e = assertThrows(S3Exception.class, () -> put(bucket, rule("AES256", UUID.randomUUID().toString(), null)));
        NegativeIT.assertError(e, 400, "InvalidArgument",
                "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");

        String body = doc("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                + "<KMSMasterKeyID>alias/x</KMSMasterKeyID></ApplyServerSideEncryptionByDefault></Rule>");
        Response r = raw("PUT", bucket, body, "Content-MD5", md5(body.getBytes(StandardCharsets.UTF_8)));
        assertError(r, 400, "InvalidArgument", null);
        assertEquals("ApplyServerSideEncryptionByDefault", r.element("ArgumentName"), r::toString);
    }

    @Test
    void b04_putWithOnlyACrc32ChecksumSucceedsWithAnEmptyBody() throws Exception {
        String bucket = newBucket("enc-crc");
        byte[] body = doc("<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm>"
                + "</ApplyServerSideEncryptionByDefault></Rule>").getBytes(StandardCharsets.UTF_8);
        Response r = Req.of("PUT", "/" + bucket, "encryption").header("x-amz-sdk-checksum-algorithm", "CRC32")
                .header("x-amz-checksum-crc32", crc32(body)).body(body).sign().send();
        assertEquals(200, r.status(), r::toString);
        assertEquals("0", r.header("content-length"), r::toString);
        assertEquals(0, r.body().length);
        assertEquals(ServerSideEncryption.AWS_KMS, get(bucket).applyServerSideEncryptionByDefault().sseAlgorithm());

        // the SDK itself (2.30+) sends a CRC32 checksum and no Content-MD5
        put(bucket, rule("AES256", null, null));
        assertEquals(ServerSideEncryption.AES256, get(bucket).applyServerSideEncryptionByDefault().sseAlgorithm());
    }

    @Test
    void b05_unknownKmsKeyIsAcceptedAndFailsTheNextPut() {
        String bucket = newBucket("enc-nokey");
        String key = UUID.randomUUID().toString();
        put(bucket, rule("aws:kms", key, null));
        assertEquals(key, get(bucket).applyServerSideEncryptionByDefault().kmsMasterKeyID());
        S3Exception e = assertThrows(S3Exception.class,
                () -> s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("data")));
        NegativeIT.assertError(e, 400, "KMS.NotFoundException",
                "Key 'arn:aws:kms:us-east-1:" + ROOT_ACCOUNT + ":key/" + key + "' does not exist");
    }

    @Test
    void b06_deleteTwiceIs204AndLeavesTheDefault() throws Exception {
        String bucket = newBucket("enc-del");
        put(bucket, rule("aws:kms", "alias/whatever", true));
        for (int i = 0; i < 2; i++) {
            Response r = raw("DELETE", bucket, "");
            assertEquals(204, r.status(), r::toString);
            assertEquals(0, r.body().length);
        }
        s3.deleteBucketEncryption(b -> b.bucket(bucket));
        assertDefault(get(bucket));
    }

    @Test
    void b07_missingBucketIsNoSuchBucketEvenWithAnInvalidBody() throws Exception {
        String bucket = Clients.bucketName("enc-missing");
        for (Response r : List.of(raw("GET", bucket, ""), raw("DELETE", bucket, ""),
                raw("PUT", bucket, "this is not xml", "Content-MD5", "not-base64!"),
                raw("PUT", bucket, doc(AES256_RULE + AES256_RULE)))) {
            assertError(r, 404, "NoSuchBucket", "The specified bucket does not exist");
            assertEquals(bucket, r.element("BucketName"), r::toString);
        }
        assertThrows(NoSuchBucketException.class, () -> get(bucket));
    }

    // ---- more of §1 ----

    @Test
    void kmsMasterKeyIdIsEchoedExactlyAsSent() {
        String bucket = newBucket("enc-echo");
        String uuid = UUID.randomUUID().toString();
        for (String key : List.of(uuid, "arn:aws:kms:us-east-1:" + ROOT_ACCOUNT + ":key/" + uuid, "alias/payments",
                "arn:aws:kms:us-east-1:" + ROOT_ACCOUNT + ":alias/payments")) {
            put(bucket, rule("aws:kms", key, null));
            ServerSideEncryptionRule r = get(bucket);
            assertEquals(key, r.applyServerSideEncryptionByDefault().kmsMasterKeyID());
            assertEquals(Boolean.FALSE, r.bucketKeyEnabled());
        }
        put(bucket, rule("aws:kms:dsse", uuid, null));
        assertEquals(ServerSideEncryption.AWS_KMS_DSSE, get(bucket).applyServerSideEncryptionByDefault().sseAlgorithm());
        assertEquals(uuid, get(bucket).applyServerSideEncryptionByDefault().kmsMasterKeyID());
    }

    @Test
    void kmsWithoutKeyHasNoKeyElement() throws Exception {
        String bucket = newBucket("enc-nokeyid");
        put(bucket, rule("aws:kms", null, true));
        Response r = raw("GET", bucket, "");
        assertEquals(200, r.status(), r::toString);
        assertFalse(r.text().contains("KMSMasterKeyID"), r::toString);
        assertTrue(r.text().contains("<BucketKeyEnabled>true</BucketKeyEnabled>"), r::toString);
    }

    @Test
    void aes256WithBucketKeyIsAcceptedAndReadBack() {
        String bucket = newBucket("enc-aesbk");
        put(bucket, rule("AES256", null, true));
        ServerSideEncryptionRule r = get(bucket);
        assertEquals(ServerSideEncryption.AES256, r.applyServerSideEncryptionByDefault().sseAlgorithm());
        assertEquals(Boolean.TRUE, r.bucketKeyEnabled());
    }

    @Test
    void ruleWithOnlyBlockedEncryptionTypesNoneAllowsSseCAndKeepsSseS3() {
        String bucket = newBucket("enc-none");
        put(bucket, ServerSideEncryptionRule.builder().blockedEncryptionTypes(b -> b.encryptionType(EncryptionType.NONE))
                .build());
        ServerSideEncryptionRule r = get(bucket);
        assertEquals(ServerSideEncryption.AES256, r.applyServerSideEncryptionByDefault().sseAlgorithm());
        assertEquals(List.of(EncryptionType.NONE), r.blockedEncryptionTypes().encryptionType());

        // a later PUT without a block list and DeleteBucketEncryption both keep it
        put(bucket, rule("aws:kms", null, null));
        assertEquals(List.of(EncryptionType.NONE), get(bucket).blockedEncryptionTypes().encryptionType());
        s3.deleteBucketEncryption(b -> b.bucket(bucket));
        r = get(bucket);
        assertEquals(ServerSideEncryption.AES256, r.applyServerSideEncryptionByDefault().sseAlgorithm());
        assertEquals(List.of(EncryptionType.NONE), r.blockedEncryptionTypes().encryptionType());
    }

    @Test
    void unsupportedAlgorithmsAreMalformedXml() {
        String bucket = newBucket("enc-alg");
        for (String alg : List.of("aws:fsx", "aws:backup", "AES128")) {
            S3Exception e = assertThrows(S3Exception.class, () -> put(bucket, rule(alg, null, null)));
            NegativeIT.assertError(e, 400, "MalformedXML", MSG_MALFORMED_XML);
        }
    }

    @Test
    void integrityHeadersAreVerifiedAndOptional() throws Exception {
        String bucket = newBucket("enc-digest");
        byte[] body = doc(AES256_RULE).getBytes(StandardCharsets.UTF_8);
        assertError(raw("PUT", bucket, doc(AES256_RULE), "Content-MD5", md5("other".getBytes(StandardCharsets.UTF_8))),
                400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        assertError(raw("PUT", bucket, doc(AES256_RULE), "Content-MD5", "not-base64!"), 400, "InvalidDigest", null);
        assertError(raw("PUT", bucket, doc(AES256_RULE), "x-amz-checksum-crc32", crc32(new byte[] {1})),
                400, "BadDigest", "The CRC32 you specified did not match the calculated checksum.");
        assertEquals(200, raw("PUT", bucket, doc(AES256_RULE), "Content-MD5", md5(body)).status());
        // neither header: accepted (spec §1.4, lenient)
        Response r = raw("PUT", bucket, doc(AES256_RULE));
        assertEquals(200, r.status(), r::toString);
        // a well-formed body without namespace, elements in another order
        r = raw("PUT", bucket, "<ServerSideEncryptionConfiguration><Rule><BucketKeyEnabled>true</BucketKeyEnabled>"
                + "<ApplyServerSideEncryptionByDefault><KMSMasterKeyID>alias/a</KMSMasterKeyID><SSEAlgorithm>aws:kms"
                + "</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>");
        assertEquals(200, r.status(), r::toString);
        assertEquals("alias/a", get(bucket).applyServerSideEncryptionByDefault().kmsMasterKeyID());
        assertError(raw("PUT", bucket, "<ServerSideEncryptionConfiguration><Rule>"), 400, "MalformedXML", MSG_MALFORMED_XML);
    }

    @Test
    void deletedAndRecreatedBucketStartsFromTheDefault() {
        String bucket = newBucket("enc-recreate");
        put(bucket, ServerSideEncryptionRule.builder().applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("aws:kms")
                .kmsMasterKeyID("alias/x")).bucketKeyEnabled(true)
                .blockedEncryptionTypes(b -> b.encryptionType(EncryptionType.NONE)).build());
        assertEquals("alias/x", get(bucket).applyServerSideEncryptionByDefault().kmsMasterKeyID());
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.createBucket(b -> b.bucket(bucket));
        assertDefault(get(bucket));
    }

    @Test
    void anotherAccountGetsAccessDenied() throws Exception {
        String bucket = newBucket("enc-owner");
        put(bucket, rule("aws:kms", "alias/mine", null));
        List<Runnable> calls = List.of(
                () -> otherS3.getBucketEncryption(b -> b.bucket(bucket)),
                () -> otherS3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(
                        c -> c.rules(rule("AES256", null, null)))),
                () -> otherS3.deleteBucketEncryption(b -> b.bucket(bucket)),
                () -> s3.getBucketEncryption(b -> b.bucket(bucket).expectedBucketOwner("999999999999")));
        for (Runnable call : calls) {
            S3Exception e = assertThrows(S3Exception.class, call::run);
            NegativeIT.assertError(e, 403, "AccessDenied", "Access Denied");
        }
        assertEquals("alias/mine", get(bucket).applyServerSideEncryptionByDefault().kmsMasterKeyID());
        s3.getBucketEncryption(b -> b.bucket(bucket).expectedBucketOwner(ROOT_ACCOUNT));
    }
}
