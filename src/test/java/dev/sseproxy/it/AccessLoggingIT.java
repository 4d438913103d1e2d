package dev.sseproxy.it;

import static dev.sseproxy.testing.AccessLogLines.parse;
import static dev.sseproxy.it.NegativeIT.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLoggingStatus;
import software.amazon.awssdk.services.s3.model.GetBucketLoggingResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.LoggingEnabled;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PartitionDateSource;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.TargetGrant;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Issue 15, item 3, end to end: server access logging through the SDK v2 and the AWS CLI. A target whose
 * default encryption is SSE-KMS is refused with S3's error; with SSE-S3, log objects appear within the
 * configured delay (2 s here), their records parse into S3's documented fields in order and name the
 * requests this test made, and they are ciphertext in MinIO. Delivery fails closed when the target's
 * default turns to SSE-KMS later; a bucket that logs into itself does not loop. Its own proxy.
 */
class AccessLoggingIT {
    static final String ROOT_ACCOUNT = "000000000001";
    /** The documented fields of a record, in order (Amazon S3 server access log format). */
    static final List<String> FIELDS = List.of("Bucket Owner", "Bucket", "Time", "Remote IP", "Requester", "Request ID",
            "Operation", "Key", "Request-URI", "HTTP status", "Error Code", "Bytes Sent", "Object Size", "Total Time",
            "Turn-Around Time", "Referer", "User-Agent", "Version Id", "Host Id", "Signature Version", "Cipher Suite",
            "Authentication Type", "Host Header", "TLS version", "Access Point ARN", "aclRequired", "Source region");
    static final String KMS_TARGET = "The target bucket for logging must not use SSE-KMS or DSSE-KMS default encryption; "
            + "only SSE-S3 (AES256) is supported.";

    static ProxyProcess proxy;
    static S3Client s3;
    static MinioClient minio;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        proxy = ProxyProcess.startDedicated("access-log", 100, Map.of("SSE_PROXY_ACCESS_LOG_FLUSH_INTERVAL", "2s",
                "QUARKUS_LOG_CATEGORY__DEV_SSEPROXY_ACCESSLOG__LEVEL", "DEBUG"));
        s3 = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        minio = Clients.backend();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    static void enable(String source, String target, String prefix) {
        s3.putBucketLogging(r -> r.bucket(source).bucketLoggingStatus(BucketLoggingStatus.builder()
                .loggingEnabled(LoggingEnabled.builder().targetBucket(target).targetPrefix(prefix).build()).build()));
    }

