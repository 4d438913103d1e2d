package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Log file delivery and retention of the audit trail (issue 6) on a proxy of its own that delivers
 * every 3 s under a key prefix and purges events older than a day every 2 s, 3 per statement. The log
 * files are read back as a user would: listed and downloaded with the AWS CLI, gunzipped, parsed, and
 * compared with what CloudTrail's LookupEvents (the AWS SDK's client) returns.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditDeliveryIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AWS = "/usr/bin/aws";
    static final String REGION = "us-east-1";
    static final String PREFIX = "org-trail";
    static final String LOG_BUCKET = Clients.bucketName("trail-logs");
    /** The account of the rows the retention test writes straight into the database. */
    static final String OLD_ACCOUNT = "999999999999";
    static final Pattern KEY = Pattern.compile(PREFIX + "/AWSLogs/(\\d{12})/CloudTrail/" + REGION
            + "/(\\d{4})/(\\d{2})/(\\d{2})/\\1_CloudTrail_" + REGION + "_(\\d{8})T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz");
    static final Pattern LS_LINE = Pattern.compile("^\\S+ \\S+ +(\\d+) (.+)$");
    static final Path LOG = Path.of(System.getProperty("project.root", ".")).toAbsolutePath()
            .resolve("target/it-proxy-delivery.log");

    static ProxyProcess proxy;
    static S3Client s3;
    static CloudTrailClient trail;
    static MinioClient minio;
    static Path work;
    static LocalDate firstDay;
    /** Where this run's lines start in the (appended) proxy log. */
    static long logStart;
    static boolean logBucketCreated;
    /** Log files already downloaded (they never change). */
    static final Map<String, LogFile> seen = new HashMap<>();

    /** A downloaded log file: its key, bytes as stored, text and parsed records. */
    record LogFile(String key, byte[] gz, String text, JsonNode records) {
        String account() {
            Matcher m = KEY.matcher(key);
            return m.matches() ? m.group(1) : null;
        }
    }

    @BeforeAll
    static void setUp() throws IOException {
        firstDay = LocalDate.now(ZoneOffset.UTC);
        logStart = Files.exists(LOG) ? Files.size(LOG) : 0;
        proxy = ProxyProcess.startDedicated("delivery", 600, Map.of(
                "SSE_PROXY_AUDIT_DELIVERY_BUCKET", LOG_BUCKET,
                "SSE_PROXY_AUDIT_DELIVERY_PREFIX", PREFIX,
                "SSE_PROXY_AUDIT_DELIVERY_INTERVAL", "3s",
                "SSE_PROXY_AUDIT_RETENTION_DAYS", "1",
                "SSE_PROXY_AUDIT_PURGE_INTERVAL", "2s",
                "SSE_PROXY_AUDIT_PURGE_BATCH", "3"));
        s3 = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        trail = AuditTrailIT.cloudTrail(proxy.managementEndpoint(), ProxyProcess.ROOT_ACCESS_KEY,
                ProxyProcess.ROOT_SECRET_KEY);
        minio = MinioClient.builder().endpoint(proxy.minioEndpoint().toString())
                .credentials(ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD).region(REGION).build();
        work = Files.createTempDirectory("sse-proxy-delivery-it");
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (s3 != null) {
            s3.close();
            trail.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
        if (work != null) {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- delivery ---------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aFailedDeliveryIsLoggedAndRetriedUntilTheBucketExists() throws Exception {
        s3.listBuckets();
        Event listing = awaitOne(LookupAttributeKey.EVENT_NAME, "ListBuckets");
        // the log bucket does not exist yet: the upload gets NoSuchBucket, and the event stays undelivered
        assertTrue(await(() -> metric("sse_proxy_audit_delivery_failures_total") >= 1, 30),
                "a failed delivery is counted");
        assertEquals("f", psql("SELECT delivered FROM audit_event WHERE event_id = '" + listing.eventId() + "'"));
        String log = runLog();
        assertTrue(log.contains("audit log delivery to bucket " + LOG_BUCKET + " failed"), log);
        assertTrue(log.contains("NoSuchBucket"), log);

        createLogBucket();
        List<LogFile> files = awaitFiles(fs -> delivered(fs).contains(listing.eventId()));
        assertTrue(delivered(files).contains(listing.eventId()), "the event is delivered once the bucket exists");
        assertEquals("t", psql("SELECT delivered FROM audit_event WHERE event_id = '" + listing.eventId() + "'"));
    }

    @Test
    @Order(2)
    void deliveredLogFilesDownloadedWithTheAwsCliAreCloudTrailJsonMatchingLookupEvents() throws Exception {
        createLogBucket();
        String data = Clients.bucketName("deliv-data");
        s3.createBucket(b -> b.bucket(data));
        s3.putObject(b -> b.bucket(data).key("by-default"), RequestBody.fromString("default"));
        s3.putObject(b -> b.bucket(data).key("sse-s3").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString("sse-s3"));
        s3.putObject(b -> b.bucket(data).key("sse-kms").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .bucketKeyEnabled(false), RequestBody.fromString("sse-kms"));
        s3.getObjectAsBytes(b -> b.bucket(data).key("sse-kms"));
        String[] other = proxy.newAccount("delivery-other");
        String theirs = Clients.bucketName("deliv-theirs");
        try (S3Client them = Clients.sdk(proxy.endpoint(), other[1], other[2]);
                CloudTrailClient theirTrail = AuditTrailIT.cloudTrail(proxy.managementEndpoint(), other[1], other[2])) {
            them.createBucket(b -> b.bucket(theirs));
            them.putObject(b -> b.bucket(theirs).key("mine"), RequestBody.fromString("x"));

            // every event the trails hold now must be delivered (the writer flushes every second)
            awaitOne(LookupAttributeKey.RESOURCE_NAME, AuditTrailIT.objectArn(data, "sse-kms"), "GetObject");
            assertTrue(await(() -> allEvents(theirTrail).size() >= 2, 15), "their events are recorded");
            Set<String> before = new HashSet<>();
            allEvents(trail).forEach(e -> before.add(e.eventId()));
            allEvents(theirTrail).forEach(e -> before.add(e.eventId()));
            String rootAccount = record(awaitOne(LookupAttributeKey.EVENT_NAME, "ListBuckets")).get("recipientAccountId")
                    .asText();
            // ... and, a delivery later, the upload of a log file is itself in a log file
            awaitFiles(fs -> delivered(fs).containsAll(before) && fs.stream().anyMatch(f -> records(f).anyMatch(
                    AuditDeliveryIT::isLogFileUpload)));

            // what a user sees: aws s3 ls, aws s3 cp
            Map<String, Long> listed = awsListing();
            Path dir = Files.createDirectories(work.resolve("download"));
            aws("s3", "cp", "--recursive", "--only-show-errors", "s3://" + LOG_BUCKET + "/" + PREFIX + "/AWSLogs/",
                    dir + "/");
            List<LogFile> files = new ArrayList<>();
            for (Map.Entry<String, Long> l : listed.entrySet()) {
                Path local = dir.resolve(l.getKey().substring((PREFIX + "/AWSLogs/").length()));
                byte[] gz = Files.readAllBytes(local);
                assertEquals(l.getValue().longValue(), gz.length, l.getKey());
                files.add(parse(l.getKey(), gz));
            }
            assertTrue(files.size() >= 2, "files of at least two deliveries: " + listed.keySet());

            Map<String, Event> rootTrail = byId(allEvents(trail));
            Map<String, Event> otherTrail = byId(allEvents(theirTrail));
            Set<String> ids = new HashSet<>();
            for (LogFile f : files) {
                String account = f.account();
                assertNotNull(account, "key layout: " + f.key());
                assertKeyDated(f.key());
                assertTrue(f.records().size() > 0, f.key());
                Map<String, Event> lookup = account.equals(rootAccount) ? rootTrail : account.equals(other[0]) ? otherTrail
                        : Map.of();
                for (JsonNode r : f.records()) {
                    String id = r.get("eventID").asText();
                    assertTrue(ids.add(id), "event " + id + " delivered twice");
                    assertEquals(account, r.get("recipientAccountId").asText(), "file " + f.key());
                    assertEquals(REGION, r.get("awsRegion").asText());
                    Event e = lookup.get(id);
                    assertNotNull(e, "LookupEvents in account " + account + " finds delivered event " + r);
                    assertEquals(JSON.readTree(e.cloudTrailEvent()), r);
                    assertTrue(f.text().contains(e.cloudTrailEvent()), "the record is delivered exactly as stored");
                }
            }
            assertTrue(ids.containsAll(before), "every event recorded before the delivery is delivered");
            assertTrue(files.stream().anyMatch(f -> other[0].equals(f.account())), "the other account has its own files");

            JsonNode upload = files.stream().flatMap(AuditDeliveryIT::records).filter(AuditDeliveryIT::isLogFileUpload)
                    .findFirst().orElseThrow();
            assertEquals("SSE_S3", upload.at("/additionalEventData/SSEApplied").asText(), upload.toString());
            assertEquals("sse-proxy-log-delivery", upload.get("userAgent").asText());
            assertEquals(ProxyProcess.ROOT_ACCESS_KEY, upload.at("/userIdentity/accessKeyId").asText());
        }
    }

    @Test
    @Order(3)
    void logFilesAreStoredEncryptedWithSseS3() throws Exception {
        createLogBucket();
        String marker = Clients.bucketName("deliv-marker");
        s3.createBucket(b -> b.bucket(marker));
        List<LogFile> files = awaitFiles(fs -> fs.stream().anyMatch(f -> f.text().contains(marker)));
        LogFile f = files.stream().filter(x -> x.text().contains(marker)).findFirst().orElseThrow();

        HeadObjectResponse head = s3.headObject(b -> b.bucket(LOG_BUCKET).key(f.key()));
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        assertEquals("application/json", head.contentType());
        assertEquals("gzip", head.contentEncoding());
        assertEquals(f.gz().length, head.contentLength());

        byte[] stored;
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(LOG_BUCKET).object(f.key()).build())) {
            stored = in.readAllBytes();
        }
        assertFalse((stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b, "MinIO holds no gzip file");
        assertNotEquals(f.gz().length, stored.length, "MinIO holds ciphertext with its frame tags");
        String raw = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(marker), "no bucket name in clear at rest");
        assertFalse(raw.contains("Records"), "no JSON in clear at rest");
    }

    // ---- retention --------------------------------------------------------------------------------

    @Test
    @Order(4)
    void eventsOlderThanTheRetentionPeriodArePurgedInBatchesAndRecentOnesStay() throws Exception {
        createLogBucket();
        double purgedBefore = metric("sse_proxy_audit_purged_total");
        // 10 delivered events two days old, 1 undelivered one as old, 3 delivered ones an hour old
        String inserted = psql("INSERT INTO audit_event (event_id, event_time, account_id, event_source, event_name, "
                + "read_only, resource_names, resources, record, delivered) "
                + "SELECT id, t, '" + OLD_ACCOUNT + "', 's3.amazonaws.com', name, true, ARRAY[]::text[], '[]', "
                + "json_build_object('eventVersion', '1.11', 'eventTime', to_char(t AT TIME ZONE 'UTC', "
                + "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'eventName', name, 'awsRegion', '" + REGION + "', 'eventID', id, "
                + "'recipientAccountId', '" + OLD_ACCOUNT + "')::text, delivered FROM ("
                + "SELECT gen_random_uuid() id, now() - interval '2 days' - n * interval '1 minute' t, 'RetentionOld' name, "
                + "n <= 10 delivered FROM generate_series(1, 11) n UNION ALL "
                + "SELECT gen_random_uuid(), now() - interval '1 hour', 'RetentionRecent', true FROM generate_series(1, 3)"
                + ") s RETURNING event_id, event_name, delivered");
        String undeliveredOld = inserted.lines().filter(l -> l.endsWith("|RetentionOld|f")).findFirst().orElseThrow()
                .split("\\|")[0];

        assertTrue(await(() -> "0".equals(psql("SELECT count(*) FROM audit_event WHERE event_name = 'RetentionOld'")), 30),
                "the old events are purged");
        assertEquals("3", psql("SELECT count(*) FROM audit_event WHERE event_name = 'RetentionRecent'"),
                "events within the retention period stay");
        // the old undelivered one was delivered before it was purged
        assertTrue(delivered(awaitFiles(fs -> delivered(fs).contains(undeliveredOld))).contains(undeliveredOld));
        assertTrue(await(() -> metric("sse_proxy_audit_purged_total") >= purgedBefore + 11, 10));
        assertEquals(purgedBefore + 11, metric("sse_proxy_audit_purged_total"), "the purged counter counts them");

        // batches of 3: the ten delivered ones took four statements
        Matcher m = Pattern.compile("audit retention: purged (\\d+) events older than 1 days in (\\d+) statements")
                .matcher(runLog());
        int events = 0;
        int mostStatements = 0;
        while (m.find()) {
            events += Integer.parseInt(m.group(1));
            mostStatements = Math.max(mostStatements, Integer.parseInt(m.group(2)));
        }
        assertEquals(11, events);
        assertEquals(4, mostStatements, "10 or 11 events 3 at a time");
    }

    @Test
    @Order(5)
    void eventsOfAnotherRegionGoIntoAFileOfTheirOwn() throws Exception {
        createLogBucket();
        // as after a change of sse-proxy.region: one account's undelivered events from two regions
        String ids = psql("INSERT INTO audit_event (event_id, event_time, account_id, event_source, event_name, "
                + "read_only, resource_names, resources, record) "
                + "SELECT id, now() - interval '1 minute', '" + OLD_ACCOUNT + "', 's3.amazonaws.com', 'RegionTest', true, "
                + "ARRAY[]::text[], '[]', json_build_object('eventVersion', '1.11', 'eventName', 'RegionTest', "
                + "'awsRegion', r, 'eventID', id, 'recipientAccountId', '" + OLD_ACCOUNT + "')::text FROM ("
                + "SELECT gen_random_uuid() id, r FROM unnest(ARRAY['" + REGION + "', 'eu-west-1']) r) s "
                + "RETURNING event_id || ' ' || (record::json->>'awsRegion')");
        Map<String, String> regionOf = new HashMap<>();
        ids.lines().forEach(l -> regionOf.put(l.split(" ")[0], l.split(" ")[1]));
        List<LogFile> files = awaitFiles(fs -> delivered(fs).containsAll(regionOf.keySet()));
        for (LogFile f : files) {
            for (JsonNode r : f.records()) {
                String region = regionOf.get(r.get("eventID").asText());
                if (region != null) {
                    assertTrue(f.key().startsWith(PREFIX + "/AWSLogs/" + OLD_ACCOUNT + "/CloudTrail/" + region + "/"),
                            f.key());
                    assertTrue(f.key().contains("_CloudTrail_" + region + "_"), f.key());
                    assertTrue(records(f).allMatch(x -> region.equals(x.get("awsRegion").asText())), f.key());
                }
            }
        }
    }

    // ---- configuration ----------------------------------------------------------------------------

    @Test
    @Order(6)
    void aDeliveryIntervalAboveFiveMinutesIsRefusedAtStart() throws Exception {
        Path log = LOG.resolveSibling("it-proxy-delivery-bad.log");
        long from = Files.exists(log) ? Files.size(log) : 0;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProxyProcess.startDedicated(
                "delivery-bad", 601, Map.of("SSE_PROXY_AUDIT_DELIVERY_BUCKET", "any",
                        "SSE_PROXY_AUDIT_DELIVERY_INTERVAL", "6m")));
        assertTrue(e.getMessage().contains("exited"), e.getMessage());
        String out = tail(log, from);
        assertTrue(out.contains("sse-proxy.audit.delivery.interval is PT6M"), out);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static synchronized void createLogBucket() {
        if (!logBucketCreated) {
            s3.createBucket(b -> b.bucket(LOG_BUCKET));
            logBucketCreated = true;
        }
    }

    static boolean isLogFileUpload(JsonNode r) {
        return "PutObject".equals(r.path("eventName").asText()) && !r.has("errorCode") && LOG_BUCKET.equals(r.at("/requestParameters/bucketName")
                .asText()) && r.at("/requestParameters/key").asText().startsWith(PREFIX + "/AWSLogs/");
    }

    static void assertKeyDated(String key) {
        Matcher m = KEY.matcher(key);
        assertTrue(m.matches(), key);
        LocalDate day = LocalDate.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)));
        assertEquals(m.group(2) + m.group(3) + m.group(4), m.group(5), "the name's date is the folder's: " + key);
        assertFalse(day.isBefore(firstDay) || day.isAfter(LocalDate.now(ZoneOffset.UTC)), "dated today (UTC): " + key);
    }

    static Stream<JsonNode> records(LogFile f) {
        List<JsonNode> l = new ArrayList<>();
        f.records().forEach(l::add);
        return l.stream();
    }

    static Set<String> delivered(List<LogFile> files) {
        Set<String> ids = new HashSet<>();
        files.forEach(f -> records(f).forEach(r -> ids.add(r.get("eventID").asText())));
        return ids;
    }

    static LogFile parse(String key, byte[] gz) throws IOException {
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        JsonNode doc = JSON.readTree(text);
        List<String> fields = new ArrayList<>();
        doc.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("Records"), fields, "a CloudTrail log file: " + key);
        assertTrue(doc.get("Records").isArray(), key);
        return new LogFile(key, gz, text, doc.get("Records"));
    }

    /** Every log file in the bucket (SDK listing and download), waiting up to 60 s until {@code done} holds. */
    static List<LogFile> awaitFiles(Predicate<List<LogFile>> done) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<LogFile> files;
        do {
            files = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(LOG_BUCKET).prefix(PREFIX + "/AWSLogs/")).contents()) {
                LogFile f = seen.get(o.key());
                if (f == null) {
                    f = parse(o.key(), s3.getObjectAsBytes(b -> b.bucket(LOG_BUCKET).key(o.key())).asByteArray());
                    seen.put(o.key(), f);
                }
                files.add(f);
            }
            if (done.test(files)) {
                return files;
            }
            ProxyProcess.sleep(500);
        } while (System.nanoTime() < deadline);
        fail("log files not delivered in 60 s; have " + files.stream().map(LogFile::key).toList());
        return files;
    }

    static Event awaitOne(LookupAttributeKey key, String value) {
        return awaitOne(key, value, null);
    }

    static Event awaitOne(LookupAttributeKey key, String value, String eventName) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        do {
            for (Event e : AuditTrailIT.lookup(trail, key, value)) {
                if (eventName == null || eventName.equals(e.eventName())) {
                    return e;
                }
            }
            ProxyProcess.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no event " + key + "=" + value + " " + eventName);
    }

    /** Every event of one account's trail (LookupEvents without attributes, all pages). */
    static List<Event> allEvents(CloudTrailClient client) {
        List<Event> all = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            LookupEventsResponse r = client.lookupEvents(b -> b.nextToken(t));
            all.addAll(r.events());
            token = r.nextToken();
        } while (token != null);
        return all;
    }

    static Map<String, Event> byId(List<Event> events) {
        Map<String, Event> m = new LinkedHashMap<>();
        events.forEach(e -> m.put(e.eventId(), e));
        return m;
    }

    static JsonNode record(Event e) throws IOException {
        return JSON.readTree(e.cloudTrailEvent());
    }

    static boolean await(BooleanSupplier condition, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        do {
            if (condition.getAsBoolean()) {
                return true;
            }
            ProxyProcess.sleep(250);
        } while (System.nanoTime() < deadline);
        return condition.getAsBoolean();
    }

    /** A counter's value from the management port's Prometheus scrape (summed over its tags). */
    static double metric(String name) {
        return proxy.metric(name);
    }

    /** A query's result in psql's unaligned tuples-only form, against the dedicated proxy's database. */
    static String psql(String sql) {
        return exec(Map.of(), "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                "postgresql://sseproxy:sseproxy@127.0.0.1:5432/" + proxy.database(), "-c", sql).strip();
    }

    /** {@code aws s3 ls --recursive} of the log files: key to size. */
    static Map<String, Long> awsListing() {
        Map<String, Long> listed = new LinkedHashMap<>();
        for (String l : aws("s3", "ls", "--recursive", "s3://" + LOG_BUCKET + "/" + PREFIX + "/AWSLogs/").lines().toList()) {
            Matcher m = LS_LINE.matcher(l);
            assertTrue(m.matches(), l);
            listed.put(m.group(2), Long.parseLong(m.group(1)));
        }
        return listed;
    }

    /** The AWS CLI v2 against the dedicated proxy as the root account, with no user configuration. */
    static String aws(String... args) {
        List<String> cmd = new ArrayList<>(List.of(AWS, "--endpoint-url", proxy.endpoint().toString()));
        cmd.addAll(List.of(args));
        return exec(Map.of("AWS_ACCESS_KEY_ID", ProxyProcess.ROOT_ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", ProxyProcess.ROOT_SECRET_KEY, "AWS_DEFAULT_REGION", REGION,
                "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "AWS_PAGER", "",
                "AWS_EC2_METADATA_DISABLED", "true", "HOME", work.toString()), cmd.toArray(String[]::new));
    }

    static String exec(Map<String, String> env, String... cmd) {
        try {
            Path out = Files.createTempFile(work, "out", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            String path = pb.environment().get("PATH");
            pb.environment().clear();
            pb.environment().put("PATH", path);
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " timed out");
            }
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + ": " + text);
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** This run's part of the proxy's log. */
    static String runLog() throws IOException {
        return tail(LOG, logStart);
    }

    static String tail(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
    }
}
