package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sseproxy.it.SseObjectsIT.CKey;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The audit trail end to end (issue 6): requests through the proxy, events read back with the AWS
 * SDK's own CloudTrail client (LookupEvents on the management port) and the AWS CLI.
 */
class AuditTrailIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static S3Client s3;
    static S3Client tls;
    static CloudTrailClient trail;
    static ProxyProcess proxy;

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.get();
        s3 = Clients.sdk();
        tls = Clients.tlsSdk();
        trail = cloudTrail(proxy.managementEndpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        tls.close();
        trail.close();
    }

    static String newBucket(String prefix) {
        return Clients.newBucket(s3, prefix);
    }

    /** A bucket that accepts SSE-C writes (the default era blocks them). */
    static String sseCBucket(String prefix) {
        return Clients.sseCBucket(s3, prefix);
    }

    static void bucketDefault(String bucket, String alg, String keyId, Boolean bucketKey) {
        s3.putBucketEncryption(x -> x.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                BucketEncryptionIT.rule(alg, keyId, bucketKey))));
    }

    static CloudTrailClient cloudTrail(URI endpoint, String accessKey, String secretKey) {
        return CloudTrailClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Every event LookupEvents finds for one attribute (all pages). */
    static List<Event> lookup(CloudTrailClient client, LookupAttributeKey key, String value) {
        List<Event> all = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            LookupEventsResponse r = client.lookupEvents(b -> b.lookupAttributes(
                    LookupAttribute.builder().attributeKey(key).attributeValue(value).build()).nextToken(t));
            all.addAll(r.events());
            token = r.nextToken();
        } while (token != null);
        return all;
    }

    /**
     * The events for one attribute that match, waiting (up to 15 s) until {@code count} are there: the
     * writer flushes every second.
     */
    static List<Event> await(LookupAttributeKey key, String value, Predicate<Event> match, int count) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<Event> found;
        do {
            found = lookup(trail, key, value).stream().filter(match).toList();
            if (found.size() >= count) {
                return found;
            }
            ProxyProcess.sleep(200);
        } while (System.nanoTime() < deadline);
        return found;
    }

    static JsonNode record(Event e) {
        try {
            return JSON.readTree(e.cloudTrailEvent());
        } catch (Exception x) {
            throw new AssertionError(x);
        }
    }

    static Predicate<Event> named(String name) {
        return e -> name.equals(e.eventName());
    }

    static String objectArn(String bucket, String key) {
        return "arn:aws:s3:::" + bucket + "/" + key;
    }

    /** The one event of {@code name} on an object, and its record. */
    static JsonNode oneObjectEvent(String bucket, String key, String name) {
        List<Event> found = await(LookupAttributeKey.RESOURCE_NAME, objectArn(bucket, key), named(name), 1);
        ProxyProcess.sleep(1500); // a second event would be written by now
        found = lookup(trail, LookupAttributeKey.RESOURCE_NAME, objectArn(bucket, key)).stream().filter(named(name))
                .toList();
        assertEquals(1, found.size(), () -> "events " + name + " on " + bucket + "/" + key);
        Event e = found.get(0);
        assertEquals("s3.amazonaws.com", e.eventSource());
        assertEquals(ProxyProcess.ROOT_ACCESS_KEY, e.accessKeyId());
        return record(e);
    }

    static void assertSseApplied(JsonNode r, String value) {
        assertEquals(value, r.path("additionalEventData").path("SSEApplied").asText(null), r.toString());
        assertEquals("Data", r.get("eventCategory").asText());
        assertFalse(r.get("managementEvent").asBoolean());
        assertEquals("1.11", r.get("eventVersion").asText());
        assertEquals("AwsApiCall", r.get("eventType").asText());
        assertEquals(ProxyProcess.ROOT_ACCESS_KEY, r.at("/userIdentity/accessKeyId").asText());
        assertFalse(r.toString().contains(ProxyProcess.ROOT_SECRET_KEY));
        assertFalse(r.toString().contains("Signature="), "no signature in " + r);
        assertFalse(r.toString().contains("Credential="), "no Authorization header in " + r);
    }

    // ---- the five SSEApplied values ---------------------------------------------------------------

    @Test
    void defaultSseS3IsRecordedWhenTheBucketDefaultEncrypts() {
        String bucket = newBucket("audit-dflt-s3");
        s3.putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("hello"));
        JsonNode r = oneObjectEvent(bucket, "a.txt", "PutObject");
        assertSseApplied(r, "Default_SSE_S3");
        assertEquals("AES256", r.at("/responseElements/x-amz-server-side-encryption").asText());
        assertEquals(bucket, r.at("/requestParameters/bucketName").asText());
        assertEquals("a.txt", r.at("/requestParameters/key").asText());
        assertTrue(r.at("/additionalEventData/bytesTransferredIn").asLong(-1) >= 5, "bytes in: " + r);
        assertFalse(r.at("/readOnly").asBoolean());
    }

    @Test
    void defaultSseKmsIsRecordedWithTheBucketKeyFlag() {
        String bucket = newBucket("audit-dflt-kms");
        bucketDefault(bucket, "aws:kms", null, true);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("hello"));
        JsonNode r = oneObjectEvent(bucket, "k", "PutObject");
        assertSseApplied(r, "Default_SSE_KMS");
        assertEquals("aws:kms", r.at("/responseElements/x-amz-server-side-encryption").asText());
        assertEquals("true", r.at("/responseElements/x-amz-server-side-encryption-bucket-key-enabled").asText());
        assertTrue(r.at("/responseElements/x-amz-server-side-encryption-aws-kms-key-id").asText().startsWith("arn:aws:kms:"));
        assertTrue(r.at("/requestParameters/x-amz-server-side-encryption").isMissingNode(), "no SSE header was sent");
    }

    @Test
    void sseS3IsRecordedWhenTheRequestAsksForIt() {
        String bucket = newBucket("audit-s3");
        bucketDefault(bucket, "aws:kms", null, false); // the request's header wins over the default
        s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString("hello"));
        JsonNode r = oneObjectEvent(bucket, "k", "PutObject");
        assertSseApplied(r, "SSE_S3");
        assertEquals("AES256", r.at("/requestParameters/x-amz-server-side-encryption").asText());
    }

    @Test
    void sseKmsIsRecordedWhenTheRequestAsksForItAndItsKmsCallToo() {
        String bucket = newBucket("audit-kms");
        s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .bucketKeyEnabled(false), RequestBody.fromString("hello"));
        JsonNode r = oneObjectEvent(bucket, "k", "PutObject");
        assertSseApplied(r, "SSE_KMS");
        assertEquals("aws:kms", r.at("/requestParameters/x-amz-server-side-encryption").asText());
        assertTrue(r.at("/responseElements/x-amz-server-side-encryption-bucket-key-enabled").isMissingNode(),
                "the bucket-key flag appears only when true");
        String keyArn = r.at("/responseElements/x-amz-server-side-encryption-aws-kms-key-id").asText();

        // without a bucket key the object's data key came from the KMS: a GenerateDataKey event with
        // the object's ARN in its encryption context, as AWS KMS records S3's calls
        List<Event> kmsEvents = await(LookupAttributeKey.RESOURCE_NAME, keyArn, e -> "GenerateDataKey".equals(e.eventName())
                && record(e).toString().contains(objectArn(bucket, "k")), 1);
        assertEquals(1, kmsEvents.size());
        JsonNode k = record(kmsEvents.get(0));
        assertEquals("kms.amazonaws.com", k.get("eventSource").asText());
        assertEquals(keyArn, k.at("/requestParameters/keyId").asText());
        assertEquals("AES_256", k.at("/requestParameters/keySpec").asText());
        assertEquals("s3.amazonaws.com", k.at("/userIdentity/invokedBy").asText());
        assertEquals(keyArn, k.at("/resources/0/ARN").asText());
        assertFalse(k.toString().contains("plaintext") || k.toString().contains("Plaintext"));

        // reading it decrypts the data key: a Decrypt event
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("k"));
        assertEquals(1, await(LookupAttributeKey.RESOURCE_NAME, keyArn, e -> "Decrypt".equals(e.eventName())
                && record(e).toString().contains(objectArn(bucket, "k")), 1).size());
    }

    @Test
    void sseCIsRecordedAndItsKeyNeverIs() throws Exception {
        String bucket = sseCBucket("audit-ssec");
        CKey k = CKey.random(61);
        tls.putObject(b -> SseObjectsIT.withKey(b.bucket(bucket).key("c"), k), RequestBody.fromString("secret"));
        JsonNode r = oneObjectEvent(bucket, "c", "PutObject");
        assertSseApplied(r, "SSE_C");
        assertEquals("AES256", r.at("/requestParameters/x-amz-server-side-encryption-customer-algorithm").asText());
        assertEquals("AES256", r.at("/responseElements/x-amz-server-side-encryption-customer-algorithm").asText());
        assertFalse(r.toString().contains(k.b64()), "the SSE-C key is never recorded");
        assertFalse(r.toString().contains(k.md5()), "nor its MD5 (the proxy stores neither)");
        assertTrue(r.at("/tlsDetails/tlsVersion").asText().startsWith("TLS"), r.toString());
        assertNotNull(r.at("/additionalEventData/CipherSuite").asText(null));
    }

    // ---- other events ---------------------------------------------------------------------------

    @Test
    void encryptionConfigurationCallsAreManagementEventsWithTheConfiguration() {
        String bucket = newBucket("audit-mgmt");
        bucketDefault(bucket, "aws:kms", "alias/aws/s3", true);
        s3.getBucketEncryption(b -> b.bucket(bucket));
        s3.deleteBucketEncryption(b -> b.bucket(bucket));
        List<Event> events = await(LookupAttributeKey.RESOURCE_NAME, bucket,
                e -> e.eventName().endsWith("BucketEncryption"), 3);
        assertEquals(Set.of("PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption"),
                new HashSet<>(events.stream().map(Event::eventName).toList()));
        for (Event e : events) {
            JsonNode r = record(e);
            assertEquals("Management", r.get("eventCategory").asText());
            assertTrue(r.get("managementEvent").asBoolean());
            assertEquals(e.eventName().startsWith("Get"), r.get("readOnly").asBoolean());
            assertEquals(e.eventName().startsWith("Get") ? "true" : "false", e.readOnly());
            assertEquals("", r.at("/requestParameters/encryption").asText(null));
            assertEquals("arn:aws:s3:::" + bucket, r.at("/resources/0/ARN").asText());
            assertEquals("AWS::S3::Bucket", e.resources().get(0).resourceType());
            if (e.eventName().equals("PutBucketEncryption")) {
                JsonNode c = r.at("/requestParameters/ServerSideEncryptionConfiguration");
                assertEquals("http://s3.amazonaws.com/doc/2006-03-01/", c.get("xmlns").asText());
                assertEquals("aws:kms", c.at("/Rule/ApplyServerSideEncryptionByDefault/SSEAlgorithm").asText());
                assertEquals("alias/aws/s3", c.at("/Rule/ApplyServerSideEncryptionByDefault/KMSMasterKeyID").asText());
                assertTrue(c.at("/Rule/BucketKeyEnabled").asBoolean());
            }
        }
    }

    @Test
    void multipartUploadsCarrySseAppliedOnTheCreateEventOnly() {
        String bucket = newBucket("audit-mpu");
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("m")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("m").uploadId(id).partNumber(1),
                RequestBody.fromString("part one")).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("m").uploadId(id)
                .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag(etag))));
        List<Event> events = await(LookupAttributeKey.RESOURCE_NAME, objectArn(bucket, "m"), e -> true, 3);
        assertEquals(3, events.size());
        for (Event e : events) {
            JsonNode r = record(e);
            if (e.eventName().equals("CreateMultipartUpload")) {
                assertEquals("Default_SSE_S3", r.at("/additionalEventData/SSEApplied").asText());
            } else {
                assertTrue(r.at("/additionalEventData/SSEApplied").isMissingNode(), r.toString());
                assertEquals(id, r.at("/requestParameters/uploadId").asText());
            }
        }
        assertEquals(Set.of("CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"),
                new HashSet<>(events.stream().map(Event::eventName).toList()));
    }

    @Test
    void failedAndReadOnlyRequestsAreRecordedWithTheirError() {
        String bucket = newBucket("audit-fail");
        assertThrows(NoSuchKeyException.class, () -> s3.getObject(b -> b.bucket(bucket).key("missing")));
        s3.putObject(b -> b.bucket(bucket).key("present"), RequestBody.fromString("12345678"));
        s3.getObjectAsBytes(b -> b.bucket(bucket).key("present"));
        JsonNode miss = oneObjectEvent(bucket, "missing", "GetObject");
        assertEquals("NoSuchKey", miss.get("errorCode").asText());
        assertEquals("The specified key does not exist.", miss.get("errorMessage").asText());
        assertTrue(miss.get("readOnly").asBoolean());
        JsonNode hit = oneObjectEvent(bucket, "present", "GetObject");
        assertNull(hit.get("errorCode"));
        assertEquals(8, hit.at("/additionalEventData/bytesTransferredOut").asLong());
        assertEquals("AES256", hit.at("/responseElements/x-amz-server-side-encryption").asText());
        assertTrue(hit.at("/additionalEventData/SSEApplied").isMissingNode(), "reads apply no encryption");
    }

    // ---- LookupEvents semantics -----------------------------------------------------------------

    @Test
    void lookupEventsPagesFiltersAndTimeWindowsAsCloudTrail() {
        String bucket = newBucket("audit-pages");
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 7; i++) {
            int n = i;
            s3.putObject(b -> b.bucket(bucket).key("p/" + n), RequestBody.fromString("x" + n));
        }
        List<Event> puts = await(LookupAttributeKey.RESOURCE_NAME, bucket, named("PutObject"), 7);
        assertEquals(7, puts.size());

        // pages of 3: 3 + 3 + 1 (plus CreateBucket's event), newest first, no event twice
        List<Event> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            LookupEventsResponse r = trail.lookupEvents(b -> b.maxResults(3).nextToken(t).lookupAttributes(
                    LookupAttribute.builder().attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(bucket).build()));
            assertTrue(r.events().size() <= 3);
            paged.addAll(r.events());
            token = r.nextToken();
            pages++;
        } while (token != null);
        assertEquals(8, paged.size(), "7 PutObject and 1 CreateBucket");
        assertEquals(3, pages);
        assertEquals(8, paged.stream().map(Event::eventId).distinct().count());
        for (int i = 1; i < paged.size(); i++) {
            assertFalse(paged.get(i).eventTime().isAfter(paged.get(i - 1).eventTime()), "newest first");
        }

        // a time window that ends before the PUTs finds none of them
        List<Event> earlier = trail.lookupEvents(b -> b.endTime(before).lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(bucket).build())).events();
        assertTrue(earlier.stream().noneMatch(named("PutObject")));
        // EventName, AccessKeyId, ReadOnly, EventSource and Username filters
        assertTrue(trail.lookupEvents(b -> b.maxResults(50).lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("PutObject").build())).events()
                .stream().allMatch(named("PutObject")));
        assertTrue(trail.lookupEvents(b -> b.lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.ACCESS_KEY_ID).attributeValue(ProxyProcess.ROOT_ACCESS_KEY).build()))
                .events().stream().allMatch(e -> ProxyProcess.ROOT_ACCESS_KEY.equals(e.accessKeyId())));
        assertTrue(trail.lookupEvents(b -> b.lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.READ_ONLY).attributeValue("true").build())).events()
                .stream().allMatch(e -> "true".equals(e.readOnly())));
        assertTrue(trail.lookupEvents(b -> b.lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.EVENT_SOURCE).attributeValue("kms.amazonaws.com").build())).events()
                .stream().allMatch(e -> "kms.amazonaws.com".equals(e.eventSource())));
        assertFalse(trail.lookupEvents(b -> b.lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.USERNAME).attributeValue("root").build())).events().isEmpty());
        String someId = puts.get(0).eventId();
        List<Event> byId = trail.lookupEvents(b -> b.lookupAttributes(LookupAttribute.builder()
                .attributeKey(LookupAttributeKey.EVENT_ID).attributeValue(someId).build())).events();
        assertEquals(1, byId.size());
        assertEquals(someId, byId.get(0).eventId());
    }

    @Test
    void lookupEventsRefusesWhatCloudTrailRefuses() {
        LookupAttribute a = LookupAttribute.builder().attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("PutObject").build();
        LookupAttribute b2 = LookupAttribute.builder().attributeKey(LookupAttributeKey.USERNAME).attributeValue("root").build();
        CloudTrailException two = assertThrows(CloudTrailException.class,
                () -> trail.lookupEvents(b -> b.lookupAttributes(a, b2)));
        assertEquals("InvalidLookupAttributesException", two.awsErrorDetails().errorCode());
        assertEquals(400, two.statusCode());
        CloudTrailException max = assertThrows(CloudTrailException.class, () -> trail.lookupEvents(b -> b.maxResults(51)));
        assertEquals("InvalidMaxResultsException", max.awsErrorDetails().errorCode());
        CloudTrailException range = assertThrows(CloudTrailException.class, () -> trail.lookupEvents(b -> b
                .startTime(Instant.now()).endTime(Instant.now().minusSeconds(60))));
        assertEquals("InvalidTimeRangeException", range.awsErrorDetails().errorCode());
        CloudTrailException token = assertThrows(CloudTrailException.class, () -> trail.lookupEvents(b -> b.nextToken("bm9wZQ")));
        assertEquals("InvalidNextTokenException", token.awsErrorDetails().errorCode());
        try (CloudTrailClient wrong = cloudTrail(proxy.managementEndpoint(), ProxyProcess.ROOT_ACCESS_KEY, "not-the-secret")) {
            CloudTrailException sig = assertThrows(CloudTrailException.class, () -> wrong.lookupEvents(b -> { }));
            assertEquals("InvalidSignatureException", sig.awsErrorDetails().errorCode());
        }
    }

    @Test
    void anAccountSeesOnlyItsOwnTrail() {
        String[] other = proxy.newAccount("audit-other");
        String bucket = Clients.bucketName("audit-acct");
        try (S3Client theirs = Clients.sdk(proxy.endpoint(), other[1], other[2]);
                CloudTrailClient theirTrail = cloudTrail(proxy.managementEndpoint(), other[1], other[2])) {
            theirs.createBucket(b -> b.bucket(bucket));
            theirs.putObject(b -> b.bucket(bucket).key("mine"), RequestBody.fromString("x"));
            long deadline = System.nanoTime() + 15_000_000_000L;
            List<Event> own;
            do {
                own = lookup(theirTrail, LookupAttributeKey.RESOURCE_NAME, bucket);
                ProxyProcess.sleep(200);
            } while (own.size() < 2 && System.nanoTime() < deadline);
            assertEquals(Set.of("CreateBucket", "PutObject"), new HashSet<>(own.stream().map(Event::eventName).toList()));
            assertTrue(own.stream().allMatch(e -> other[1].equals(e.accessKeyId())));
            assertTrue(lookup(trail, LookupAttributeKey.RESOURCE_NAME, bucket).isEmpty(),
                    "the root account does not see another account's events");
            assertTrue(lookup(theirTrail, LookupAttributeKey.ACCESS_KEY_ID, ProxyProcess.ROOT_ACCESS_KEY).isEmpty());
        }
    }

    @Test
    void theAwsCliLooksUpEvents() throws Exception {
        String bucket = newBucket("audit-cli");
        s3.putObject(b -> b.bucket(bucket).key("via-cli"), RequestBody.fromString("x"));
        await(LookupAttributeKey.RESOURCE_NAME, objectArn(bucket, "via-cli"), named("PutObject"), 1);
        ProcessBuilder pb = new ProcessBuilder("aws", "cloudtrail", "lookup-events", "--endpoint-url",
                proxy.managementEndpoint().toString(), "--region", "us-east-1", "--output", "json",
                "--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=" + objectArn(bucket, "via-cli"));
        pb.environment().put("AWS_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY);
        pb.environment().put("AWS_CONFIG_FILE", "/dev/null");
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        JsonNode events = JSON.readTree(out).get("Events");
        assertEquals(1, events.size(), out);
        assertEquals("PutObject", events.get(0).get("EventName").asText());
        JsonNode r = JSON.readTree(events.get(0).get("CloudTrailEvent").asText());
        assertEquals("Default_SSE_S3", r.at("/additionalEventData/SSEApplied").asText());
    }
}
