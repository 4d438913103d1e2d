package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.JobDescriptor;
import software.amazon.awssdk.services.s3control.model.JobManifestFieldName;
import software.amazon.awssdk.services.s3control.model.JobManifestFormat;
import software.amazon.awssdk.services.s3control.model.JobReportFormat;
import software.amazon.awssdk.services.s3control.model.JobReportScope;
import software.amazon.awssdk.services.s3control.model.JobStatus;
import software.amazon.awssdk.services.s3control.model.RequestedJobStatus;
import software.amazon.awssdk.services.s3control.model.S3ControlException;
import software.amazon.awssdk.services.s3control.model.S3SSEAlgorithm;

/**
 * S3 Batch Operations end to end (issue 13, item 4): jobs created with the AWS CLI ({@code aws s3control
 * create-job}) and the SDK's {@code S3ControlClient}, CSV and generated manifests, S3PutObjectCopy
 * re-encryption in place and S3PutObjectTagging, confirmation, cancellation, priority, listing, completion
 * reports, a manifest ETag mismatch, S3 Control's errors.
 */
class BatchOperationsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static ProxyProcess proxy;
    static String[] acct;
    static S3Client s3;
    static S3ControlClient control;

    @BeforeAll
    static void setUp() {
        proxy = ProxyProcess.get();
        acct = proxy.newAccount("batch-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        s3 = Clients.sdk(proxy.endpoint(), acct[1], acct[2]);
        control = control(proxy, acct[1], acct[2]);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
        control.close();
    }

    /**
     * The SDK puts the account id in front of the endpoint's host ({@code 111122223333.localhost}); the
     * request goes through an HTTP proxy that is the proxy itself, so that name needs no DNS (what a
     * user sets instead: a wildcard DNS name, see the package documentation).
     */
    static S3ControlClient control(ProxyProcess p, String accessKey, String secretKey) {
        URI endpoint = URI.create("http://localhost:" + p.endpoint().getPort());
        return S3ControlClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .httpClient(UrlConnectionHttpClient.builder().proxyConfiguration(
                        software.amazon.awssdk.http.urlconnection.ProxyConfiguration.builder()
                                .endpoint(URI.create("http://127.0.0.1:" + p.endpoint().getPort()))
                                .useSystemPropertyValues(false).useEnvironmentVariablesValues(false)
                                .nonProxyHosts(java.util.Set.of()).build()).build()).build();
    }

    static String role(String account) {
        return "arn:aws:iam::" + account + ":role/batch-operations";
    }

    /** Polls DescribeJob until {@code done} holds (a minute at most). */
    static JobDescriptor await(S3ControlClient c, String account, String id, Predicate<JobDescriptor> done)
            throws InterruptedException {
        JobDescriptor j = null;
        for (int i = 0; i < 1200; i++) {
            j = c.describeJob(x -> x.accountId(account).jobId(id)).job();
            if (done.test(j)) {
                return j;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " never got there: " + j);
    }

    static Predicate<JobDescriptor> status(JobStatus s) {
        return j -> j.status() == s;
    }

    static Predicate<JobDescriptor> terminal() {
        return j -> j.status() == JobStatus.COMPLETE || j.status() == JobStatus.FAILED || j.status() == JobStatus.CANCELLED;
    }

    static String putManifest(String bucket, String key, String csv) {
        return s3.putObject(x -> x.bucket(bucket).key(key), RequestBody.fromString(csv)).eTag();
    }

    // ---- the AWS CLI: a CSV manifest, ConfirmationRequired, S3PutObjectCopy to SSE-KMS with a bucket key

    @Test
    void theCliCreatesAConfirmedCopyJobThatReEncryptsEveryObjectToSseKmsWithABucketKey() throws Exception {
        String b = Clients.newBucket(s3, "batch-cli");
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            String key = "docs/file " + i + ".txt";
            s3.putObject(x -> x.bucket(b).key(key).contentType("text/plain").metadata(Map.of("owner", "n" + key.length())),
                    RequestBody.fromString("content of " + key));
            csv.append(b).append(',').append(key.replace(" ", "%20")).append('\n');
        }
        String etag = putManifest(b, "manifests/cli.csv", csv.toString());
        String manifest = JSON.writeValueAsString(Map.of("Spec", Map.of("Format", "S3BatchOperations_CSV_20180820",
                "Fields", List.of("Bucket", "Key")), "Location", Map.of("ObjectArn", "arn:aws:s3:::" + b + "/manifests/cli.csv",
                "ETag", etag)));
        String operation = JSON.writeValueAsString(Map.of("S3PutObjectCopy", Map.of("TargetResource", "arn:aws:s3:::" + b,
                "MetadataDirective", "COPY", "NewObjectMetadata", Map.of("SSEAlgorithm", "KMS"), "BucketKeyEnabled", true)));
        String report = JSON.writeValueAsString(Map.of("Bucket", "arn:aws:s3:::" + b, "Prefix", "reports", "Format",
                "Report_CSV_20180820", "Enabled", true, "ReportScope", "AllTasks"));
        String token = "cli-" + System.nanoTime();
        Cli created = aws(acct, "s3control", "create-job", "--account-id", acct[0], "--confirmation-required",
                "--operation", operation, "--manifest", manifest, "--report", report, "--priority", "10", "--role-arn",
                role(acct[0]), "--client-request-token", token, "--description", "re-encrypt docs");
        assertEquals(0, created.exit, created::toString);
        String id = JSON.readTree(created.stdout).path("JobId").asText();
        assertFalse(id.isEmpty(), created::toString);
        // the same token is the same job
        Cli again = aws(acct, "s3control", "create-job", "--account-id", acct[0], "--confirmation-required",
                "--operation", operation, "--manifest", manifest, "--report", report, "--priority", "10", "--role-arn",
                role(acct[0]), "--client-request-token", token);
        assertEquals(id, JSON.readTree(again.stdout).path("JobId").asText(), again::toString);

        JobDescriptor suspended = await(control, acct[0], id, status(JobStatus.SUSPENDED));
        assertEquals(6L, suspended.progressSummary().totalNumberOfTasks());
        assertEquals(0L, suspended.progressSummary().numberOfTasksSucceeded());
        assertEquals("re-encrypt docs", suspended.description());
        assertTrue(suspended.confirmationRequired());
        assertNotNull(suspended.suspendedDate());
        // nothing was copied before the confirmation
        assertEquals(ServerSideEncryption.AES256, s3.headObject(x -> x.bucket(b).key("docs/file 0.txt")).serverSideEncryption());

        Cli describe = aws(acct, "s3control", "describe-job", "--account-id", acct[0], "--job-id", id);
        JsonNode job = JSON.readTree(describe.stdout).path("Job");
        assertEquals("Suspended", job.path("Status").asText(), describe::toString);
        assertEquals("arn:aws:s3:::" + b + "/manifests/cli.csv", job.path("Manifest").path("Location").path("ObjectArn").asText());
        assertEquals("KMS", job.path("Operation").path("S3PutObjectCopy").path("NewObjectMetadata").path("SSEAlgorithm").asText());

        Cli confirm = aws(acct, "s3control", "update-job-status", "--account-id", acct[0], "--job-id", id,
                "--requested-job-status", "Ready", "--status-update-reason", "confirmed by the test");
        assertEquals(0, confirm.exit, confirm::toString);
        assertEquals("Ready", JSON.readTree(confirm.stdout).path("Status").asText(), confirm::toString);

        JobDescriptor done = await(control, acct[0], id, terminal());
        assertEquals(JobStatus.COMPLETE, done.status(), done::toString);
        assertEquals(6L, done.progressSummary().numberOfTasksSucceeded(), done::toString);
        assertEquals(0L, done.progressSummary().numberOfTasksFailed());
        assertNotNull(done.terminationDate());
        assertEquals("confirmed by the test", done.statusUpdateReason());
        for (int i = 0; i < 6; i++) {
            String key = "docs/file " + i + ".txt";
            HeadObjectResponse h = s3.headObject(x -> x.bucket(b).key(key));
            assertEquals(ServerSideEncryption.AWS_KMS, h.serverSideEncryption(), key);
            assertTrue(h.bucketKeyEnabled(), key);
            assertEquals("text/plain", h.contentType(), "metadata kept: " + key);
            assertEquals(Map.of("owner", "n" + key.length()), h.metadata(), "metadata kept: " + key);
            assertEquals("content of " + key, s3.getObjectAsBytes(x -> x.bucket(b).key(key)).asUtf8String());
        }
        // the completion report: manifest.json naming one results file of six succeeded rows
        String base = "reports/job-" + id + "/";
        JsonNode reportManifest = JSON.readTree(s3.getObjectAsBytes(x -> x.bucket(b).key(base + "manifest.json")).asByteArray());
        assertEquals("Report_CSV_20180820", reportManifest.path("Format").asText());
        assertEquals("Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage",
                reportManifest.path("ReportSchema").asText());
        assertEquals(1, reportManifest.path("Results").size(), reportManifest::toString);
        JsonNode result = reportManifest.path("Results").get(0);
        assertEquals("succeeded", result.path("TaskExecutionStatus").asText());
        assertTrue(result.path("Key").asText().startsWith(base + "results/") && result.path("Key").asText().endsWith(".csv"));
        String rows = s3.getObjectAsBytes(x -> x.bucket(b).key(result.path("Key").asText())).asUtf8String();
        assertEquals(6, rows.lines().count(), rows);
        assertTrue(rows.contains(b + ",docs/file%200.txt,,succeeded,200,,Successful"), rows);
        // stored encrypted: the report's bytes at MinIO are not its text
        assertFalse(new String(backendBytes(b, result.path("Key").asText()), StandardCharsets.ISO_8859_1).contains("succeeded"));
    }

    // ---- the SDK: a generated manifest (NOT-SSE + prefix) over an adopted MinIO bucket

    @Test
    void aGeneratedManifestReEncryptsTheAdoptedBucketsPlaintextObjectsUnderThePrefix() throws Exception {
        String b = Clients.bucketName("batch-adopt");
        MinioClient minio = Clients.backend();
        minio.makeBucket(MakeBucketArgs.builder().bucket(b).build());
        int n = 25;
        for (int i = 0; i < n; i++) {
            byte[] body = body(i);
            minio.putObject(PutObjectArgs.builder().bucket(b).object("old/o-" + i).stream(new ByteArrayInputStream(body),
                    (long) body.length, -1L).build());
        }
        byte[] outside = "outside the prefix".getBytes(StandardCharsets.UTF_8);
        minio.putObject(PutObjectArgs.builder().bucket(b).object("keep/x").stream(new ByteArrayInputStream(outside),
                (long) outside.length, -1L).build());
        proxy.admin("POST", "/admin/buckets/" + b + "/adopt", "{\"account\":\"" + acct[0] + "\"}");
        // one object already encrypted under the prefix: the NOT-SSE filter leaves it out
        s3.putObject(x -> x.bucket(b).key("old/new-one"), RequestBody.fromString("already encrypted"));

        String id = control.createJob(x -> x.accountId(acct[0]).clientRequestToken("gen-" + System.nanoTime())
                .priority(5).roleArn(role(acct[0])).confirmationRequired(false)
                .operation(o -> o.s3PutObjectCopy(c -> c.targetResource("arn:aws:s3:::" + b)
                        .newObjectMetadata(m -> m.sseAlgorithm(S3SSEAlgorithm.KMS)).bucketKeyEnabled(true)))
                .report(r -> r.enabled(true).bucket("arn:aws:s3:::" + b).prefix("batch-reports")
                        .format(JobReportFormat.REPORT_CSV_20180820).reportScope(JobReportScope.FAILED_TASKS_ONLY))
                .manifestGenerator(g -> g.s3JobManifestGenerator(s -> s.sourceBucket("arn:aws:s3:::" + b)
                        .enableManifestOutput(true).manifestOutputLocation(l -> l.bucket("arn:aws:s3:::" + b)
                                .manifestPrefix("generated").manifestFormat("S3InventoryReport_CSV_20211130"))
                        .filter(f -> f.keyNameConstraint(k -> k.matchAnyPrefix("old/"))
                                .matchAnyObjectEncryption(e -> e.notsse(ns -> { })))))).jobId();
        JobDescriptor done = await(control, acct[0], id, terminal());
        assertEquals(JobStatus.COMPLETE, done.status(), done::toString);
        assertEquals((long) n, done.progressSummary().totalNumberOfTasks(), done::toString);
        assertEquals((long) n, done.progressSummary().numberOfTasksSucceeded(), done::toString);
        assertNotNull(done.manifestGenerator());
        // the generated manifest, written encrypted and named by the job
        String generated = done.generatedManifestDescriptor().location().objectArn();
        assertEquals("arn:aws:s3:::" + b + "/generated/job-" + id + "/manifest.json", generated, done::toString);
        JsonNode gm = JSON.readTree(s3.getObjectAsBytes(x -> x.bucket(b).key("generated/job-" + id + "/manifest.json"))
                .asByteArray());
        String dataKey = gm.path("files").get(0).path("key").asText();
        byte[] gz = s3.getObjectAsBytes(x -> x.bucket(b).key(dataKey)).asByteArray();
        String listed = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz)).readAllBytes(),
                StandardCharsets.UTF_8);
        assertEquals(n, listed.lines().count(), listed);
        assertTrue(listed.contains("\"" + b + "\",\"old/o-0\""), listed);
        long checking = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String key = "old/o-" + i;
            byte[] stored = backendBytes(b, key);
            assertFalse(java.util.Arrays.equals(body(i), stored), "no plaintext at rest: " + key);
            assertNotNull(StoredEnvelope.field(minio.statObject(StatObjectArgs.builder().bucket(b).object(key).build()), "mode"),
                    "an envelope: " + key);
            assertArrayEquals(body(i), s3.getObjectAsBytes(x -> x.bucket(b).key(key)).asByteArray(), key);
            assertEquals(ServerSideEncryption.AWS_KMS, s3.headObject(x -> x.bucket(b).key(key)).serverSideEncryption());
        }
        System.out.printf("BatchOperationsIT: %d objects checked in %d ms%n", n, (System.nanoTime() - checking) / 1_000_000);
        assertArrayEquals(outside, backendBytes(b, "keep/x"), "outside the prefix: untouched");
        assertEquals(ServerSideEncryption.AES256, s3.headObject(x -> x.bucket(b).key("old/new-one")).serverSideEncryption());
        // FailedTasksOnly and no failure: a manifest.json without result files
        JsonNode m = JSON.readTree(s3.getObjectAsBytes(x -> x.bucket(b).key("batch-reports/job-" + id + "/manifest.json"))
                .asByteArray());
        assertEquals(0, m.path("Results").size(), m::toString);
    }

    static byte[] body(int i) {
        byte[] b = new byte[300 + i * 37];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) ('a' + (i + j) % 26);
        }
        return b;
    }

    /** One client for the backend reads (building a MinIO client takes over a second). */
    static MinioClient backend;

    static synchronized byte[] backendBytes(String bucket, String key) throws Exception {
        if (backend == null) {
            backend = Clients.backend();
        }
        try (InputStream in = backend.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    // ---- S3PutObjectTagging, progress, priority, listing, cancellation, ETag mismatch, errors

    @Test
    void aTaggingJobReplacesEveryObjectsTags() throws Exception {
        String b = Clients.newBucket(s3, "batch-tags");
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            String key = "t" + i;
            s3.putObject(x -> x.bucket(b).key(key).tagging("old=1"), RequestBody.fromString("v"));
            csv.append(b).append(',').append(key).append('\n');
        }
        csv.append(b).append(",missing\n");
        String etag = putManifest(b, "m.csv", csv.toString());
        String id = control.createJob(x -> x.accountId(acct[0]).clientRequestToken("tag-" + System.nanoTime()).priority(1)
                .roleArn(role(acct[0])).operation(o -> o.s3PutObjectTagging(t -> t.tagSet(
                        tg -> tg.key("project").value("blue"), tg -> tg.key("stage").value("2"))))
                .report(r -> r.enabled(true).bucket("arn:aws:s3:::" + b).format(JobReportFormat.REPORT_CSV_20180820)
                        .reportScope(JobReportScope.FAILED_TASKS_ONLY))
                .manifest(m -> m.spec(s -> s.format(JobManifestFormat.S3_BATCH_OPERATIONS_CSV_20180820)
                        .fields(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY))
                        .location(l -> l.objectArn("arn:aws:s3:::" + b + "/m.csv").eTag(etag)))).jobId();
        JobDescriptor done = await(control, acct[0], id, terminal());
        assertEquals(JobStatus.COMPLETE, done.status(), done::toString);
        assertEquals(5L, done.progressSummary().totalNumberOfTasks());
        assertEquals(4L, done.progressSummary().numberOfTasksSucceeded());
        assertEquals(1L, done.progressSummary().numberOfTasksFailed());
        for (int i = 0; i < 4; i++) {
            String key = "t" + i;
            var tags = s3.getObjectTagging(x -> x.bucket(b).key(key)).tagSet();
            assertEquals(Map.of("project", "blue", "stage", "2"), tags.stream().collect(
                    java.util.stream.Collectors.toMap(t -> t.key(), t -> t.value())), key);
        }
        JsonNode m = JSON.readTree(s3.getObjectAsBytes(x -> x.bucket(b).key("job-" + id + "/manifest.json")).asByteArray());
        assertEquals(1, m.path("Results").size(), m::toString);
        assertEquals("failed", m.path("Results").get(0).path("TaskExecutionStatus").asText());
        String rows = s3.getObjectAsBytes(x -> x.bucket(b).key(m.path("Results").get(0).path("Key").asText())).asUtf8String();
        assertTrue(rows.startsWith(b + ",missing,,failed,404,NoSuchKey,"), rows);
    }

    /** An S3 Inventory report as the manifest: its manifest.json names gzipped CSV data files with the report's schema. */
    @Test
    void anInventoryReportIsAManifest() throws Exception {
        String b = Clients.newBucket(s3, "batch-inv");
        StringBuilder csv = new StringBuilder();
        for (String key : List.of("i/a", "i/b c", "i/d")) {
            s3.putObject(x -> x.bucket(b).key(key), RequestBody.fromString("v"));
            csv.append('"').append(b).append("\",\"").append(key.replace(" ", "%20")).append("\",\"1\"\n");
        }
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        s3.putObject(x -> x.bucket(b).key("inv/data/one.csv.gz"), RequestBody.fromBytes(gz.toByteArray()));
        String manifest = JSON.writeValueAsString(Map.of("sourceBucket", b, "destinationBucket", "arn:aws:s3:::" + b,
                "version", "2016-11-30", "fileFormat", "CSV", "fileSchema", "Bucket, Key, Size",
                "files", List.of(Map.of("key", "inv/data/one.csv.gz", "size", gz.size(), "MD5checksum", "x"))));
        String etag = putManifest(b, "inv/manifest.json", manifest);
        String id = control.createJob(x -> x.accountId(acct[0]).clientRequestToken("inv-" + System.nanoTime()).priority(1)
                .roleArn(role(acct[0])).operation(o -> o.s3PutObjectTagging(t -> t.tagSet(tg -> tg.key("inv").value("yes"))))
                .report(r -> r.enabled(false))
                .manifest(m -> m.spec(sp -> sp.format(JobManifestFormat.S3_INVENTORY_REPORT_CSV_20161130))
                        .location(l -> l.objectArn("arn:aws:s3:::" + b + "/inv/manifest.json").eTag(etag)))).jobId();
        JobDescriptor done = await(control, acct[0], id, terminal());
        assertEquals(JobStatus.COMPLETE, done.status(), done::toString);
        assertEquals(3L, done.progressSummary().numberOfTasksSucceeded(), done::toString);
        assertEquals("yes", s3.getObjectTagging(x -> x.bucket(b).key("i/b c")).tagSet().get(0).value());
    }

    @Test
    void aManifestWhoseEtagDiffersFailsTheJob() throws Exception {
        String b = Clients.newBucket(s3, "batch-etag");
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("v"));
        putManifest(b, "m.csv", b + ",k\n");
        String id = control.createJob(x -> x.accountId(acct[0]).clientRequestToken("etag-" + System.nanoTime()).priority(1)
                .roleArn(role(acct[0])).operation(o -> o.s3PutObjectTagging(t -> t.tagSet(tg -> tg.key("a").value("b"))))
                .report(r -> r.enabled(false))
                .manifest(m -> m.spec(s -> s.format(JobManifestFormat.S3_BATCH_OPERATIONS_CSV_20180820)
                        .fields(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY))
                        .location(l -> l.objectArn("arn:aws:s3:::" + b + "/m.csv").eTag("0123456789abcdef0123456789abcdef"))))
                .jobId();
        JobDescriptor failed = await(control, acct[0], id, terminal());
        assertEquals(JobStatus.FAILED, failed.status(), failed::toString);
        assertEquals(1, failed.failureReasons().size(), failed::toString);
        assertEquals("ManifestETagMismatch", failed.failureReasons().get(0).failureCode());
        assertEquals(0L, failed.progressSummary().totalNumberOfTasks());
        assertTrue(s3.getObjectTagging(x -> x.bucket(b).key("k")).tagSet().isEmpty(), "nothing ran");
    }

    @Test
    void priorityListingCancellationAndS3ControlErrors() throws Exception {
        String b = Clients.newBucket(s3, "batch-misc");
        s3.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("v"));
        String etag = putManifest(b, "m.csv", b + ",k\n");
        String id = control.createJob(x -> x.accountId(acct[0]).clientRequestToken("misc-" + System.nanoTime()).priority(3)
                .roleArn(role(acct[0])).confirmationRequired(true).description("to cancel")
                .operation(o -> o.s3PutObjectTagging(t -> t.tagSet(tg -> tg.key("a").value("b"))))
                .report(r -> r.enabled(false))
                .manifest(m -> m.spec(s -> s.format(JobManifestFormat.S3_BATCH_OPERATIONS_CSV_20180820)
                        .fields(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY))
                        .location(l -> l.objectArn("arn:aws:s3:::" + b + "/m.csv").eTag(etag)))).jobId();
        await(control, acct[0], id, status(JobStatus.SUSPENDED));
        assertEquals(42, control.updateJobPriority(x -> x.accountId(acct[0]).jobId(id).priority(42)).priority());
        assertEquals(42, control.describeJob(x -> x.accountId(acct[0]).jobId(id)).job().priority());

        var suspendedList = control.listJobs(x -> x.accountId(acct[0]).jobStatusesWithStrings("Suspended")).jobs();
        assertTrue(suspendedList.stream().anyMatch(j -> j.jobId().equals(id) && j.priority() == 42
                && "to cancel".equals(j.description())), suspendedList::toString);
        assertTrue(control.listJobs(x -> x.accountId(acct[0]).jobStatusesWithStrings("Complete")).jobs().stream()
                .noneMatch(j -> j.jobId().equals(id)));
        // pages of one job, each with a token to the next
        var first = control.listJobs(x -> x.accountId(acct[0]).maxResults(1));
        assertEquals(1, first.jobs().size());
        if (first.nextToken() != null) {
            var second = control.listJobs(x -> x.accountId(acct[0]).maxResults(1).nextToken(first.nextToken()));
            assertNotEquals(first.jobs().get(0).jobId(), second.jobs().get(0).jobId());
        }

        var cancelled = control.updateJobStatus(x -> x.accountId(acct[0]).jobId(id)
                .requestedJobStatus(RequestedJobStatus.CANCELLED).statusUpdateReason("not needed"));
        assertEquals(JobStatus.CANCELLED, cancelled.status());
        JobDescriptor gone = control.describeJob(x -> x.accountId(acct[0]).jobId(id)).job();
        assertEquals(JobStatus.CANCELLED, gone.status());
        assertNotNull(gone.terminationDate());
        assertTrue(s3.getObjectTagging(x -> x.bucket(b).key("k")).tagSet().isEmpty(), "a cancelled job ran no task");

        // a terminal job cannot be confirmed
        S3ControlException e = assertThrows(S3ControlException.class, () -> control.updateJobStatus(x -> x.accountId(acct[0])
                .jobId(id).requestedJobStatus(RequestedJobStatus.READY)));
        assertEquals(400, e.statusCode());
        assertEquals("JobStatusException", e.awsErrorDetails().errorCode());
        // no such job, in this account or at all
        e = assertThrows(S3ControlException.class, () -> control.describeJob(x -> x.accountId(acct[0])
                .jobId("00000000-0000-0000-0000-000000000000")));
        assertEquals(404, e.statusCode());
        assertEquals("NoSuchJob", e.awsErrorDetails().errorCode());
        String[] other = proxy.newAccount("batch-other-" + System.nanoTime());
        try (S3ControlClient theirs = control(proxy, other[1], other[2])) {
            e = assertThrows(S3ControlException.class, () -> theirs.describeJob(x -> x.accountId(other[0]).jobId(id)));
            assertEquals(404, e.statusCode());
            // another account's id in the header
            e = assertThrows(S3ControlException.class, () -> theirs.describeJob(x -> x.accountId(acct[0]).jobId(id)));
            assertEquals(403, e.statusCode());
            assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
            // a role of another account
            e = assertThrows(S3ControlException.class, () -> theirs.createJob(x -> x.accountId(other[0])
                    .clientRequestToken("t").priority(1).roleArn(role(acct[0]))
                    .operation(o -> o.s3PutObjectTagging(t -> t.tagSet(tg -> tg.key("a").value("b"))))
                    .report(r -> r.enabled(false))
                    .manifest(m -> m.spec(s -> s.format(JobManifestFormat.S3_BATCH_OPERATIONS_CSV_20180820)
                            .fields(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY))
                            .location(l -> l.objectArn("arn:aws:s3:::" + b + "/m.csv").eTag(etag)))));
            assertEquals(400, e.statusCode());
            assertEquals("InvalidRequest", e.awsErrorDetails().errorCode());
        }
        // an operation this endpoint does not run
        e = assertThrows(S3ControlException.class, () -> control.createJob(x -> x.accountId(acct[0])
                .clientRequestToken("lambda").priority(1).roleArn(role(acct[0]))
                .operation(o -> o.lambdaInvoke(l -> l.functionArn("arn:aws:lambda:us-east-1:" + acct[0] + ":function:f")))
                .report(r -> r.enabled(false))
                .manifest(m -> m.spec(s -> s.format(JobManifestFormat.S3_BATCH_OPERATIONS_CSV_20180820)
                        .fields(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY))
                        .location(l -> l.objectArn("arn:aws:s3:::" + b + "/m.csv").eTag(etag)))));
        assertEquals(400, e.statusCode());
        assertEquals("InvalidRequest", e.awsErrorDetails().errorCode());
    }

    /**
     * An IAM user needs s3:CreateJob / s3:DescribeJob, and the job's tasks act with the user's own rights:
     * a user allowed to tag only under {@code ok/} gets AccessDenied rows for the other objects.
     */
    @Test
    void anIamUsersJobNeedsTheJobActionsAndItsTasksActWithTheUsersRights() throws Exception {
        String b = Clients.newBucket(s3, "batch-user");
        s3.putObject(x -> x.bucket(b).key("ok/1"), RequestBody.fromString("v"));
        s3.putObject(x -> x.bucket(b).key("no/1"), RequestBody.fromString("v"));
        String etag = putManifest(b, "m.csv", b + ",ok/1\n" + b + ",no/1\n");
        try (var iam = IamUsersIT.iam(proxy.endpoint(), acct[1], acct[2])) {
            String name = IamUsersIT.unique("batch-user");
            var key = IamUsersIT.userWithKey(iam, name);
            try (S3ControlClient theirs = control(proxy, key.accessKeyId(), key.secretAccessKey())) {
                java.util.function.Supplier<String> create = () -> theirs.createJob(x -> x.accountId(acct[0])
                        .clientRequestToken("user-" + name).priority(1).roleArn(role(acct[0]))
                        .operation(o -> o.s3PutObjectTagging(t -> t.tagSet(tg -> tg.key("a").value("b"))))
                        .report(r -> r.enabled(false))
                        .manifest(m -> m.spec(sp -> sp.format(JobManifestFormat.S3_BATCH_OPERATIONS_CSV_20180820)
                                .fields(JobManifestFieldName.BUCKET, JobManifestFieldName.KEY))
                                .location(l -> l.objectArn("arn:aws:s3:::" + b + "/m.csv").eTag(etag)))).jobId();
                S3ControlException denied = assertThrows(S3ControlException.class, create::get);
                assertEquals(403, denied.statusCode());
                assertEquals("AccessDenied", denied.awsErrorDetails().errorCode());
                iam.putUserPolicy(r -> r.userName(name).policyName("batch").policyDocument("{\"Version\":\"2012-10-17\","
                        + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:CreateJob\",\"s3:DescribeJob\"],"
                        + "\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":"
                        + "\"arn:aws:s3:::" + b + "/m.csv\"},{\"Effect\":\"Allow\",\"Action\":\"s3:PutObjectTagging\","
                        + "\"Resource\":\"arn:aws:s3:::" + b + "/ok/*\"}]}"));
                String id = create.get();
                JobDescriptor done = await(theirs, acct[0], id, terminal());
                assertEquals(JobStatus.COMPLETE, done.status(), done::toString);
                assertEquals(1L, done.progressSummary().numberOfTasksSucceeded(), done::toString);
                assertEquals(1L, done.progressSummary().numberOfTasksFailed(), done::toString);
                assertEquals(1, s3.getObjectTagging(x -> x.bucket(b).key("ok/1")).tagSet().size());
                assertTrue(s3.getObjectTagging(x -> x.bucket(b).key("no/1")).tagSet().isEmpty());
                // ListJobs is not allowed to this user
                S3ControlException list = assertThrows(S3ControlException.class, () -> theirs.listJobs(x -> x.accountId(acct[0])));
                assertEquals(403, list.statusCode());
            }
        }
    }

    record Cli(List<String> cmd, int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return String.join(" ", cmd) + "\nexit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /**
     * Runs /usr/bin/aws as {@code a} with the proxy as endpoint: the CLI puts the account id in front of
     * the endpoint's host ({@code <account>.localhost}); HTTP_PROXY (the proxy itself) spares the name
     * a DNS lookup.
     */
    static Cli aws(String[] a, String... args) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("batch-cli");
        String endpoint = "http://localhost:" + proxy.endpoint().getPort();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", endpoint));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(home.resolve("out").toFile())
                .redirectError(home.resolve("err").toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin", "AWS_ACCESS_KEY_ID", a[1],
                "AWS_SECRET_ACCESS_KEY", a[2], "AWS_DEFAULT_REGION", "us-east-1", "AWS_DEFAULT_OUTPUT", "json",
                "AWS_PAGER", "", "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", home.resolve("config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString()));
        env.put("HTTP_PROXY", "http://127.0.0.1:" + proxy.endpoint().getPort());
        env.put("NO_PROXY", "");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Cli(cmd, p.exitValue(), Files.readString(home.resolve("out")), Files.readString(home.resolve("err")));
    }
}
