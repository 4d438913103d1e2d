package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sseproxy.testing.LocalNats;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Event notifications end to end (issue 15, item 4): a proxy of its own with a webhook target (an HTTP
 * server in this test), a NATS target (a real nats-server, subscribed with jnats) and both as management
 * targets. A PutObject and a PutBucketEncryption each produce exactly one message per destination, in S3's /
 * EventBridge's shapes; the configuration round-trips through the AWS CLI; S3's validation errors; events
 * recorded while the webhook is down are delivered after a kill -9 and restart of the proxy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationsIT {
    private static final int PORT_OFFSET = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000001";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String OBJECTS_SUBJECT = "sse-it." + RUN + ".objects";
    private static final String MGMT_SUBJECT = "sse-it." + RUN + ".mgmt";

    private static HttpServer hooks;
    private static volatile int hookStatus = 200;
    private static final Map<String, List<JsonNode>> received = new HashMap<>();
    private static final List<JsonNode> natsObjects = new CopyOnWriteArrayList<>();
    private static final List<JsonNode> natsMgmt = new CopyOnWriteArrayList<>();
    private static Connection nats;
    private static ProxyProcess proxy;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            int status = hookStatus;
            if (status == 200) {
                synchronized (received) {
                    received.computeIfAbsent(x.getRequestURI().getPath(), k -> new ArrayList<>()).add(JSON.readTree(body));
                }
            }
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        hooks.start();
        LocalNats.ensure();
        nats = Nats.connect(LocalNats.URL);
        Dispatcher d = nats.createDispatcher();
        d.subscribe(OBJECTS_SUBJECT, m -> natsObjects.add(read(m.getData())));
        d.subscribe(MGMT_SUBJECT, m -> natsMgmt.add(read(m.getData())));
        nats.flush(Duration.ofSeconds(5));
        String hook = "http://127.0.0.1:" + hooks.getAddress().getPort();
        proxy = ProxyProcess.startDedicated("notify", PORT_OFFSET, Map.of(
                "SSE_PROXY_NOTIFICATIONS_TARGETS", "hook=" + hook + "/events,mgmthook=" + hook + "/mgmt,bus=nats:"
                        + OBJECTS_SUBJECT + ",mgmtbus=nats:" + MGMT_SUBJECT,
                "SSE_PROXY_NOTIFICATIONS_MANAGEMENT_TARGETS", "mgmthook,mgmtbus",
                "SSE_PROXY_NOTIFICATIONS_NATS_URL", LocalNats.URL,
                "SSE_PROXY_NOTIFICATIONS_RETRY_FIRST", "200ms",
                "SSE_PROXY_NOTIFICATIONS_RETRY_MAX", "1s"));
        s3 = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (nats != null) {
            nats.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
    }

    private static JsonNode read(byte[] b) {
        try {
            return JSON.readTree(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> at(String path) {
        synchronized (received) {
            return new ArrayList<>(received.getOrDefault(path, List.of()));
        }
    }

    private static String queue(String name) {
        return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name;
    }

    private static String topic(String name) {
        return "arn:aws:sns:us-east-1:" + ACCOUNT + ":" + name;
    }

    /** Waits (up to 20 s) until some message matches, then a further 1.5 s, and answers all matching. */
    private static List<JsonNode> exactlyAfterSettling(java.util.function.Supplier<List<JsonNode>> source,
            Predicate<JsonNode> match) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (source.get().stream().noneMatch(match) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        Thread.sleep(1500); // a duplicate would arrive within the delivery round that sent the first
        return source.get().stream().filter(match).toList();
    }

    @Test
    @Order(1)
    void putObjectAndPutBucketEncryptionEachMakeExactlyOneEventPerDestination() throws Exception {
        String bucket = "evt-" + RUN;
        String natsBucket = "evt-nats-" + RUN;
        s3.createBucket(b -> b.bucket(bucket));
        s3.createBucket(b -> b.bucket(natsBucket));
        // through the AWS CLI: S3 shape to the webhook, EventBridge shape to the management targets
        Path conf = Files.createTempFile("notification", ".json");
        Files.writeString(conf, """
                {"QueueConfigurations":[{"Id":"to-hook","QueueArn":"%s","Events":["s3:ObjectCreated:*"],
                  "Filter":{"Key":{"FilterRules":[{"Name":"prefix","Value":"in/"}]}}},
                  {"Id":"tags","QueueArn":"%s","Events":["s3:ObjectTagging:*"]}],
                 "TopicConfigurations":[{"Id":"removals","TopicArn":"%s","Events":["s3:ObjectRemoved:*"]}],
                 "EventBridgeConfiguration":{}}""".formatted(queue("hook"), queue("hook"), topic("bus")));
        cli("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
                "--notification-configuration", "file://" + conf);
        JsonNode got = JSON.readTree(cli("s3api", "get-bucket-notification-configuration", "--bucket", bucket));
        assertEquals("to-hook", got.at("/QueueConfigurations/0/Id").asText(), got.toString());
        assertEquals(queue("hook"), got.at("/QueueConfigurations/0/QueueArn").asText());
        assertEquals("s3:ObjectCreated:*", got.at("/QueueConfigurations/0/Events/0").asText());
        assertEquals("Prefix", got.at("/QueueConfigurations/0/Filter/Key/FilterRules/0/Name").asText());
        assertEquals("in/", got.at("/QueueConfigurations/0/Filter/Key/FilterRules/0/Value").asText());
        assertEquals(topic("bus"), got.at("/TopicConfigurations/0/TopicArn").asText());
        assertEquals("s3:ObjectRemoved:*", got.at("/TopicConfigurations/0/Events/0").asText());
        assertTrue(got.has("EventBridgeConfiguration"), got.toString());
        assertEquals("tags", got.at("/QueueConfigurations/1/Id").asText(), got.toString());
        assertEquals("s3:ObjectTagging:*", got.at("/QueueConfigurations/1/Events/0").asText());
        // S3 sends a test event to each new destination
        List<JsonNode> tests = exactlyAfterSettling(() -> at("/events"), n -> "s3:TestEvent".equals(n.path("Event").asText()));
        assertEquals(1, tests.size(), tests.toString());
        assertEquals("Amazon S3", tests.get(0).path("Service").asText());
        assertEquals(bucket, tests.get(0).path("Bucket").asText());

        s3.putBucketNotificationConfiguration(b -> b.bucket(natsBucket).notificationConfiguration(n -> n
                .topicConfigurations(t -> t.id("to-nats").topicArn(topic("bus")).events(Event.S3_OBJECT_CREATED_PUT))));

        // PutObject: one S3 record at the webhook, one EventBridge "Object Created" at each management target
        byte[] data = "hello, events".getBytes(StandardCharsets.UTF_8);
        String key = "in/a key+é.txt";
        var put = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
        List<JsonNode> s3Events = exactlyAfterSettling(() -> at("/events"), n -> n.has("Records"));
        assertEquals(1, s3Events.size(), s3Events.toString());
        JsonNode r = s3Events.get(0).path("Records").get(0);
        assertEquals(1, s3Events.get(0).path("Records").size());
        assertEquals("2.1", r.path("eventVersion").asText());
        assertEquals("aws:s3", r.path("eventSource").asText());
        assertEquals("us-east-1", r.path("awsRegion").asText());
        assertEquals("ObjectCreated:Put", r.path("eventName").asText());
        assertTrue(r.path("eventTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), r.toString());
        assertEquals(ACCOUNT, r.at("/userIdentity/principalId").asText());
        assertEquals("127.0.0.1", r.at("/requestParameters/sourceIPAddress").asText());
        assertEquals(put.responseMetadata().requestId(), r.at("/responseElements/x-amz-request-id").asText());
        assertTrue(!r.at("/responseElements/x-amz-id-2").asText().isEmpty());
        assertEquals("1.0", r.at("/s3/s3SchemaVersion").asText());
        assertEquals("to-hook", r.at("/s3/configurationId").asText());
        assertEquals(bucket, r.at("/s3/bucket/name").asText());
        assertEquals(ACCOUNT, r.at("/s3/bucket/ownerIdentity/principalId").asText());
        assertEquals("arn:aws:s3:::" + bucket, r.at("/s3/bucket/arn").asText());
        assertEquals("in/a+key%2B%C3%A9.txt", r.at("/s3/object/key").asText());
        assertEquals(data.length, r.at("/s3/object/size").asLong());
        assertEquals(put.eTag().replace("\"", ""), r.at("/s3/object/eTag").asText());
        assertTrue(r.at("/s3/object/sequencer").asText().matches("[0-9A-F]+"), r.toString());
        for (var source : List.<java.util.function.Supplier<List<JsonNode>>>of(() -> at("/mgmt"), () -> natsMgmt)) {
            List<JsonNode> eb = exactlyAfterSettling(source, n -> "Object Created".equals(n.path("detail-type").asText()));
            assertEquals(1, eb.size(), eb.toString());
            JsonNode e = eb.get(0);
            assertEquals("0", e.path("version").asText());
            assertEquals("aws.s3", e.path("source").asText());
            assertEquals(ACCOUNT, e.path("account").asText());
            assertEquals("us-east-1", e.path("region").asText());
            assertEquals("arn:aws:s3:::" + bucket, e.path("resources").get(0).asText());
            assertEquals(bucket, e.at("/detail/bucket/name").asText());
            assertEquals(key, e.at("/detail/object/key").asText());
            assertEquals(data.length, e.at("/detail/object/size").asLong());
            assertEquals(put.eTag().replace("\"", ""), e.at("/detail/object/etag").asText());
            assertEquals("PutObject", e.at("/detail/reason").asText());
            assertEquals(put.responseMetadata().requestId(), e.at("/detail/request-id").asText());
        }

        // tagging events (eventVersion 2.3)
        s3.putObjectTagging(b -> b.bucket(bucket).key(key).tagging(t -> t.tagSet(tag -> tag.key("k").value("v"))));
        List<JsonNode> tagged = exactlyAfterSettling(() -> at("/events"),
                n -> "ObjectTagging:Put".equals(n.at("/Records/0/eventName").asText()));
        assertEquals(1, tagged.size(), tagged.toString());
        assertEquals("2.3", tagged.get(0).at("/Records/0/eventVersion").asText());
        assertEquals("tags", tagged.get(0).at("/Records/0/s3/configurationId").asText());
        s3.deleteObjectTagging(b -> b.bucket(bucket).key(key));
        assertEquals(1, exactlyAfterSettling(() -> at("/events"),
                n -> "ObjectTagging:Delete".equals(n.at("/Records/0/eventName").asText())).size());

        // the NATS bucket: one S3 record on the subject (plus its test event before)
        var put2 = s3.putObject(b -> b.bucket(natsBucket).key("n.bin"), RequestBody.fromBytes(data));
        List<JsonNode> onNats = exactlyAfterSettling(() -> natsObjects, n -> n.has("Records"));
        assertEquals(1, onNats.size(), onNats.toString());
        JsonNode nr = onNats.get(0).path("Records").get(0);
        assertEquals("ObjectCreated:Put", nr.path("eventName").asText());
        assertEquals("to-nats", nr.at("/s3/configurationId").asText());
        assertEquals(natsBucket, nr.at("/s3/bucket/name").asText());
        assertEquals("n.bin", nr.at("/s3/object/key").asText());
        assertEquals(put2.eTag().replace("\"", ""), nr.at("/s3/object/eTag").asText());
        assertEquals(1, natsObjects.stream().filter(n -> "s3:TestEvent".equals(n.path("Event").asText())
                && natsBucket.equals(n.path("Bucket").asText())).count());

        // PutBucketEncryption: one "AWS API Call via CloudTrail" event at each management target
        var enc = s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(
                rule -> rule.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        for (var source : List.<java.util.function.Supplier<List<JsonNode>>>of(() -> at("/mgmt"), () -> natsMgmt)) {
            List<JsonNode> calls = exactlyAfterSettling(source, n -> "PutBucketEncryption".equals(n.at("/detail/eventName").asText()));
            assertEquals(1, calls.size(), calls.toString());
            JsonNode c = calls.get(0);
            assertEquals("AWS API Call via CloudTrail", c.path("detail-type").asText());
            assertEquals("aws.s3", c.path("source").asText());
            assertEquals("0", c.path("version").asText());
            assertEquals(ACCOUNT, c.path("account").asText());
            assertEquals("us-east-1", c.path("region").asText());
            assertTrue(c.path("resources").isArray());
            assertEquals("s3.amazonaws.com", c.at("/detail/eventSource").asText());
            assertEquals(bucket, c.at("/detail/requestParameters/bucketName").asText());
            assertEquals(enc.responseMetadata().requestId(), c.at("/detail/requestID").asText());
        }

        // a removal: S3 shape to the topic (NATS), EventBridge "Object Deleted" to the management targets
        s3.deleteObject(b -> b.bucket(bucket).key(key));
        List<JsonNode> removed = exactlyAfterSettling(() -> natsObjects,
                n -> "ObjectRemoved:Delete".equals(n.at("/Records/0/eventName").asText()));
        assertEquals(1, removed.size(), removed.toString());
        assertEquals("removals", removed.get(0).at("/Records/0/s3/configurationId").asText());
        assertTrue(removed.get(0).at("/Records/0/s3/object/size").isMissingNode());
        assertNotNull(exactlyAfterSettling(() -> at("/mgmt"), n -> "Object Deleted".equals(n.path("detail-type").asText())));

        // CopyObject and CompleteMultipartUpload: their own event names, the plaintext size
        s3.putObject(b -> b.bucket(bucket).key("src.txt"), RequestBody.fromBytes(data)); // no event: outside in/
        var copy = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src.txt").destinationBucket(bucket).destinationKey("in/copy"));
        List<JsonNode> copied = exactlyAfterSettling(() -> at("/events"),
                n -> "ObjectCreated:Copy".equals(n.at("/Records/0/eventName").asText()));
        assertEquals(1, copied.size(), copied.toString());
        assertEquals("in/copy", copied.get(0).at("/Records/0/s3/object/key").asText());
        assertEquals(data.length, copied.get(0).at("/Records/0/s3/object/size").asLong());
        assertEquals(copy.copyObjectResult().eTag().replace("\"", ""), copied.get(0).at("/Records/0/s3/object/eTag").asText());
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("in/mp")).uploadId();
        var part = s3.uploadPart(b -> b.bucket(bucket).key("in/mp").uploadId(upload).partNumber(1), RequestBody.fromBytes(data));
        var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("in/mp").uploadId(upload)
                .multipartUpload(m -> m.parts(pp -> pp.partNumber(1).eTag(part.eTag()))));
        List<JsonNode> completed = exactlyAfterSettling(() -> at("/events"),
                n -> "ObjectCreated:CompleteMultipartUpload".equals(n.at("/Records/0/eventName").asText()));
        assertEquals(1, completed.size(), completed.toString());
        assertEquals(data.length, completed.get(0).at("/Records/0/s3/object/size").asLong());
        assertEquals(done.eTag().replace("\"", ""), completed.get(0).at("/Records/0/s3/object/eTag").asText());
        // DeleteObjects in quiet mode: one removal per key all the same
        s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.quiet(true).objects(o -> o.key("in/copy"), o -> o.key("in/mp"))));
        List<JsonNode> multi = exactlyAfterSettling(() -> natsObjects,
                n -> "ObjectRemoved:Delete".equals(n.at("/Records/0/eventName").asText())
                        && n.at("/Records/0/s3/object/key").asText().startsWith("in/"));
        assertEquals(List.of("in/a+key%2B%C3%A9.txt", "in/copy", "in/mp"),
                multi.stream().map(n -> n.at("/Records/0/s3/object/key").asText()).sorted().toList());

        assertEquals("0", proxy.sql("SELECT count(*) FROM event_outbox"));
        assertTrue(proxy.metric("sse_proxy_notifications_delivered_total") >= 10);
        assertEquals(0.0, proxy.metric("sse_proxy_notifications_outbox_depth"));
    }

    @Test
    @Order(2)
    void validationErrorsAreS3s() throws Exception {
        String bucket = "evt-bad-" + RUN;
        s3.createBucket(b -> b.bucket(bucket));
        expect(() -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(queue("nobody")).events(Event.S3_OBJECT_CREATED)))),
                "Unable to validate the following destination configurations");
        expect(() -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .lambdaFunctionConfigurations(l -> l.lambdaFunctionArn("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f")
                        .events(Event.S3_OBJECT_CREATED)))),
                "Unable to validate the following destination configurations");
        expect(() -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(queue("hook")).events(Event.S3_OBJECT_CREATED))
                .topicConfigurations(t -> t.topicArn(topic("bus")).events(Event.S3_OBJECT_CREATED_PUT)))),
                "Configurations overlap. Configurations on the same bucket cannot share a common event type.");
        expect(() -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(queue("hook")).eventsWithStrings("s3:ObjectExploded:*")))),
                "The event is not supported for notifications");
        expect(() -> s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(queue("hook")).events(Event.S3_OBJECT_CREATED)
                        .filter(f -> f.key(k -> k.filterRules(r -> r.name("middle").value("x"))))))),
                "filter rule name must be either prefix or suffix");
        // disjoint prefixes do not overlap
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(queue("hook")).events(Event.S3_OBJECT_CREATED)
                        .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value("a/")))))
                .topicConfigurations(t -> t.topicArn(topic("bus")).events(Event.S3_OBJECT_CREATED_PUT)
                        .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value("b/")))))));
        // malformed XML
        var r = java.net.http.HttpClient.newHttpClient().send(ProxyProcess.signed("PUT", proxy.endpoint(), "/" + bucket,
                "notification", "<NotificationConfiguration><QueueConfiguration>", ProxyProcess.ROOT_ACCESS_KEY,
                ProxyProcess.ROOT_SECRET_KEY), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("<Code>MalformedXML</Code>"), r.body());
        // an empty document removes the configuration; GET then answers the empty document
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> { }));
        var empty = s3.getBucketNotificationConfiguration(b -> b.bucket(bucket));
        assertTrue(empty.queueConfigurations().isEmpty() && empty.topicConfigurations().isEmpty());
    }

    /** Runs the AWS CLI v2 against the proxy with a fresh, empty configuration; answers its stdout. */
    private static String cli(String... args) throws Exception {
        Path home = Files.createTempDirectory("aws-notify");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", proxy.endpoint().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("AWS_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_DEFAULT_OUTPUT", "json");
        env.put("AWS_PAGER", "");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        Path out = home.resolve("stdout");
        Path err = home.resolve("stderr");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("aws " + String.join(" ", args) + " timed out");
        }
        assertEquals(0, p.exitValue(), "aws " + String.join(" ", args) + ": " + Files.readString(err));
        return Files.readString(out);
    }

    private static void expect(Runnable call, String message) {
        try {
            call.run();
            fail("expected InvalidArgument: " + message);
        } catch (S3Exception e) {
            assertEquals(400, e.statusCode());
            assertEquals("InvalidArgument", e.awsErrorDetails().errorCode());
            assertEquals(message, e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    @Order(3)
    void eventsRecordedWhileTheWebhookIsDownAreDeliveredAfterARestart() throws Exception {
        String bucket = "evt-dur-" + RUN;
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.id("durable").queueArn(queue("hook")).events(Event.S3_OBJECT_CREATED)
                        .filter(f -> f.key(k -> k.filterRules(r -> r.name("prefix").value("dur/")))))));
        exactlyAfterSettling(() -> at("/events"), n -> bucket.equals(n.path("Bucket").asText()));
        hookStatus = 503;
        s3.putObject(b -> b.bucket(bucket).key("dur/1"), RequestBody.fromString("one"));
        s3.putObject(b -> b.bucket(bucket).key("dur/2"), RequestBody.fromString("two"));
        // recorded before the response: both rows are there, and they fail while the webhook is down
        assertEquals("2", proxy.sql("SELECT count(*) FROM event_outbox WHERE target = 'hook'"));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (proxy.metric("sse_proxy_notifications_failed_total") < 1 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertTrue(proxy.metric("sse_proxy_notifications_failed_total") >= 1);
        proxy.kill();
        hookStatus = 200;
        proxy.restart();
        Predicate<JsonNode> ours = n -> bucket.equals(n.at("/Records/0/s3/bucket/name").asText());
        List<JsonNode> got = exactlyAfterSettling(() -> at("/events"),
                n -> ours.test(n) && "dur/2".equals(n.at("/Records/0/s3/object/key").asText()));
        assertEquals(1, got.size(), got.toString());
        List<String> keys = at("/events").stream().filter(ours).map(n -> n.at("/Records/0/s3/object/key").asText()).sorted().toList();
        assertEquals(List.of("dur/1", "dur/2"), keys);
        assertEquals("0", proxy.sql("SELECT count(*) FROM event_outbox WHERE target = 'hook'"));
        // the restarted node read the configuration back from the database
        s3.putObject(b -> b.bucket(bucket).key("dur/3"), RequestBody.fromString("three"));
        assertEquals(1, exactlyAfterSettling(() -> at("/events"),
                n -> ours.test(n) && "dur/3".equals(n.at("/Records/0/s3/object/key").asText())).size());
    }

    @Test
    @Order(4)
    void twoNodesShareTheOutboxAndDeliverEachEventOnce() throws Exception {
        String hook = "http://127.0.0.1:" + hooks.getAddress().getPort();
        List<ProxyProcess> nodes = ProxyProcess.startCluster("notify-cl", 200, 2, Map.of(
                "SSE_PROXY_NOTIFICATIONS_TARGETS", "clhook=" + hook + "/cluster",
                "SSE_PROXY_NOTIFICATIONS_POLL_INTERVAL", "50ms"));
        try {
            S3Client a = Clients.sdk(nodes.get(0).endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            S3Client b = Clients.sdk(nodes.get(1).endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
            String bucket = "evt-cl-" + RUN;
            a.createBucket(r -> r.bucket(bucket));
            a.putBucketNotificationConfiguration(r -> r.bucket(bucket).notificationConfiguration(n -> n
                    .queueConfigurations(q -> q.id("cl").queueArn(queue("clhook")).events(Event.S3_OBJECT_CREATED))));
            // node B learns the configuration through the change feed
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (b.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations().isEmpty()
                    && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(1, b.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations().size());
            int n = 40;
            for (int i = 0; i < n; i++) {
                String key = "k" + i;
                (i % 2 == 0 ? a : b).putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
            }
            Predicate<JsonNode> ours = x -> bucket.equals(x.at("/Records/0/s3/bucket/name").asText());
            end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (at("/cluster").stream().filter(ours).count() < n && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            Thread.sleep(1500);
            List<String> keys = at("/cluster").stream().filter(ours).map(x -> x.at("/Records/0/s3/object/key").asText())
                    .sorted().toList();
            assertEquals(n, keys.size(), keys.toString());
            assertEquals(n, keys.stream().distinct().count(), "duplicates: " + keys);
            assertTrue(nodes.get(0).metric("sse_proxy_notifications_delivered_total") > 0
                    || nodes.get(1).metric("sse_proxy_notifications_delivered_total") > 0);
        } finally {
            for (ProxyProcess p : nodes) {
                p.stop();
            }
        }
    }
}
