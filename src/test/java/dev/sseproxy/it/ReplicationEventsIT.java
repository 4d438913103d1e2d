package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Replication events through event notifications: a replication that fails (another account's destination
 * whose policy does not allow {@code s3:ReplicateObject}) sends {@code s3:Replication:OperationFailedReplication}
 * in S3's message shape (with {@code replicationEventData}) to the source bucket's webhook, beside the write's own
 * {@code ObjectCreated:Put} (both steps run before the write is acknowledged), and counts in the metrics.
 */
class ReplicationEventsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<JsonNode> received = new ArrayList<>();
    static HttpServer hooks;
    static ProxyProcess proxy;
    static S3Client s3;
    static String account;

    @BeforeAll
    static void start() throws Exception {
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            synchronized (received) {
                received.add(JSON.readTree(body));
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        hooks.start();
        proxy = ProxyProcess.startDedicated("replication-events", 1230, Map.of(
                "SSE_PROXY_NOTIFICATIONS_TARGETS", "hook=http://127.0.0.1:" + hooks.getAddress().getPort() + "/events",
                "SSE_PROXY_NOTIFICATIONS_RETRY_FIRST", "200ms"));
        s3 = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        account = s3.listBuckets().owner().id();
    }

    @AfterAll
    static void stop() {
        s3.close();
        proxy.stop();
        hooks.stop(0);
    }

    static List<JsonNode> records(String eventName) {
        List<JsonNode> out = new ArrayList<>();
        synchronized (received) {
            for (JsonNode m : received) {
                for (JsonNode r : m.path("Records")) {
                    if (eventName.equals(r.path("eventName").asText())) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void aFailedReplicationIsAnEventAndAMetric() {
        String[] other = proxy.newAccount("repl-events-other");
        try (S3Client theirs = Clients.sdk(proxy.endpoint(), other[1], other[2])) {
            String closed = ReplicationIT.versioned(theirs, "repl-ev-closed");
            String src = ReplicationIT.versioned(s3, "repl-ev-src");
            s3.putBucketNotificationConfiguration(b -> b.bucket(src).notificationConfiguration(n -> n.queueConfigurations(
                    q -> q.id("all").queueArn("arn:aws:sqs:us-east-1:" + account + ":hook")
                            .eventsWithStrings("s3:ObjectCreated:*", "s3:Replication:*"))));
            ReplicationIT.configure(s3, account, src, new ReplicationIT.Rule("to-closed", closed, "", false, false, null));
            var put = s3.putObject(x -> x.bucket(src).key("doc.txt"), RequestBody.fromString("replicate me"));
            ReplicationIT.await("FAILED", () -> "FAILED".equals(ReplicationIT.status(s3, src, "doc.txt")));
            ReplicationIT.await("the failure event", () -> !records("Replication:OperationFailedReplication").isEmpty());
            ReplicationIT.await("the write's event", () -> !records("ObjectCreated:Put").isEmpty());
            JsonNode r = records("Replication:OperationFailedReplication").get(0);
            assertEquals("aws:s3", r.path("eventSource").asText());
            assertEquals(src, r.path("s3").path("bucket").path("name").asText());
            assertEquals("doc.txt", r.path("s3").path("object").path("key").asText());
            assertEquals(put.versionId(), r.path("s3").path("object").path("versionId").asText());
            JsonNode data = r.path("replicationEventData");
            assertEquals("to-closed", data.path("replicationRuleId").asText());
            assertEquals("arn:aws:s3:::" + closed, data.path("destinationBucket").asText());
            assertEquals("OBJECT_PUT", data.path("s3Operation").asText());
            assertTrue(data.path("failureReason").asText().startsWith("AccessDenied"), data.toString());
            assertEquals(1, records("Replication:OperationFailedReplication").size());
            assertEquals(1, records("ObjectCreated:Put").size());
            assertTrue(proxy.metric("sse_proxy_replication_failed_total") >= 1);
            assertTrue(proxy.metric("sse_proxy_replication_queued_total") >= 1);
        }
    }

    @Test
    void aLateReplicationReportsTheMissedThresholdAndThenItsCompletion() {
        String src = ReplicationIT.versioned(s3, "repl-rtc-src");
        String dst = ReplicationIT.versioned(s3, "repl-rtc-dst");
        s3.putBucketNotificationConfiguration(b -> b.bucket(src).notificationConfiguration(n -> n.queueConfigurations(
                q -> q.id("rtc").queueArn("arn:aws:sqs:us-east-1:" + account + ":hook")
                        .eventsWithStrings("s3:Replication:*"))));
        s3.putBucketReplication(x -> x.bucket(src).replicationConfiguration(c -> c
                .role("arn:aws:iam::" + account + ":role/replication").rules(r -> r.id("rtc").priority(1).status("Enabled")
                        .filter(f -> f.prefix("")).deleteMarkerReplication(d -> d.status("Disabled"))
                        .destination(d -> d.bucket("arn:aws:s3:::" + dst)
                                .replicationTime(t -> t.status("Enabled").time(m -> m.minutes(15)))
                                .metrics(m -> m.status("Enabled").eventThreshold(e -> e.minutes(15)))))));
        s3.deleteBucket(x -> x.bucket(dst)); // the replication waits (retried) until the destination is back
        s3.putObject(x -> x.bucket(src).key("late"), RequestBody.fromString("late"));
        // the threshold is 15 minutes (S3 allows no other): the row is made 16 minutes old
        proxy.sql("UPDATE replication_queue SET created_at = now() - interval '16 minutes' WHERE bucket = '" + src + "'");
        ReplicationIT.await("missed threshold", () -> !records("Replication:OperationMissedThreshold").isEmpty());
        JsonNode missed = records("Replication:OperationMissedThreshold").get(0);
        assertEquals("late", missed.path("s3").path("object").path("key").asText());
        assertEquals(900, missed.path("replicationEventData").path("threshold").asInt());
        assertEquals("PENDING", ReplicationIT.status(s3, src, "late"));
        s3.createBucket(x -> x.bucket(dst));
        ReplicationIT.versioning(s3, dst);
        ReplicationIT.await("COMPLETED", () -> "COMPLETED".equals(ReplicationIT.status(s3, src, "late")));
        ReplicationIT.await("replicated after threshold",
                () -> !records("Replication:OperationReplicatedAfterThreshold").isEmpty());
        assertEquals(1, records("Replication:OperationMissedThreshold").size(), "reported once");
        assertEquals("rtc", records("Replication:OperationReplicatedAfterThreshold").get(0).path("replicationEventData")
                .path("replicationRuleId").asText());
    }
}