    static void kmsDefault(String bucket) {
        s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS)))));
    }

    // ---- configuration ------------------------------------------------------------------------------

    @Test
    void theAwsCliPutsGetsAndTurnsOffLogging() throws Exception {
        String source = Clients.newBucket(s3, "log-cli");
        String target = Clients.newBucket(s3, "log-cli-target");
        Path home = Files.createTempDirectory("log-cli");
        String[] root = {ROOT_ACCOUNT, ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY};
        // Debian's CLI (2.9) predates TargetObjectKeyFormat; the SDK tests cover it
        String json = "{\"LoggingEnabled\":{\"TargetBucket\":\"" + target + "\",\"TargetPrefix\":\"cli/\"}}";
        KmsApiIT.CliResult put = KmsApiIT.awsCli(home, proxy.endpoint(), root, "s3api", "put-bucket-logging",
                "--bucket", source, "--bucket-logging-status", json);
        assertEquals(0, put.exit(), put::toString);
        KmsApiIT.CliResult get = KmsApiIT.awsCli(home, proxy.endpoint(), root, "s3api", "get-bucket-logging",
                "--bucket", source);
        assertEquals(0, get.exit(), get::toString);
        ObjectMapper m = new ObjectMapper();
        assertEquals(m.readTree(json), m.readTree(get.stdout()), get::toString);

        KmsApiIT.CliResult off = KmsApiIT.awsCli(home, proxy.endpoint(), root, "s3api", "put-bucket-logging",
                "--bucket", source, "--bucket-logging-status", "{}");
        assertEquals(0, off.exit(), off::toString);
        KmsApiIT.CliResult none = KmsApiIT.awsCli(home, proxy.endpoint(), root, "s3api", "get-bucket-logging",
                "--bucket", source);
        assertEquals(0, none.exit(), none::toString);
        assertTrue(none.stdout().isBlank() || m.readTree(none.stdout()).path("LoggingEnabled").isMissingNode(), none::toString);
    }

    @Test
    void theSdkRoundTripsAConfigurationWithGrantsAndASimplePrefix() {
        String source = Clients.newBucket(s3, "log-sdk");
        String target = Clients.newBucket(s3, "log-sdk-target");
        s3.putBucketOwnershipControls(r -> r.bucket(target).ownershipControls(o -> o.rules(x -> x
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED))));
        LoggingEnabled le = LoggingEnabled.builder().targetBucket(target).targetPrefix("sdk/")
                .targetGrants(TargetGrant.builder().grantee(g -> g.type(Type.CANONICAL_USER).id("000000000002"))
                        .permission("READ").build())
                .targetObjectKeyFormat(f -> f.simplePrefix(p -> { })).build();
        s3.putBucketLogging(r -> r.bucket(source).bucketLoggingStatus(s -> s.loggingEnabled(le)));
        GetBucketLoggingResponse got = s3.getBucketLogging(r -> r.bucket(source));
        assertEquals(target, got.loggingEnabled().targetBucket());
        assertEquals("sdk/", got.loggingEnabled().targetPrefix());
        assertEquals("000000000002", got.loggingEnabled().targetGrants().get(0).grantee().id());
        assertEquals(Type.CANONICAL_USER, got.loggingEnabled().targetGrants().get(0).grantee().type());
        assertNotNull(got.loggingEnabled().targetObjectKeyFormat().simplePrefix());
        assertNull(got.loggingEnabled().targetObjectKeyFormat().partitionedPrefix());

        s3.putBucketLogging(r -> r.bucket(source).bucketLoggingStatus(BucketLoggingStatus.builder().build()));
        assertNull(s3.getBucketLogging(r -> r.bucket(source)).loggingEnabled());
    }

    @Test
    void aTargetWithAnSseKmsDefaultIsRefusedWithS3sError() {
        String source = Clients.newBucket(s3, "log-src");
        String target = Clients.newBucket(s3, "log-kms");
        kmsDefault(target);
        S3Exception e = assertThrows(S3Exception.class, () -> enable(source, target, "logs/"));
        assertError(e, 400, "InvalidTargetBucketForLogging", KMS_TARGET);
        String dsse = Clients.newBucket(s3, "log-dsse");
        s3.putBucketEncryption(r -> r.bucket(dsse).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS_DSSE)))));
        assertError(assertThrows(S3Exception.class, () -> enable(source, dsse, "logs/")), 400,
                "InvalidTargetBucketForLogging", KMS_TARGET);
        assertNull(s3.getBucketLogging(r -> r.bucket(source)).loggingEnabled(), "nothing refused was stored");
    }

    @Test
    void targetsThatCannotReceiveLogsAreRefusedAsS3RefusesThem() throws Exception {
        String source = Clients.newBucket(s3, "log-bad");
        assertError(assertThrows(S3Exception.class, () -> enable(source, "no-such-target-" + System.nanoTime(), "p/")),
                400, "InvalidTargetBucketForLogging", "The target bucket for logging does not exist");
        // TargetGrants on a BucketOwnerEnforced target (S3's default for new buckets)
        String enforced = Clients.newBucket(s3, "log-enforced");
        s3.putBucketOwnershipControls(r -> r.bucket(enforced).ownershipControls(o -> o.rules(x -> x
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
        assertError(assertThrows(S3Exception.class, () -> s3.putBucketLogging(r -> r.bucket(source).bucketLoggingStatus(
                s -> s.loggingEnabled(l -> l.targetBucket(enforced).targetPrefix("p/").targetGrants(TargetGrant.builder()
                        .grantee(g -> g.type(Type.GROUP).uri("http://acs.amazonaws.com/groups/global/AllUsers"))
                        .permission(Permission.READ.toString()).build()))))), 400, "AccessControlListNotSupported",
                "The target bucket for logging does not allow ACLs");
        // another account's bucket, without a policy for the logging service; then with one
        String[] other = proxy.newAccount("log-other-" + System.nanoTime());
        try (S3Client them = Clients.sdk(proxy.endpoint(), other[1], other[2])) {
            String theirs = Clients.newBucket(them, "log-theirs");
            assertError(assertThrows(S3Exception.class, () -> enable(source, theirs, "p/")), 400,
                    "InvalidTargetBucketForLogging", "The owner for the bucket to be logged and the target bucket must be the same.");
            them.putBucketPolicy(r -> r.bucket(theirs).policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                    + "\"Allow\",\"Principal\":{\"Service\":\"logging.s3.amazonaws.com\"},\"Action\":\"s3:PutObject\","
                    + "\"Resource\":\"arn:aws:s3:::" + theirs + "/p/*\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\""
                    + ROOT_ACCOUNT + "\"},\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:s3:::" + source + "\"}}}]}"));
            enable(source, theirs, "p/");
            assertEquals(theirs, s3.getBucketLogging(r -> r.bucket(source)).loggingEnabled().targetBucket());
        }
        // a document S3 cannot read
        HttpResponse<String> r = http.send(ProxyProcess.signed("PUT", proxy.endpoint(), "/" + source, "logging",
                "<BucketLoggingStatus><LoggingEnabled><TargetPrefix>p/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>",
                ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r::body);
        assertTrue(r.body().contains("<Code>MalformedXML</Code>"), r::body);
    }

    // ---- delivery -----------------------------------------------------------------------------------

    @Test
    void logObjectsAppearWithinTheDelayParseInS3sFieldOrderAndAreCiphertextInMinio() throws Exception {
        String source = Clients.newBucket(s3, "log-delivery");
        String target = Clients.newBucket(s3, "log-delivery-target");
        enable(source, target, "logs/");
        long start = System.nanoTime();
        Map<String, String[]> made = new LinkedHashMap<>(); // request id -> {operation, key, status, error}
        String key = "dir/a b+é.txt";
        made.put(s3.putObject(r -> r.bucket(source).key(key), RequestBody.fromString("hello log"))
                .responseMetadata().requestId(), new String[] {"REST.PUT.OBJECT", "dir/a%20b%2B%C3%A9.txt", "200", "-"});
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(source).key(key));
        made.put(got.response().responseMetadata().requestId(), new String[] {"REST.GET.OBJECT", "dir/a%20b%2B%C3%A9.txt", "200", "-"});
        S3Exception missing = assertThrows(S3Exception.class, () -> s3.getObject(r -> r.bucket(source).key("missing"),
                (resp, in) -> resp));
        made.put(missing.requestId(), new String[] {"REST.GET.OBJECT", "missing", "404", "NoSuchKey"});
        made.put(s3.listObjectsV2(r -> r.bucket(source)).responseMetadata().requestId(),
                new String[] {"REST.GET.BUCKET", "-", "200", "-"});

        Map<String, List<String>> records = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        waitFor(60, () -> {
            records.clear();
            keys.clear();
            for (String k : backendKeys(target, "logs/")) {
                keys.add(k);
                String text = s3.getObjectAsBytes(r -> r.bucket(target).key(k)).asString(StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    List<String> f = parse(line);
                    records.put(f.get(5), f);
                }
            }
            return records.keySet().containsAll(made.keySet());
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 30, "delivered after " + seconds + " s with a 2 s flush interval");
        for (Map.Entry<String, String[]> m : made.entrySet()) {
            List<String> f = records.get(m.getKey());
            assertEquals(FIELDS.size(), f.size(), () -> "fields of " + f);
            String[] want = m.getValue();
            assertEquals(ROOT_ACCOUNT, f.get(0), "Bucket Owner");
            assertEquals(source, f.get(1), "Bucket");
            assertTrue(f.get(2).matches("\\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000]"), f.get(2));
            assertEquals("127.0.0.1", f.get(3), "Remote IP");
            assertEquals(ROOT_ACCOUNT, f.get(4), "Requester");
            assertEquals(want[0], f.get(6), "Operation");
            assertEquals(want[1], f.get(7), "Key");
            assertTrue(f.get(8).matches("(GET|PUT|HEAD) /" + source + "\\S* HTTP/1\\.1"), f.get(8));
            assertEquals(want[2], f.get(9), "HTTP status");
            assertEquals(want[3], f.get(10), "Error Code");
            assertTrue(f.get(13).matches("\\d+"), "Total Time " + f.get(13));
            assertTrue(f.get(16).contains("aws-sdk-java"), "User-Agent " + f.get(16));
            assertEquals("SigV4", f.get(19));
            assertEquals("AuthHeader", f.get(21));
            assertEquals("-", f.get(23), "TLS version (plain HTTP)");
        }
        List<String> put = records.get(made.keySet().iterator().next());
        assertEquals("9", put.get(12), "Object Size of the PUT");
        for (String k : keys) {
            assertTrue(k.matches("logs/\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d-[0-9A-F]{16}"), k);
            HeadObjectResponse head = s3.headObject(r -> r.bucket(target).key(k));
            assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption(), k);
            String plain = s3.getObjectAsBytes(r -> r.bucket(target).key(k)).asString(StandardCharsets.UTF_8);
            byte[] stored;
            try (var in = minio.getObject(io.minio.GetObjectArgs.builder().bucket(target).object(k).build())) {
                stored = in.readAllBytes();
            }
            assertTrue(plain.contains(source), k);
            assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(source), "no record text at rest: " + k);
            assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("REST."), "no record text at rest: " + k);
            assertTrue(minio.statObject(io.minio.StatObjectArgs.builder().bucket(target).object(k).build()).userMetadata()
                    .keySet().stream().anyMatch(x -> x.toLowerCase().startsWith("sse-proxy-")), "the proxy's envelope: " + k);
        }
        // audited: the configuration (a management event) and each log object's write, by the logging service
        JsonNode written = auditEvent("PutObject", "arn:aws:s3:::" + target + "/" + keys.get(0));
        assertEquals("logging.s3.amazonaws.com", written.at("/userIdentity/invokedBy").asText(), written::toString);
        assertEquals("SSE_S3", written.at("/additionalEventData/SSEApplied").asText(), written::toString);
        JsonNode config = auditEvent("PutBucketLogging", "arn:aws:s3:::" + source);
        assertEquals(target, config.at("/requestParameters/BucketLoggingStatus/LoggingEnabled/TargetBucket").asText(),
                config::toString);
        assertTrue(proxy.metric("sse_proxy_access_log_objects_total", "outcome=\"delivered\"") >= keys.size());
        assertTrue(proxy.metric("sse_proxy_access_log_records_total", "outcome=\"delivered\"") >= made.size());
    }

    @Test
    void partitionedPrefixKeysNameTheSourceAccountRegionAndBucket() throws Exception {
        String source = Clients.newBucket(s3, "log-part");
        String target = Clients.newBucket(s3, "log-part-target");
        s3.putBucketLogging(r -> r.bucket(source).bucketLoggingStatus(s -> s.loggingEnabled(l -> l.targetBucket(target)
                .targetPrefix("part/").targetObjectKeyFormat(f -> f.partitionedPrefix(p -> p
                        .partitionDateSource(PartitionDateSource.DELIVERY_TIME))))));
        s3.putObject(r -> r.bucket(source).key("k"), RequestBody.fromString("x"));
        List<String> keys = new ArrayList<>();
        waitFor(60, () -> {
            keys.clear();
            keys.addAll(backendKeys(target, "part/"));
            return !keys.isEmpty();
        });
        String prefix = "part/" + ROOT_ACCOUNT + "/us-east-1/" + source + "/";
        for (String k : keys) {
            assertTrue(k.startsWith(prefix) && k.substring(prefix.length())
                    .matches("\\d{4}/\\d\\d/\\d\\d/\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d-[0-9A-F]{16}"), k);
        }
    }

    @Test
    void deliveryFailsClosedWhenTheTargetsDefaultTurnsToSseKms() throws Exception {
        String source = Clients.newBucket(s3, "log-closed");
        String target = Clients.newBucket(s3, "log-closed-target");
        enable(source, target, "logs/");
        kmsDefault(target); // after the configuration: S3 does not check again, delivery must not write
        double before = proxy.metric("sse_proxy_access_log_delivery_failures_total", "reason=\"kms_default\"");
        s3.putObject(r -> r.bucket(source).key("k"), RequestBody.fromString("x"));
        waitFor(60, () -> proxy.metric("sse_proxy_access_log_delivery_failures_total", "reason=\"kms_default\"") > before);
        assertTrue(backendKeys(target, "").isEmpty(), "no log object in the SSE-KMS target");
        assertTrue(Files.readString(ProxyProcess.logFile("access-log")).lines().anyMatch(l -> l.contains(target)
                && l.contains("kms_default") && l.contains("the target's default encryption is SSE-KMS")), "a log line says why");
    }

    @Test
    void aBucketThatLogsIntoItselfDoesNotLogItsOwnDeliveries() throws Exception {
        String bucket = Clients.newBucket(s3, "log-self");
        enable(bucket, bucket, "self/");
        s3.putObject(r -> r.bucket(bucket).key("data"), RequestBody.fromString("x"));
        waitFor(60, () -> !backendKeys(bucket, "self/").isEmpty());
        Thread.sleep(3_000); // one more flush interval: the records of this test's requests are all delivered now
        int delivered = backendKeys(bucket, "self/").size();
        // no client request since: further flush intervals write nothing (a delivery that logged itself would)
        Thread.sleep(5_000);
        assertEquals(delivered, backendKeys(bucket, "self/").size(), "the deliveries wrote no log of themselves");
    }

    @Test
    void twoNodesLogEachRequestOnceAndLearnTheConfigurationFromTheChangeFeed() throws Exception {
        List<ProxyProcess> nodes = ProxyProcess.startCluster("access-log-cluster", 200, 2,
                Map.of("SSE_PROXY_ACCESS_LOG_FLUSH_INTERVAL", "2s"));
        try (S3Client n0 = Clients.sdk(nodes.get(0).endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
                S3Client n1 = Clients.sdk(nodes.get(1).endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)) {
            String source = Clients.newBucket(n0, "log-cluster");
            String target = Clients.newBucket(n0, "log-cluster-target");
            n1.headBucket(r -> r.bucket(source)); // node 1 caches the bucket while it does not log
            n0.putBucketLogging(r -> r.bucket(source).bucketLoggingStatus(s -> s.loggingEnabled(l -> l
                    .targetBucket(target).targetPrefix("cluster/"))));
            // node 1 learns the configuration from the change feed (its cached bucket is dropped), then logs
            int[] i = {0};
            waitFor(30, () -> {
                String id = n1.putObject(r -> r.bucket(source).key("warm-" + i[0]++), RequestBody.fromString("x"))
                        .responseMetadata().requestId();
                long until = System.nanoTime() + 4_000_000_000L;
                while (System.nanoTime() < until) {
                    if (delivered(n0, target).containsKey(id)) {
                        return true;
                    }
                    sleep(250);
                }
                return false;
            });
            List<String> ids = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                String key = "k" + k;
                ids.add(n0.putObject(r -> r.bucket(source).key(key), RequestBody.fromString("0")).responseMetadata().requestId());
                ids.add(n1.putObject(r -> r.bucket(source).key(key), RequestBody.fromString("1")).responseMetadata().requestId());
            }
            waitFor(30, () -> delivered(n0, target).keySet().containsAll(ids));
            Map<String, Integer> seen = delivered(n0, target);
            for (String id : ids) {
                assertEquals(1, seen.get(id), () -> "request " + id + " in " + seen);
            }
            assertTrue(seen.values().stream().allMatch(n -> n == 1), () -> "every record in exactly one log object: " + seen);
        } finally {
            nodes.forEach(ProxyProcess::stop);
        }
    }

    /** How many times each request id appears in the log objects of {@code target} (read through {@code s3}). */
    static Map<String, Integer> delivered(S3Client s3, String target) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String k : backendKeys(target, "")) {
            for (String line : s3.getObjectAsBytes(r -> r.bucket(target).key(k)).asString(StandardCharsets.UTF_8).split("\n")) {
                seen.merge(parse(line).get(5), 1, Integer::sum);
            }
        }
        return seen;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** The keys under {@code prefix} as MinIO lists them (not through the proxy, whose listings would be logged). */
    static List<String> backendKeys(String bucket, String prefix) {
        List<String> out = new ArrayList<>();
        try {
            for (Result<Item> r : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                    .build())) {
                String k = r.get().objectName();
                if (!k.startsWith(".sse-proxy")) {
                    out.add(k);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The latest CloudTrail record of {@code eventName} naming {@code arn}. */
    static JsonNode auditEvent(String eventName, String arn) throws Exception {
        String[] found = new String[1];
        waitFor(30, () -> {
            found[0] = proxy.sql("SELECT record FROM audit_event WHERE event_name = '" + eventName + "' AND '" + arn
                    + "' = ANY(resource_names) ORDER BY event_time DESC LIMIT 1");
            return !found[0].isEmpty();
        });
        return new ObjectMapper().readTree(found[0]);
    }

    static void waitFor(int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s");
            }
            Thread.sleep(250);
        }
    }
}
