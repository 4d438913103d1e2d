package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The coverage view (issue 13, item 3) end to end: buckets with NOT-SSE (adopted from MinIO), SSE-S3
 * and SSE-KMS objects with and without a bucket key are scanned; the admin JSON, the page's data, the
 * Prometheus gauges and the page as headless Chromium renders it all carry the numbers that were
 * written; a scan on one node of a cluster is served by the other.
 */
class CoveragePageIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final List<String> STATUSES = List.of("NOT-SSE", "SSE-S3", "SSE-KMS", "DSSE-KMS", "SSE-C");

    static ProxyProcess proxy;
    static S3Client s3;
    static KmsClient kms;
    static MinioClient minio;

    @BeforeAll
    static void setUp() {
        // periodic scans off: every snapshot of this test is one it asked for
        proxy = ProxyProcess.startDedicated("coverage", 920, Map.of("SSE_PROXY_COVERAGE_INTERVAL", "0s"));
        s3 = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        kms = kms(proxy);
        minio = MinioClient.builder().endpoint(proxy.minioEndpoint().toString())
                .credentials(ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD).region("us-east-1").build();
    }

    @AfterAll
    static void tearDown() {
        if (s3 != null) {
            s3.close();
            kms.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    static KmsClient kms(ProxyProcess p) {
        return KmsClient.builder().endpointOverride(p.managementEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** What a bucket should count: objects and bytes by status and by (key ARN, bucket key). */
    static final class Expected {
        final String account;
        final Map<String, long[]> byStatus = new TreeMap<>();
        final Map<String, long[]> byKey = new TreeMap<>();

        Expected(String account) {
            this.account = account;
        }

        void add(String status, long size, String keyArn, boolean bucketKey) {
            byStatus.computeIfAbsent(status, s -> new long[2])[0]++;
            byStatus.get(status)[1] += size;
            if (keyArn != null) {
                long[] k = byKey.computeIfAbsent(keyArn + " " + bucketKey, x -> new long[2]);
                k[0]++;
                k[1] += size;
            }
        }

        long objects() {
            return byStatus.values().stream().mapToLong(v -> v[0]).sum();
        }

        long bytes() {
            return byStatus.values().stream().mapToLong(v -> v[1]).sum();
        }
    }

    static byte[] data(int size, int seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    /** Puts through the proxy and checks with HEAD that the object is encrypted as expected; adds it. */
    static void put(S3Client client, Expected e, String bucket, String key, int size, String status,
            java.util.function.UnaryOperator<software.amazon.awssdk.services.s3.model.PutObjectRequest.Builder> how) {
        client.putObject(how.apply(software.amazon.awssdk.services.s3.model.PutObjectRequest.builder().bucket(bucket)
                .key(key)).build(), RequestBody.fromBytes(data(size, size)));
        HeadObjectResponse h = client.headObject(b -> b.bucket(bucket).key(key));
        String seen = h.serverSideEncryption() == ServerSideEncryption.AWS_KMS ? "SSE-KMS"
                : h.serverSideEncryption() == ServerSideEncryption.AES256 ? "SSE-S3" : "NOT-SSE";
        assertEquals(status, seen, key);
        e.add(status, size, h.ssekmsKeyId(), Boolean.TRUE.equals(h.bucketKeyEnabled()));
    }

    @Test
    void everyBucketsCoverageIsInTheJsonTheGaugesAndThePageAsChromiumRendersIt() throws Exception {
        Map<String, Expected> expected = new LinkedHashMap<>();
        String[] tenant = proxy.newAccount("coverage-tenant");
        String root = proxy.admin("GET", "/admin/accounts", "").findValues("id").stream().map(JsonNode::asText)
                .filter(id -> !id.equals(tenant[0])).findFirst().orElseThrow();
        String key = kms.createKey(b -> b.description("CoveragePageIT")).keyMetadata().arn();

        // NOT-SSE: a bucket only MinIO has, with objects put there directly, adopted for the tenant
        String legacy = Clients.bucketName("cov-legacy");
        minio.makeBucket(MakeBucketArgs.builder().bucket(legacy).build());
        Expected l = new Expected(tenant[0]);
        for (int size : new int[] {100, 2_000, 30_000}) {
            minio.putObject(PutObjectArgs.builder().bucket(legacy).object("old-" + size)
                    .stream(new ByteArrayInputStream(data(size, size)), (long) size, -1L).build());
            l.add("NOT-SSE", size, null, false);
        }
        JsonNode adopted = proxy.admin("POST", "/admin/buckets/" + legacy + "/adopt", "{\"account\":\"" + tenant[0] + "\"}");
        assertEquals(3, adopted.path("notEncrypted").asLong(), adopted::toString);
        try (S3Client theirs = Clients.sdk(proxy.endpoint(), tenant[1], tenant[2])) {
            put(theirs, l, legacy, "new-1", 4_096, "SSE-S3", b -> b);
        }
        expected.put(legacy, l);

        // SSE-S3 (the default)
        String sseS3 = Clients.newBucket(s3, "cov-sse-s3");
        Expected s = new Expected(root);
        put(s3, s, sseS3, "a", 1_000, "SSE-S3", b -> b);
        put(s3, s, sseS3, "b", 5_000, "SSE-S3", b -> b.serverSideEncryption(ServerSideEncryption.AES256));
        expected.put(sseS3, s);

        // SSE-KMS with an S3 Bucket Key (the bucket's default) and without (per object, and aws/s3)
        String kmsBk = Clients.newBucket(s3, "cov-kms-bk");
        s3.putBucketEncryption(b -> b.bucket(kmsBk).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(key))
                .bucketKeyEnabled(true))));
        Expected kb = new Expected(root);
        for (int i = 0; i < 3; i++) {
            put(s3, kb, kmsBk, "k" + i, 700 + i, "SSE-KMS", b -> b);
        }
        expected.put(kmsBk, kb);
        assertTrue(kb.byKey.containsKey(key + " true"), kb.byKey::toString);

        String kmsNoBk = Clients.newBucket(s3, "cov-kms");
        Expected k = new Expected(root);
        put(s3, k, kmsNoBk, "x", 2_500, "SSE-KMS", b -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(key).bucketKeyEnabled(false));
        put(s3, k, kmsNoBk, "y", 3_500, "SSE-KMS", b -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(key).bucketKeyEnabled(false));
        put(s3, k, kmsNoBk, "z", 10, "SSE-KMS", b -> b.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .bucketKeyEnabled(false));
        expected.put(kmsNoBk, k);
        assertTrue(k.byKey.containsKey(key + " false"), k.byKey::toString);
        assertEquals(2, k.byKey.size(), "aws/s3 and the customer key: " + k.byKey);

        // an empty bucket, and one that will be deleted (its gauges must go)
        String empty = Clients.newBucket(s3, "cov-empty");
        expected.put(empty, new Expected(root));
        String doomed = Clients.newBucket(s3, "cov-doomed");
        s3.putObject(b -> b.bucket(doomed).key("d"), RequestBody.fromString("doomed"));

        // before any scan: the admin view and the page's data say there is none
        assertEquals(404, get(proxy, "/coverage/data.json").statusCode());
        HttpResponse<String> none = admin(proxy, "GET", "/admin/coverage", "");
        assertEquals(404, none.statusCode(), none::body);

        JsonNode snap = scan(proxy, "");
        Instant scanned = Instant.parse(snap.path("scannedAt").asText());
        assertEquals(6, snap.path("buckets").size(), snap::toString);
        assertTrue(metricLines(proxy).stream().anyMatch(x -> x.contains("bucket=\"" + doomed + "\"")));
        s3.deleteObject(b -> b.bucket(doomed).key("d"));
        s3.deleteBucket(b -> b.bucket(doomed));

        snap = scan(proxy, "");
        System.out.println("coverage snapshot: " + snap);
        assertTrue(snap.path("id").asLong() > 0);
        assertTrue(!Instant.parse(snap.path("scannedAt").asText()).isBefore(scanned));
        assertSnapshot(expected, snap);
        // the same document from the admin API and the page's data (both served from memory)
        assertEquals(snap, JSON.readTree(admin(proxy, "GET", "/admin/coverage", "").body()));
        HttpResponse<String> data = get(proxy, "/coverage/data.json");
        assertEquals(200, data.statusCode());
        assertEquals("application/json", data.headers().firstValue("content-type").orElse(""));
        assertEquals("nosniff", data.headers().firstValue("x-content-type-options").orElse(""));
        assertEquals("no-store", data.headers().firstValue("cache-control").orElse(""));
        assertEquals(snap, JSON.readTree(data.body()));

        // root only: a tenant's signature, or none, is refused
        HttpResponse<String> denied = admin(proxy, "POST", "/admin/coverage/scan", "", tenant[1], tenant[2]);
        assertEquals(403, denied.statusCode(), denied::body);
        assertEquals(403, HTTP.send(HttpRequest.newBuilder(proxy.managementEndpoint().resolve("/admin/coverage")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> unknown = admin(proxy, "POST", "/admin/coverage/scan",
                "{\"bucket\":\"" + Clients.bucketName("cov-none") + "\"}");
        assertEquals(404, unknown.statusCode(), unknown::body);
        assertEquals(400, admin(proxy, "POST", "/admin/coverage/scan", "{\"bucket\":7}").statusCode());

        assertGauges(proxy, snap);
        List<String> lines = metricLines(proxy);
        assertFalse(lines.stream().anyMatch(x -> x.contains("bucket=\"" + doomed + "\"")), "gauges of a deleted bucket stay");

        assertThePageShows(proxy, snap, Path.of("target", "coverage-page.png").toAbsolutePath());

        // a scan of one bucket replaces only its entry
        minio.putObject(PutObjectArgs.builder().bucket(legacy).object("old-late")
                .stream(new ByteArrayInputStream(data(77, 77)), 77L, -1L).build());
        l.add("NOT-SSE", 77, null, false);
        JsonNode partial = scan(proxy, "{\"bucket\":\"" + legacy + "\"}");
        assertSnapshot(expected, partial);
        for (int i = 0; i < snap.path("buckets").size(); i++) {
            JsonNode before = snap.path("buckets").get(i);
            JsonNode after = partial.path("buckets").get(i);
            if (!before.path("bucket").asText().equals(legacy)) {
                assertEquals(before, after, "a bucket not scanned is kept as it was");
            } else {
                assertTrue(after.path("scannedAt").asText().compareTo(before.path("scannedAt").asText()) > 0);
            }
        }
        assertGauges(proxy, partial);
    }

    @Test
    void aScanOnOneNodeIsServedByTheOther() throws Exception {
        // checks every second: the fresh cluster's first (periodic) scan comes at once; the next is due in 1h
        List<ProxyProcess> nodes = ProxyProcess.startCluster("coverage-cl", 921, 2,
                Map.of("SSE_PROXY_COVERAGE_CHECK_EVERY", "1s"));
        ProxyProcess a = nodes.get(0);
        ProxyProcess b = nodes.get(1);
        try (S3Client onA = Clients.sdk(a.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)) {
            JsonNode first = awaitSnapshot(b, 0, Duration.ofSeconds(60));
            assertEquals(first, awaitSnapshot(a, 0, Duration.ofSeconds(10)));
            Thread.sleep(3_000);
            assertEquals("1", a.sql("SELECT count(*) FROM coverage_snapshot"), "one node scanned, once");

            String bucket = Clients.newBucket(onA, "cov-cluster");
            Expected e = new Expected(null);
            put(onA, e, bucket, "one", 1_234, "SSE-S3", x -> x);
            put(onA, e, bucket, "two", 4_321, "SSE-S3", x -> x);
            double notified = b.metric("sse_proxy_cluster_notifications_received_total", "kind=\"coverage\"");
            long started = System.nanoTime();
            JsonNode onNodeA = scan(a, "");
            JsonNode seenByB = awaitSnapshot(b, onNodeA.path("id").asLong(), Duration.ofSeconds(30));
            System.out.printf("coverage: node B served node A's snapshot %d %d ms after A answered%n",
                    onNodeA.path("id").asLong(), (System.nanoTime() - started) / 1_000_000
                            - onNodeA.path("durationMillis").asLong());
            assertEquals(onNodeA, seenByB);
            // through the change feed (the trigger's coverage:<id>), not only the periodic backstop
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (b.metric("sse_proxy_cluster_notifications_received_total", "kind=\"coverage\"") <= notified
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(b.metric("sse_proxy_cluster_notifications_received_total", "kind=\"coverage\"") > notified,
                    "node B got no coverage notification");
            assertEquals(onNodeA, JSON.readTree(admin(b, "GET", "/admin/coverage", "").body()));
            JsonNode entry = seenByB.path("buckets").get(0);
            assertEquals(bucket, entry.path("bucket").asText());
            assertEquals(2, entry.path("byStatus").path("SSE-S3").path("objects").asLong());
            assertEquals(5_555, entry.path("byStatus").path("SSE-S3").path("bytes").asLong());
            assertGauges(b, seenByB);
            // and the other way round
            JsonNode onNodeB = scan(b, "{\"bucket\":\"" + bucket + "\"}");
            assertEquals(onNodeB, awaitSnapshot(a, onNodeB.path("id").asLong(), Duration.ofSeconds(30)));

            // scans asked of both nodes at once run one after the other (the lease), both answer their own snapshot
            java.util.concurrent.CompletableFuture<HttpResponse<String>> fromA = HTTP.sendAsync(ProxyProcess.signed("POST",
                    a.managementEndpoint(), "/admin/coverage/scan", null, "", ProxyProcess.ROOT_ACCESS_KEY,
                    ProxyProcess.ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
            java.util.concurrent.CompletableFuture<HttpResponse<String>> fromB = HTTP.sendAsync(ProxyProcess.signed("POST",
                    b.managementEndpoint(), "/admin/coverage/scan", null, "", ProxyProcess.ROOT_ACCESS_KEY,
                    ProxyProcess.ROOT_SECRET_KEY), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ra = fromA.get(60, TimeUnit.SECONDS);
            HttpResponse<String> rb = fromB.get(60, TimeUnit.SECONDS);
            assertEquals(201, ra.statusCode(), ra::body);
            assertEquals(201, rb.statusCode(), rb::body);
            long idA = JSON.readTree(ra.body()).path("id").asLong();
            long idB = JSON.readTree(rb.body()).path("id").asLong();
            assertTrue(idA != idB && Math.min(idA, idB) > onNodeB.path("id").asLong(), ra.body() + rb.body());
            assertTrue(a.admin("GET", "/admin/cluster/leases", null).path("leases").findValues("name").stream()
                    .anyMatch(n -> n.asText().equals("coverage-scan")));
            onNodeB = awaitSnapshot(a, Math.max(idA, idB), Duration.ofSeconds(30));
            assertEquals(onNodeB, awaitSnapshot(b, Math.max(idA, idB), Duration.ofSeconds(30)));

            // a node started later serves the stored snapshot at once; with the page off, only the admin route and gauges
            ProxyProcess c = a.startPeer("coverage-cl-2", 923, Map.of("SSE_PROXY_COVERAGE_PAGE_ENABLED", "false"));
            nodes = new ArrayList<>(nodes);
            nodes.add(c);
            for (String path : List.of("/coverage", "/coverage/", "/coverage/data.json")) {
                assertEquals(404, get(c, path).statusCode(), path);
            }
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> onC = admin(c, "GET", "/admin/coverage", "");
            while (onC.statusCode() != 200 && System.nanoTime() < until) {
                Thread.sleep(100);
                onC = admin(c, "GET", "/admin/coverage", "");
            }
            assertEquals(onNodeB, JSON.readTree(onC.body()), onC::body);
            assertGauges(c, onNodeB);
        } finally {
            for (ProxyProcess p : nodes) {
                p.stop();
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static JsonNode scan(ProxyProcess p, String body) throws Exception {
        HttpResponse<String> r = admin(p, "POST", "/admin/coverage/scan", body);
        assertEquals(201, r.statusCode(), r::body);
        return JSON.readTree(r.body());
    }

    /** Polls a node's page data until it serves a snapshot with an id of at least {@code id}. */
    static JsonNode awaitSnapshot(ProxyProcess p, long id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            HttpResponse<String> r = get(p, "/coverage/data.json");
            if (r.statusCode() == 200) {
                JsonNode j = JSON.readTree(r.body());
                if (j.path("id").asLong() >= id && j.path("id").asLong() > 0) {
                    return j;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("node on " + p.managementEndpoint() + " serves no snapshot " + id + " after " + within + ": "
                        + r.statusCode() + " " + r.body());
            }
            Thread.sleep(100);
        }
    }

    static HttpResponse<String> get(ProxyProcess p, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(p.managementEndpoint().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> admin(ProxyProcess p, String method, String path, String body) throws Exception {
        return admin(p, method, path, body, ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
    }

    static HttpResponse<String> admin(ProxyProcess p, String method, String path, String body, String ak, String sk)
            throws Exception {
        return HTTP.send(ProxyProcess.signed(method, p.managementEndpoint(), path, null, body, ak, sk),
                HttpResponse.BodyHandlers.ofString());
    }

    static void assertSnapshot(Map<String, Expected> expected, JsonNode snap) {
        Map<String, JsonNode> buckets = new HashMap<>();
        snap.path("buckets").forEach(b -> buckets.put(b.path("bucket").asText(), b));
        assertEquals(expected.keySet(), buckets.keySet(), snap::toString);
        long objects = 0;
        long bytes = 0;
        Map<String, long[]> keys = new TreeMap<>();
        for (Map.Entry<String, Expected> x : expected.entrySet()) {
            JsonNode b = buckets.get(x.getKey());
            Expected e = x.getValue();
            String where = x.getKey() + ": " + b;
            assertEquals(e.account, b.path("account").asText(), where);
            assertEquals(e.objects(), b.path("objects").asLong(), where);
            assertEquals(e.bytes(), b.path("bytes").asLong(), where);
            assertFalse(b.has("error"), where);
            for (String st : STATUSES) {
                long[] want = e.byStatus.getOrDefault(st, new long[2]);
                assertEquals(want[0], b.path("byStatus").path(st).path("objects").asLong(), st + " " + where);
                assertEquals(want[1], b.path("byStatus").path(st).path("bytes").asLong(), st + " " + where);
            }
            Map<String, long[]> got = new TreeMap<>();
            b.path("byKmsKey").forEach(k -> got.put(k.path("keyArn").asText() + " " + k.path("bucketKey").asBoolean(),
                    new long[] {k.path("objects").asLong(), k.path("bytes").asLong()}));
            assertEquals(render(e.byKey), render(got), where);
            objects += e.objects();
            bytes += e.bytes();
            e.byKey.forEach((k, v) -> {
                long[] t = keys.computeIfAbsent(k, y -> new long[2]);
                t[0] += v[0];
                t[1] += v[1];
            });
        }
        JsonNode t = snap.path("totals");
        assertEquals(expected.size(), t.path("buckets").asLong());
        assertEquals(objects, t.path("objects").asLong());
        assertEquals(bytes, t.path("bytes").asLong());
        long notSse = expected.values().stream().mapToLong(e -> e.byStatus.getOrDefault("NOT-SSE", new long[2])[0]).sum();
        assertEquals(notSse, t.path("byStatus").path("NOT-SSE").path("objects").asLong());
        assertEquals(objects - notSse, t.path("encrypted").path("objects").asLong());
        Map<String, long[]> gotKeys = new TreeMap<>();
        t.path("byKmsKey").forEach(k -> gotKeys.put(k.path("keyArn").asText() + " " + k.path("bucketKey").asBoolean(),
                new long[] {k.path("objects").asLong(), k.path("bytes").asLong()}));
        assertEquals(render(keys), render(gotKeys));
    }

    static String render(Map<String, long[]> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v[0]).append('/').append(v[1]).append('\n'));
        return sb.toString();
    }

    static List<String> metricLines(ProxyProcess p) throws Exception {
        return List.of(get(p, "/q/metrics").body().split("\n"));
    }

    /** Every bucket's gauges equal the snapshot's numbers (and the scan's time). */
    static void assertGauges(ProxyProcess p, JsonNode snap) throws Exception {
        for (JsonNode b : snap.path("buckets")) {
            String bucket = "bucket=\"" + b.path("bucket").asText() + "\"";
            for (String st : STATUSES) {
                String status = "status=\"" + st + "\"";
                assertEquals(b.path("byStatus").path(st).path("objects").asDouble(),
                        p.metric("sse_proxy_coverage_objects", bucket, status), bucket + status);
                assertEquals(b.path("byStatus").path(st).path("bytes").asDouble(),
                        p.metric("sse_proxy_coverage_bytes", bucket, status), bucket + status);
            }
            for (JsonNode k : b.path("byKmsKey")) {
                String[] labels = {bucket, "key_arn=\"" + k.path("keyArn").asText() + "\"",
                    "bucket_key=\"" + k.path("bucketKey").asBoolean() + "\""};
                assertEquals(k.path("objects").asDouble(), p.metric("sse_proxy_coverage_kms_key_objects", labels), bucket);
                assertEquals(k.path("bytes").asDouble(), p.metric("sse_proxy_coverage_kms_key_bytes", labels), bucket);
            }
        }
        double at = Instant.parse(snap.path("scannedAt").asText()).toEpochMilli() / 1000.0;
        assertEquals(at, p.metric("sse_proxy_coverage_scan_timestamp_seconds"), 0.001);
    }

    // ---- the page in headless Chromium -------------------------------------------------------------

    static String chromium() {
        for (String c : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        fail("headless Chromium is needed for the coverage page test and was not found (/usr/bin/chromium): "
                + "install it with scripts/ci-deps.sh (Debian package chromium)");
        return null;
    }

    static String runChromium(Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("chromium-out", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + cmd);
        }
        String stdout = Files.readString(out);
        Files.deleteIfExists(out);
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + cmd + "\n" + stdout);
        return stdout;
    }

    static void assertThePageShows(ProxyProcess p, JsonNode snap, Path png) throws Exception {
        String url = p.managementEndpoint() + "/coverage";
        HttpResponse<String> page = get(p, "/coverage");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(""));
        assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(""));
        String csp = page.headers().firstValue("content-security-policy").orElse("");
        assertTrue(csp.startsWith("default-src 'self'; script-src 'self' 'sha256-"), csp);
        assertFalse(csp.contains("unsafe") || csp.contains("http:") || csp.contains("https:") || csp.contains("*"), csp);
        assertFalse(Pattern.compile("(src|href|action)\\s*=|@import|url\\(").matcher(page.body()).find(),
                "the page loads nothing: no src, href, action, @import or url()");
        assertEquals(page.body(), get(p, "/coverage/").body());

        Path profile = Files.createTempDirectory("coverage-chromium");
        String dom = runChromium(profile, "--virtual-time-budget=5000", "--dump-dom", url);
        Files.writeString(Path.of("target", "coverage-page.dom.html"), dom);
        Map<String, String> body = tags(dom, "body").get(0);
        assertEquals("ready", body.get("data-state"), () -> "the page's script did not render (CSP, fetch?): " + dom);
        assertEquals(snap.path("id").asText(), body.get("data-snapshot"));

        // every number of the JSON is in the DOM
        JsonNode t = snap.path("totals");
        Map<String, String> totals = byId(dom, "totals");
        assertEquals(t.path("buckets").asText(), totals.get("data-buckets"));
        assertEquals(t.path("objects").asText(), totals.get("data-objects"));
        assertEquals(t.path("bytes").asText(), totals.get("data-bytes"));
        assertEquals(t.path("encrypted").path("objects").asText(), totals.get("data-encrypted-objects"));
        assertEquals(t.path("encrypted").path("bytes").asText(), totals.get("data-encrypted-bytes"));
        List<Map<String, String>> rows = withClass(dom, "bucket");
        assertEquals(snap.path("buckets").size(), rows.size());
        List<Map<String, String>> statusCells = withClass(dom, "bucket-status");
        List<Map<String, String>> segments = withClass(dom, "seg");
        List<Map<String, String>> bucketKeys = withClass(dom, "bucket-kms-key");
        int keyRows = 0;
        for (int i = 0; i < rows.size(); i++) {
            JsonNode b = snap.path("buckets").get(i);
            String name = b.path("bucket").asText();
            Map<String, String> row = rows.get(i);
            assertEquals(name, row.get("data-bucket"));
            assertEquals(b.path("account").asText(), row.get("data-account"));
            assertEquals(b.path("objects").asText(), row.get("data-objects"), name);
            assertEquals(b.path("bytes").asText(), row.get("data-bytes"), name);
            assertEquals(b.path("encrypted").path("objects").asText(), row.get("data-encrypted-objects"), name);
            for (String st : STATUSES) {
                Map<String, String> cell = statusCells.stream().filter(c -> name.equals(c.get("data-bucket"))
                        && st.equals(c.get("data-status"))).findFirst().orElseThrow(() -> new AssertionError(name + st));
                assertEquals(b.path("byStatus").path(st).path("objects").asText(), cell.get("data-objects"), name + st);
                assertEquals(b.path("byStatus").path(st).path("bytes").asText(), cell.get("data-bytes"), name + st);
                for (String measure : List.of("objects", "bytes")) {
                    long v = b.path("byStatus").path(st).path(measure).asLong();
                    List<Map<String, String>> seg = segments.stream().filter(x -> name.equals(x.get("data-bucket"))
                            && st.equals(x.get("data-status")) && measure.equals(x.get("data-measure"))).toList();
                    // the bar has a segment for each status present, of that value
                    assertEquals(v == 0 ? 0 : 1, seg.size(), name + st + measure);
                    if (v > 0) {
                        assertEquals(Long.toString(v), seg.get(0).get("data-value"));
                        assertTrue(Double.parseDouble(seg.get(0).get("width")) > 0);
                    }
                }
            }
            for (JsonNode k : b.path("byKmsKey")) {
                keyRows++;
                Map<String, String> r = bucketKeys.stream().filter(x -> name.equals(x.get("data-bucket"))
                        && k.path("keyArn").asText().equals(x.get("data-key-arn"))
                        && k.path("bucketKey").asText().equals(x.get("data-bucket-key"))).findFirst()
                        .orElseThrow(() -> new AssertionError(name + " " + k));
                assertEquals(k.path("objects").asText(), r.get("data-objects"));
                assertEquals(k.path("bytes").asText(), r.get("data-bytes"));
            }
        }
        assertEquals(keyRows, bucketKeys.size());
        List<Map<String, String>> keys = withClass(dom, "kms-key");
        assertEquals(t.path("byKmsKey").size(), keys.size());
        for (int i = 0; i < keys.size(); i++) {
            JsonNode k = t.path("byKmsKey").get(i);
            assertEquals(k.path("keyArn").asText(), keys.get(i).get("data-key-arn"));
            assertEquals(k.path("bucketKey").asText(), keys.get(i).get("data-bucket-key"));
            assertEquals(k.path("objects").asText(), keys.get(i).get("data-objects"));
            assertEquals(k.path("bytes").asText(), keys.get(i).get("data-bytes"));
        }
        for (Map<String, String> cell : withClass(dom, "total-status")) {
            JsonNode c = t.path("byStatus").path(cell.get("data-status"));
            assertEquals(c.path("objects").asText(), cell.get("data-objects"));
            assertEquals(c.path("bytes").asText(), cell.get("data-bytes"));
        }
        assertEquals(STATUSES.size(), withClass(dom, "total-status").size());

        // the screenshot, carried in the test's output
        Files.deleteIfExists(png);
        runChromium(profile, "--virtual-time-budget=5000", "--hide-scrollbars", "--window-size=1280,900",
                "--screenshot=" + png, url);
        assertTrue(Files.exists(png), "no screenshot at " + png);
        byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 10_000, "a screenshot of " + image.length + " bytes shows nothing");
        assertEquals("\u0089PNG", new String(image, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        System.out.println("COVERAGE-SCREENSHOT " + png + " " + image.length);
        System.out.println("-----BEGIN COVERAGE PNG-----");
        System.out.println(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(image));
        System.out.println("-----END COVERAGE PNG-----");
    }

    static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9]*)(\\s[^<>]*)?>");
    static final Pattern ATTR = Pattern.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"([^\"]*)\"");

    /** The attributes of every start tag of the dumped DOM (entities of attribute values decoded), in order. */
    static List<Map<String, String>> tags(String dom, String name) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = TAG.matcher(dom);
        while (m.find()) {
            if (name != null && !m.group(1).equalsIgnoreCase(name)) {
                continue;
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("#tag", m.group(1));
            if (m.group(2) != null) {
                Matcher a = ATTR.matcher(m.group(2));
                while (a.find()) {
                    attrs.put(a.group(1), a.group(2).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                            .replace("&amp;", "&"));
                }
            }
            out.add(attrs);
        }
        return out;
    }

    static List<Map<String, String>> withClass(String dom, String cls) {
        return tags(dom, null).stream().filter(t -> t.containsKey("class")
                && List.of(t.get("class").split(" ")).contains(cls)).toList();
    }

    static Map<String, String> byId(String dom, String id) {
        List<Map<String, String>> found = tags(dom, null).stream().filter(t -> id.equals(t.get("id"))).toList();
        assertEquals(1, found.size(), "#" + id);
        assertNotNull(found.get(0));
        return found.get(0);
    }
}
