package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Issue 6, "Metrics and health": {@code /q/metrics} on the management port names S3 requests by
 * operation, outcome and SSE mode with p50/p99, bytes in and out, and the KMS, bucket-key cache and
 * audit metrics; readiness turns DOWN within 10 s when the backend MinIO hangs (SIGSTOP: the check's
 * timeout) or stops (SIGTERM), and UP again when it returns. The second part runs a MinIO of its own
 * (never the shared one on 9000) and a dedicated proxy in front of it.
 *
 * <p>Runs under failsafe only (which sets {@code proxy.jar}).
 */
@EnabledIfSystemProperty(named = "proxy.jar", matches = ".+", disabledReason = "end to end: runs under failsafe")
class ObservabilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int PORT_OFFSET = 500;
    private static final Duration DOWN_WITHIN = Duration.ofSeconds(10);
    private static final Duration UP_WITHIN = Duration.ofSeconds(10);

    private static ProxyProcess dedicated;
    private static OwnMinio minio;

    @AfterAll
    static void stop() throws IOException {
        if (dedicated != null) {
            dedicated.stop();
        }
        if (minio != null) {
            minio.stop();
            minio.delete();
        }
    }

    // ---- metrics --------------------------------------------------------------------------------

    @Test
    void metricsNameS3RequestsByOperationOutcomeAndSseModeWithPercentilesBytesKmsCacheAndAudit() throws Exception {
        ProxyProcess proxy = ProxyProcess.get();
        URI metricsUri = proxy.managementEndpoint().resolve("/q/metrics");
        Scrape before = Scrape.of(metricsUri);
        String bucket = Clients.bucketName("obs-metrics");
        byte[] body = new byte[100_000];
        new Random(6).nextBytes(body);
        byte[] large = new byte[24 << 20];
        try (S3Client s3 = Clients.sdk()) {
            s3.createBucket(b -> b.bucket(bucket));
            for (int i = 0; i < 3; i++) {
                int n = i;
                s3.putObject(b -> b.bucket(bucket).key("s3-" + n), RequestBody.fromBytes(body));
            }
            s3.putObject(b -> b.bucket(bucket).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                    RequestBody.fromBytes(body));
            s3.putObject(b -> b.bucket(bucket).key("large"), RequestBody.fromBytes(large));
            assertEquals(body.length, s3.getObjectAsBytes(b -> b.bucket(bucket).key("s3-0")).asByteArray().length);
            assertEquals(body.length, s3.getObjectAsBytes(b -> b.bucket(bucket).key("kms")).asByteArray().length);
            assertThrows(NoSuchKeyException.class, () -> s3.getObject(b -> b.bucket(bucket).key("missing")));
            // a client that walks away mid-body: the response never ends
            ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key("large"));
            in.read(new byte[1024]);
            in.abort();
        }

        Scrape after = awaitScrape(metricsUri, s -> s.delta(before, "sse_proxy_s3_requests_seconds_count",
                Map.of("operation", "GetObject", "outcome", "aborted")) >= 1
                && s.delta(before, "sse_proxy_audit_events_written_total", Map.of()) >= 9);
        Map<String, String> putS3 = Map.of("operation", "PutObject", "outcome", "success", "sse_mode", "sse_s3");
        Map<String, String> putKms = Map.of("operation", "PutObject", "outcome", "success", "sse_mode", "sse_kms");
        Map<String, String> getS3 = Map.of("operation", "GetObject", "outcome", "success", "sse_mode", "sse_s3");
        Map<String, String> getMissing = Map.of("operation", "GetObject", "outcome", "client_error", "sse_mode", "none");
        assertTrue(after.delta(before, "sse_proxy_s3_requests_seconds_count", putS3) >= 4, after.lines(putS3));
        assertTrue(after.delta(before, "sse_proxy_s3_requests_seconds_count", putKms) >= 1, after.lines(putKms));
        assertTrue(after.delta(before, "sse_proxy_s3_requests_seconds_count", getS3) >= 1, after.lines(getS3));
        assertTrue(after.delta(before, "sse_proxy_s3_requests_seconds_count", getMissing) >= 1, after.lines(getMissing));
        assertTrue(after.delta(before, "sse_proxy_s3_requests_seconds_count",
                Map.of("operation", "CreateBucket", "outcome", "success", "sse_mode", "none")) >= 1);
        for (String q : List.of("0.5", "0.99")) {
            Map<String, String> quantile = new HashMap<>(putS3);
            quantile.put("quantile", q);
            assertTrue(after.sum("sse_proxy_s3_requests_seconds", quantile) > 0, "p" + q + ": " + after.lines(putS3));
        }
        assertTrue(after.sum("sse_proxy_s3_requests_seconds_max", putS3) > 0);
        assertTrue(after.delta(before, "sse_proxy_s3_requests_seconds_sum", putS3) > 0);

        assertTrue(after.delta(before, "sse_proxy_s3_bytes_in_total", Map.of("operation", "PutObject"))
                >= 4L * body.length + large.length, "request bodies as sent (aws-chunked framing included)");
        assertTrue(after.delta(before, "sse_proxy_s3_bytes_out_total", Map.of("operation", "GetObject"))
                >= 2L * body.length, "plaintext bodies written to the client");

        assertTrue(after.delta(before, "sse_proxy_kms_requests_total",
                Map.of("operation", "generate_data_key", "outcome", "success")) >= 1, "SSE-KMS without bucket key");
        assertTrue(after.has("sse_proxy_kms_request_duration_seconds_count", Map.of("operation", "generate_data_key")));
        assertTrue(after.delta(before, "sse_proxy_kms_limiter_permits_total", Map.of("result", "granted")) >= 1);

        Map<String, String> writeCache = Map.of("cache", "sse.proxy.bucket.keys.write");
        assertTrue(after.delta(before, "cache_gets_total", writeCache) >= 4, "every SSE-S3 PUT asks the bucket-key cache");
        assertTrue(after.has("cache_gets_total", Map.of("cache", "sse.proxy.bucket.keys.read", "result", "hit")));
        assertTrue(after.has("cache_size", writeCache));
        assertTrue(after.has("cache_evictions_total", writeCache));

        assertTrue(after.delta(before, "sse_proxy_audit_events_written_total", Map.of()) >= 9);
        assertTrue(after.has("sse_proxy_audit_queue_depth", Map.of()));
        assertTrue(after.has("sse_proxy_audit_batch_seconds", Map.of("quantile", "0.99")));
        assertTrue(after.has("sse_proxy_audit_events_dropped_total", Map.of()));
        assertTrue(after.has("sse_proxy_audit_admission_rejected_total", Map.of()));

        // the coverage gauges (dev.sseproxy.coverage) are by bucket and KMS key on purpose, set by scans, not traffic
        String traffic = String.join("\n", after.text.lines().filter(l -> !l.contains("sse_proxy_coverage_")).toList());
        assertFalse(traffic.contains(bucket), "no metric is tagged by bucket");
        assertFalse(traffic.contains(ProxyProcess.ROOT_ACCESS_KEY), "nor by access key");
        assertFalse(traffic.contains("000000000001"), "nor by account");
    }

    // ---- health ---------------------------------------------------------------------------------

    @Test
    void readinessFollowsTheBackendMinioDownAndUpWhileLivenessStaysUp() throws Exception {
        minio = OwnMinio.start(Path.of(System.getProperty("project.root", ".")));
        dedicated = ProxyProcess.startDedicated("obs", PORT_OFFSET, Map.of("SSE_PROXY_BACKEND_ENDPOINT",
                minio.endpoint().toString()));
        URI ready = dedicated.managementEndpoint().resolve("/q/health/ready");
        URI live = dedicated.managementEndpoint().resolve("/q/health/live");

        Health up = Health.get(ready);
        assertEquals(200, up.status(), up.body().toString());
        assertEquals("UP", up.check("MinIO").path("status").asText());
        assertEquals(minio.endpoint().toString(), up.check("MinIO").path("data").path("endpoint").asText());
        assertEquals("UP", up.check("PostgreSQL").path("status").asText());
        assertEquals("UP", up.check("KMS").path("status").asText());

        // a MinIO that hangs (SIGSTOP): connections open, nothing answers; the check's timeout decides
        long hung = System.nanoTime();
        minio.signal("STOP");
        Health stalled;
        try {
            stalled = awaitHealth(ready, h -> h.status() == 503, Duration.ofSeconds(30));
        } finally {
            minio.signal("CONT");
        }
        double toStalled = seconds(System.nanoTime() - hung);
        System.out.printf("ObservabilityIT: readiness DOWN %.2f s after MinIO hung: %s%n", toStalled,
                stalled.check("MinIO").path("data"));
        assertTrue(stalled.check("MinIO").path("data").path("reason").asText().startsWith("no answer within"),
                stalled.body().toString());
        assertTrue(toStalled <= DOWN_WITHIN.toSeconds(), "readiness DOWN after " + toStalled + " s");
        long resumed = System.nanoTime();
        awaitHealth(ready, h -> h.status() == 200, Duration.ofSeconds(30));
        System.out.printf("ObservabilityIT: readiness UP %.2f s after MinIO resumed%n", seconds(System.nanoTime() - resumed));

        long stopped = System.nanoTime();
        minio.kill();
        Health down = awaitHealth(ready, h -> h.status() == 503, Duration.ofSeconds(30));
        double toDown = seconds(System.nanoTime() - stopped);
        System.out.printf("ObservabilityIT: readiness DOWN %.2f s after MinIO was stopped: %s%n", toDown,
                down.check("MinIO").path("data"));
        assertEquals("DOWN", down.body().path("status").asText());
        JsonNode minioCheck = down.check("MinIO");
        assertEquals("DOWN", minioCheck.path("status").asText());
        assertFalse(minioCheck.path("data").path("reason").asText().isBlank(), minioCheck.toString());
        assertEquals("UP", down.check("PostgreSQL").path("status").asText(), "only the backend is down");
        assertEquals("UP", down.check("KMS").path("status").asText());
        assertTrue(toDown <= DOWN_WITHIN.toSeconds(), "readiness DOWN after " + toDown + " s");
        assertEquals(200, Health.get(live).status(), "a backend outage is no reason to restart the proxy");

        long restarting = System.nanoTime();
        minio.restart();
        long back = System.nanoTime();
        Health again = awaitHealth(ready, h -> h.status() == 200, Duration.ofSeconds(60));
        double toUp = seconds(System.nanoTime() - back);
        System.out.printf("ObservabilityIT: MinIO took %.2f s to start again; readiness UP %.2f s after it answered%n",
                seconds(back - restarting), toUp);
        assertEquals("UP", again.check("MinIO").path("status").asText());
        assertTrue(toUp <= UP_WITHIN.toSeconds(), "readiness UP " + toUp + " s after MinIO answered");

        try (S3Client s3 = Clients.sdk(dedicated.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)) {
            String bucket = Clients.bucketName("obs-after");
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("back"));
            assertEquals("back", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String());
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static Health awaitHealth(URI uri, Predicate<Health> until, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        Health h;
        do {
            h = Health.get(uri);
            if (until.test(h)) {
                return h;
            }
            ProxyProcess.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not reached within " + atMost + "; last " + h.status() + " " + h.body());
    }

    private static Scrape awaitScrape(URI uri, Predicate<Scrape> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Scrape s;
        do {
            s = Scrape.of(uri);
            if (until.test(s)) {
                return s;
            }
            ProxyProcess.sleep(200);
        } while (System.nanoTime() < deadline);
        return s; // the assertions say what is missing
    }

    /** A health answer: the status code and the JSON body. */
    record Health(int status, JsonNode body) {
        static Health get(URI uri) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Health(r.statusCode(), JSON.readTree(r.body()));
        }

        JsonNode check(String name) {
            for (JsonNode c : body.path("checks")) {
                if (name.equals(c.path("name").asText())) {
                    return c;
                }
            }
            throw new AssertionError("no check " + name + " in " + body);
        }
    }

    /** One scrape of {@code /q/metrics} (Prometheus text format). */
    record Scrape(String text, List<Sample> samples) {
        private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

        record Sample(String name, Map<String, String> labels, double value) {
        }

        static Scrape of(URI uri) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            List<Sample> samples = new ArrayList<>();
            for (String line : r.body().split("\n")) {
                Matcher m = LINE.matcher(line);
                if (line.startsWith("#") || !m.matches()) {
                    continue;
                }
                Map<String, String> labels = new HashMap<>();
                if (m.group(2) != null) {
                    Matcher l = LABEL.matcher(m.group(2));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
            return new Scrape(r.body(), samples);
        }

        private Stream<Sample> matching(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name)
                    && labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))));
        }

        boolean has(String name, Map<String, String> labels) {
            return matching(name, labels).findAny().isPresent();
        }

        /** The sum over every series of {@code name} whose labels include {@code labels}. */
        double sum(String name, Map<String, String> labels) {
            return matching(name, labels).mapToDouble(Sample::value).sum();
        }

        double delta(Scrape before, String name, Map<String, String> labels) {
            return sum(name, labels) - before.sum(name, labels);
        }

        /** The lines of series carrying {@code labels}, for failure messages. */
        String lines(Map<String, String> labels) {
            return String.join("\n", samples.stream().filter(s -> s.name().startsWith("sse_proxy_s3_requests"))
                    .filter(s -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
                    .map(Sample::toString).toList());
        }
    }

    /**
     * A MinIO of this test's own ({@code minio-dev/minio.sh} on free ports, with its own run and data
     * directories), so stopping it never touches the shared MinIO on 9000.
     */
    static final class OwnMinio {
        private final Path root;
        private final Path dir;
        private final int port;
        private final int consolePort;

        private OwnMinio(Path root, Path dir, int port, int consolePort) {
            this.root = root;
            this.dir = dir;
            this.port = port;
            this.consolePort = consolePort;
        }

        static OwnMinio start(Path root) throws IOException {
            int[] ports = freePorts(2);
            OwnMinio m = new OwnMinio(root, Files.createTempDirectory("sse-proxy-obs-minio"), ports[0], ports[1]);
            m.script("start");
            return m;
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + port);
        }

        /** SIGTERM to the MinIO process, without waiting for it to exit (as an operator's stop). */
        void kill() throws IOException {
            long pid = Long.parseLong(Files.readString(dir.resolve("minio.pid")).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }

        /** Sends a signal ({@code STOP}, {@code CONT}) to the MinIO process. */
        void signal(String name) throws IOException, InterruptedException {
            String pid = Files.readString(dir.resolve("minio.pid")).trim();
            Process p = new ProcessBuilder("kill", "-" + name, pid).inheritIO().start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        }

        /** Starts it again on the same port and data; returns once MinIO answers its health endpoint. */
        void restart() throws IOException {
            long pid = Long.parseLong(Files.readString(dir.resolve("minio.pid")).trim());
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
            script("start");
        }

        void stop() throws IOException {
            script("stop");
        }

        void delete() throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }

        private void script(String command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("minio-dev/minio.sh").toString(), command)
                    .inheritIO();
            pb.environment().put("SSE_PROXY_MINIO_PORT", Integer.toString(port));
            pb.environment().put("SSE_PROXY_MINIO_CONSOLE_PORT", Integer.toString(consolePort));
            pb.environment().put("SSE_PROXY_MINIO_RUN_DIR", dir.toString());
            pb.environment().put("SSE_PROXY_MINIO_DATA", dir.resolve("data").toString());
            pb.environment().put("MINIO_ROOT_USER", ProxyProcess.MINIO_USER);
            pb.environment().put("MINIO_ROOT_PASSWORD", ProxyProcess.MINIO_PASSWORD);
            Process p = pb.start();
            try {
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("minio.sh " + command + " on port " + port + " failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static int[] freePorts(int n) throws IOException {
            int[] ports = new int[n];
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                    held.add(s);
                    ports[i] = s.getLocalPort();
                }
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
            return ports;
        }
    }
}
