package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Background jobs run once in a cluster (issue 11): two proxies on one database ({@link
 * ProxyProcess#startCluster}) with the default local KMS (its keystore shared in the database), leases of 3 s. A rewrap job started on node A, A killed with kill -9
 * mid-job, is finished by node B once, with exact counts, every stored key under the latest version
 * and every object readable; log files delivered while both nodes are up hold every event exactly
 * once (read from the delivery bucket).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterJobsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PORT_OFFSET = 830;
    static final String LOG_BUCKET = Clients.bucketName("cluster-trail");
    static final Pattern DONE_LINE = Pattern.compile("rewrap job (\\d+) done");

    static List<ProxyProcess> nodes;
    static ProxyProcess a;
    static ProxyProcess b;
    static boolean aKilled;

    /** Where this run's lines start in each node's (appended) log. */
    static final Map<String, Long> logStart = new HashMap<>();

    @BeforeAll
    static void setUp() throws IOException {
        for (String node : List.of("jobs-0", "jobs-1")) {
            Path log = log(node);
            logStart.put(node, Files.exists(log) ? Files.size(log) : 0L);
        }
        // the default local KMS: its keystore is in the shared database, sealed by the cluster's master key
        nodes = ProxyProcess.startCluster("jobs", PORT_OFFSET, 2, Map.of(
                "SSE_PROXY_JOBS_LEASE_DURATION", "3s",
                // test-only throttle: the job must still be running when A is killed
                "SSE_PROXY_JOBS_REWRAP_OBJECT_DELAY", "25ms",
                "SSE_PROXY_AUDIT_DELIVERY_BUCKET", LOG_BUCKET,
                "SSE_PROXY_AUDIT_DELIVERY_INTERVAL", "2s"));
        a = nodes.get(0);
        b = nodes.get(1);
    }

    @AfterAll
    static void tearDown() {
        if (nodes != null) {
            nodes.forEach(ProxyProcess::stop);
        }

    }

    @Test
    @Order(1)
    void aRewrapJobStartedOnAKilledMidJobFinishesOnceOnB() throws Exception {
        S3Client s3a = Clients.sdk(a.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        S3Client s3b = Clients.sdk(b.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        String keyArn = KmsAtScaleIT.newKey(a, "cluster rewrap");
        String sseS3 = KmsAtScaleIT.bucket(s3a, "cj-s3", "AES256", null, false);
        String kmsBk = KmsAtScaleIT.bucket(s3a, "cj-kbk", "aws:kms", keyArn, true);
        String kmsNoBk = KmsAtScaleIT.bucket(s3a, "cj-k", "aws:kms", keyArn, false);
        List<String> buckets = List.of(sseS3, kmsBk, kmsNoBk);
        int perBucket = 120;
        for (String bk : buckets) {
            KmsAtScaleIT.parallel(perBucket, 8, i -> s3a.putObject(x -> x.bucket(bk).key("o-" + i),
                    RequestBody.fromBytes(KmsAtScaleIT.body(i, 500))));
        }
        assertEquals(2, a.admin("POST", "/admin/kms/rotate", "{\"keyId\":\"" + keyArn + "\"}").get("latestVersion").asInt());
        String sseS3Version = a.admin("POST", "/admin/kms/rotate", "{\"sseS3\":true}").get("latestVersion").asText();
        Map<String, String> latest = Map.of(sseS3, sseS3Version, kmsBk, "2", kmsNoBk, "2");

        long id = a.admin("POST", "/admin/kms/rewrap", "{}").get("id").asLong();
        String runner = "";
        for (int i = 0; i < 100 && runner.isEmpty(); i++) {
            runner = holder(a, "rewrap-job-" + id);
            Thread.sleep(runner.isEmpty() ? 50 : 0);
        }
        assertEquals(a.admin("GET", "/admin/cluster/leases", null).get("node").asText(), runner,
                "the node that started the job runs it");
        long killedAt = -1;
        for (int i = 0; i < 3000 && killedAt < 0; i++) {
            JsonNode j = a.admin("GET", "/admin/kms/rewrap/" + id, null);
            assertEquals("RUNNING", j.get("state").asText(), "the job ended before it could be interrupted: " + j);
            if (j.get("done").asLong() >= 60) {
                a.kill();
                aKilled = true;
                killedAt = j.get("done").asLong();
            } else {
                Thread.sleep(20);
            }
        }
        assertTrue(killedAt > 0, "the job never got going");
        long killed = System.nanoTime();

        // B takes the job's lease once A's expires (3 s), and resumes it from A's last checkpoint
        JsonNode done = null;
        long resumedAfterMs = -1;
        long doneAtKill = b.admin("GET", "/admin/kms/rewrap/" + id, null).get("done").asLong();
        for (int i = 0; i < 1200; i++) {
            done = b.admin("GET", "/admin/kms/rewrap/" + id, null);
            if (resumedAfterMs < 0 && done.get("done").asLong() > doneAtKill) {
                resumedAfterMs = (System.nanoTime() - killed) / 1_000_000;
            }
            if (!"RUNNING".equals(done.get("state").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        System.out.printf("ClusterJobsIT: A killed at %d of %d objects; B resumed the job %d ms after the kill%n",
                killedAt, buckets.size() * perBucket, resumedAfterMs);
        assertEquals("DONE", done.get("state").asText(), done.toString());
        long objects = buckets.size() * (long) perBucket;
        assertEquals(objects, done.get("total").asLong(), done.toString());
        assertEquals(objects, done.get("done").asLong(), "every object counted once: " + done);
        assertEquals(objects, done.get("rewrapped").asLong(), "every object rewrapped once: " + done);
        assertTrue(killedAt < objects, "killed mid-job: " + killedAt + " of " + objects);
        assertEquals("", a.sql("SELECT name FROM cluster_lease WHERE name = 'rewrap-job-" + id + "'"),
                "a finished job's lease is gone");

        // the job ended once, on B: B's log says so once, A's never
        assertEquals(List.of(id), doneLines("jobs-1").stream().filter(n -> n == id).toList());
        assertTrue(doneLines("jobs-0").stream().noneMatch(n -> n == id), "A never finished it");

        MinioClient minio = minio();
        for (String bk : buckets) {
            int count = 0;
            for (var item : minio.listObjects(ListObjectsArgs.builder().bucket(bk).build())) {
                String key = item.get().objectName();
                assertEquals(latest.get(bk), StoredEnvelope.field(minio.statObject(StatObjectArgs.builder().bucket(bk).object(key).build()),
                        "kms-ver"), "stored key under the latest version: " + bk + "/" + key);
                count++;
            }
            assertEquals(perBucket, count, bk);
            KmsAtScaleIT.parallel(perBucket, 8, i -> assertArrayEquals(KmsAtScaleIT.body(i, 500),
                    s3b.getObjectAsBytes(x -> x.bucket(bk).key("o-" + i)).asByteArray()));
        }
        s3a.close();
        s3b.close();
    }

    @Test
    @Order(2)
    void withBothNodesUpEveryEventIsDeliveredInExactlyOneFileByOneNode() throws Exception {
        if (aKilled) {
            a.restart();
            aKilled = false;
        }
        S3Client s3a = Clients.sdk(a.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        S3Client s3b = Clients.sdk(b.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        // until now the log bucket did not exist: a planned file waits, failing, and is now finished under its key
        s3b.createBucket(x -> x.bucket(LOG_BUCKET));
        String data = Clients.bucketName("cj-data");
        s3a.createBucket(x -> x.bucket(data));
        for (int i = 0; i < 40; i++) {
            int n = i;
            S3Client c = i % 2 == 0 ? s3a : s3b;
            c.putObject(x -> x.bucket(data).key("k" + n), RequestBody.fromString("v" + n));
            (i % 2 == 0 ? s3b : s3a).headObject(x -> x.bucket(data).key("k" + n));
        }
        Thread.sleep(2500); // both nodes' audit writers flushed (flush interval 1 s)
        String cutoff = a.sql("SELECT now()");
        long before = Long.parseLong(a.sql("SELECT count(*) FROM audit_event WHERE event_time <= '" + cutoff + "'"));
        assertTrue(before >= 160, before + " events");
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline && !"0".equals(a.sql("SELECT count(*) FROM audit_event WHERE NOT delivered "
                + "AND event_time <= '" + cutoff + "'"))) {
            Thread.sleep(250);
        }
        assertEquals("0", a.sql("SELECT count(*) FROM audit_event WHERE NOT delivered AND event_time <= '" + cutoff + "'"),
                "every event recorded before the cutoff is delivered");
        Set<String> expected = new HashSet<>(List.of(a.sql("SELECT event_id FROM audit_event WHERE event_time <= '"
                + cutoff + "'").split("\n")));

        // the delivery bucket read directly (MinIO: which objects exist) and through the proxy (their records)
        Map<String, String> fileOf = new HashMap<>();
        List<String> listed = new ArrayList<>();
        for (S3Object o : s3b.listObjectsV2Paginator(x -> x.bucket(LOG_BUCKET)).contents()) {
            listed.add(o.key());
            JsonNode records = parse(s3b.getObjectAsBytes(x -> x.bucket(LOG_BUCKET).key(o.key())).asByteArray());
            for (JsonNode r : records) {
                String previous = fileOf.put(r.get("eventID").asText(), o.key());
                assertEquals(null, previous, "event " + r.get("eventID").asText() + " in two files: " + previous
                        + " and " + o.key());
            }
        }
        MinioClient minio = minio();
        Set<String> stored = new HashSet<>();
        for (var item : minio.listObjects(ListObjectsArgs.builder().bucket(LOG_BUCKET).recursive(true).build())) {
            stored.add(item.get().objectName());
        }
        assertTrue(stored.containsAll(listed), "every listed file is one object at the backend (more may have come since)");
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(fileOf.keySet());
        assertEquals(Set.of(), missing, "every delivered event is in a file");
        System.out.printf("ClusterJobsIT: %d events in %d log files, none twice%n", fileOf.size(), listed.size());

        // one node delivers, one purges: the holders of the leases, as both nodes report them
        String nodeA = a.admin("GET", "/admin/cluster/leases", null).get("node").asText();
        String nodeB = b.admin("GET", "/admin/cluster/leases", null).get("node").asText();
        assertNotEquals(nodeA, nodeB);
        String delivering = holder(b, "audit-delivery");
        assertTrue(delivering.equals(nodeA) || delivering.equals(nodeB), delivering);
        assertEquals(delivering, holder(a, "audit-delivery"), "both nodes see one holder");
        assertTrue(Set.of(nodeA, nodeB).contains(holder(a, "audit-retention")));
        ProxyProcess deliverer = delivering.equals(nodeA) ? a : b;
        ProxyProcess other = deliverer == a ? b : a;
        assertEquals(1.0, deliverer.metric("sse_proxy_cluster_lease_held", "lease=\"audit-delivery\""));
        assertEquals(0.0, other.metric("sse_proxy_cluster_lease_held", "lease=\"audit-delivery\""));
        // a file is counted when its events are marked, once (a retried upload of a planned file is the same file)
        double counted = deliverer.metric("sse_proxy_audit_delivery_files_total")
                + other.metric("sse_proxy_audit_delivery_files_total");
        Set<String> now = new HashSet<>();
        for (var item : minio.listObjects(ListObjectsArgs.builder().bucket(LOG_BUCKET).recursive(true).build())) {
            now.add(item.get().objectName());
        }
        assertTrue(counted <= now.size(), counted + " files counted, " + now.size() + " in the bucket");
        s3a.close();
        s3b.close();
    }

    /**
     * The crash window between a log file's upload and the marking of its events, made on purpose: the
     * test takes the delivery lease (so no node delivers meanwhile), turns a delivered file back into a
     * plan (its events undelivered, its key and ids recorded, as a node killed after the upload leaves
     * them), and gives the lease back. The next holder uploads the file again under the same key with
     * the same records, and no event lands in a second file.
     */
    @Test
    @Order(3)
    void aFileUploadedButNotMarkedIsUploadedAgainUnderItsKeyWithTheSameRecords() throws Exception {
        S3Client s3b = Clients.sdk(b.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        a.sql("UPDATE cluster_lease SET holder = 'it', token = token + 1, expires_at = now() + interval '1 hour' "
                + "WHERE name = 'audit-delivery'");
        Thread.sleep(3000); // a run in flight ends: its fenced writes fail from now on
        S3Object victim = null;
        for (S3Object o : s3b.listObjectsV2Paginator(x -> x.bucket(LOG_BUCKET)).contents()) {
            victim = o;
        }
        String key = victim.key();
        byte[] before = s3b.getObjectAsBytes(x -> x.bucket(LOG_BUCKET).key(key)).asByteArray();
        List<String> ids = new ArrayList<>();
        parse(before).forEach(r -> ids.add(r.get("eventID").asText()));
        String array = "ARRAY['" + String.join("','", ids) + "']::uuid[]";
        MinioClient minio = minio();
        java.time.ZonedDateTime uploaded = minio.statObject(StatObjectArgs.builder().bucket(LOG_BUCKET).object(key).build())
                .lastModified();
        a.sql("BEGIN; UPDATE audit_event SET delivered = false WHERE event_id = ANY(" + array + "); "
                + "INSERT INTO audit_log_file (object_key, account_id, region, event_ids, token) VALUES ('" + key
                + "', '000000000001', 'us-east-1', " + array + ", 0); COMMIT;");
        Thread.sleep(1100); // a new upload gets a later Last-Modified (seconds)
        a.sql("UPDATE cluster_lease SET expires_at = now() WHERE name = 'audit-delivery' AND holder = 'it'");

        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && !"0".equals(a.sql("SELECT count(*) FROM audit_log_file"))) {
            Thread.sleep(250);
        }
        assertEquals("0", a.sql("SELECT count(*) FROM audit_log_file"), "the plan was finished");
        assertEquals("0", a.sql("SELECT count(*) FROM audit_event WHERE NOT delivered AND event_id = ANY(" + array + ")"));
        assertTrue(minio.statObject(StatObjectArgs.builder().bucket(LOG_BUCKET).object(key).build()).lastModified()
                .isAfter(uploaded), "uploaded again");
        byte[] after = s3b.getObjectAsBytes(x -> x.bucket(LOG_BUCKET).key(key)).asByteArray();
        assertArrayEquals(before, after, "the same records in the same order: the same file");
        Set<String> mine = new HashSet<>(ids);
        for (S3Object o : s3b.listObjectsV2Paginator(x -> x.bucket(LOG_BUCKET)).contents()) {
            if (!o.key().equals(key)) {
                for (JsonNode r : parse(s3b.getObjectAsBytes(x -> x.bucket(LOG_BUCKET).key(o.key())).asByteArray())) {
                    assertTrue(!mine.contains(r.get("eventID").asText()), r.get("eventID").asText() + " also in " + o.key());
                }
            }
        }
        s3b.close();
    }

    /** The backend, read directly (Clients.backend() would start the shared proxy too). */
    static MinioClient minio() {
        return MinioClient.builder().endpoint(a.minioEndpoint().toString())
                .credentials(ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD).region("us-east-1").build();
    }

    /** The holder of a lease, as this node's admin API lists it ("" when nobody holds it live). */
    static String holder(ProxyProcess p, String lease) {
        for (JsonNode l : p.admin("GET", "/admin/cluster/leases", null).get("leases")) {
            if (lease.equals(l.get("name").asText()) && l.get("live").asBoolean()) {
                return l.get("holder").asText();
            }
        }
        return "";
    }

    static Path log(String node) {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().resolve("target/it-proxy-" + node + ".log");
    }

    /** The job ids a node's log says it finished, in this run. */
    static List<Long> doneLines(String node) throws IOException {
        Path log = log(node);
        List<Long> ids = new ArrayList<>();
        if (Files.exists(log)) {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(all.length, logStart.getOrDefault(node, 0L));
            for (String line : new String(all, from, all.length - from, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = DONE_LINE.matcher(line);
                if (m.find()) {
                    ids.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return ids;
    }

    static JsonNode parse(byte[] gz) throws IOException {
        return JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes()).get("Records");
    }
}
