package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.JobDescriptor;
import software.amazon.awssdk.services.s3control.model.JobStatus;
import software.amazon.awssdk.services.s3control.model.NotSSEFilter;
import software.amazon.awssdk.services.s3control.model.ObjectEncryptionFilter;

/**
 * Issue 13's acceptance, end to end on a two-node cluster: a bucket made at MinIO before the proxy, with
 * 10,000 plaintext objects (mixed sizes, some multipart), is adopted; the coverage view reports 10,000
 * NOT-SSE; one S3 Batch Operations job with a generated manifest (filter NOT-SSE) re-encrypts them in
 * place to SSE-KMS with a bucket key; the node running it is killed with {@code kill -9} mid-run and the
 * other node finishes it. Afterwards the coverage view says 10,000 SSE-KMS under the job's key, MinIO
 * holds no plaintext, every object reads back byte-exact, each object was copied once (CloudTrail), and
 * the KMS saw a handful of calls for the key, not 10,000.
 */
class ExistingDataIT {
    static final String ROOT_ACCOUNT = "000000000001";
    /** The two nodes' port offset (issue 13's coordinator range). */
    static final int PORT_OFFSET = 990;
    static final int OBJECTS = 10_000;
    static final int MULTIPART = 3;
    static final int MULTIPART_SIZE = 11 * 1024 * 1024;

    static String marker(int i) {
        return "existing-object-" + i + "|";
    }

    /** Object {@code i}'s plaintext: a marker, then bytes of a seeded random; sizes from 16 B to ~24 KiB, 3 of 11 MiB. */
    static byte[] body(int i) {
        int size = i < MULTIPART ? MULTIPART_SIZE : 16 + (i * 7919) % (24 * 1024);
        byte[] b = new byte[size];
        new Random(i).nextBytes(b);
        byte[] m = marker(i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, b, 0, Math.min(m.length, b.length));
        return b;
    }

    static String key(int i) {
        return String.format("data/%02d/object-%05d", i % 50, i);
    }

    static S3ControlClient control(ProxyProcess node) {
        return BatchOperationsIT.control(node, ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
    }

    static S3Client s3(ProxyProcess node) {
        return Clients.sdk(node.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
    }

    /** This bucket's line of a fresh coverage scan made on {@code node}. */
    static JsonNode coverage(ProxyProcess node, String bucket) {
        JsonNode snapshot = node.admin("POST", "/admin/coverage/scan", "{\"bucket\":\"" + bucket + "\"}");
        for (JsonNode b : snapshot.path("buckets")) {
            if (bucket.equals(b.path("bucket").asText())) {
                return b;
            }
        }
        throw new AssertionError("bucket " + bucket + " is not in the coverage snapshot: " + snapshot);
    }

    static JobDescriptor describe(ProxyProcess node, String jobId) {
        try (S3ControlClient control = control(node)) {
            return control.describeJob(r -> r.accountId(ROOT_ACCOUNT).jobId(jobId)).job();
        }
    }

    @Test
    void tenThousandPlaintextObjectsAreAdoptedReportedAndReEncryptedByAJobThatSurvivesItsNode() throws Exception {
        String bucket = Clients.bucketName("existing");
        MinioClient minio = Clients.backend();
        minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        long seeded = System.nanoTime();
        KmsAtScaleIT.parallel(OBJECTS, 16, i -> {
            byte[] b = body(i);
            try {
                minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key(i))
                        .stream(new ByteArrayInputStream(b), (long) b.length, 5L * 1024 * 1024)
                        .contentType("application/octet-stream").userMetadata(Map.of("origin", "before-the-proxy")).build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf("ExistingDataIT: %d plaintext objects put at MinIO in %d ms%n", OBJECTS,
                (System.nanoTime() - seeded) / 1_000_000);

        // a low task rate keeps the job running long enough to kill its node halfway
        List<ProxyProcess> nodes = ProxyProcess.startCluster("existing", PORT_OFFSET, 2,
                Map.of("SSE_PROXY_BATCH_TASKS_PER_SECOND", "250"));
        try {
            ProxyProcess a = nodes.get(0);
            JsonNode adopted = a.admin("POST", "/admin/buckets/" + bucket + "/adopt",
                    "{\"account\":\"" + ROOT_ACCOUNT + "\"}");
            assertEquals(OBJECTS, adopted.path("notEncrypted").asLong(), adopted::toString);

            // adopted objects are served as they are, and reported as not encrypted
            try (S3Client s3 = s3(a)) {
                var head = s3.headObject(r -> r.bucket(bucket).key(key(7)));
                assertEquals(null, head.serverSideEncryption(), "a plaintext object must not claim encryption");
                assertEquals("before-the-proxy", head.metadata().get("origin"));
            }
            JsonNode before = coverage(a, bucket);
            assertEquals(OBJECTS, before.path("byStatus").path("NOT-SSE").path("objects").asLong(), before::toString);
            assertEquals(OBJECTS, before.path("objects").asLong(), before::toString);

            String kmsKey = KmsAtScaleIT.newKey(a, "existing-data re-encryption");
            java.time.Instant jobStart = java.time.Instant.now();
            String jobId;
            try (S3ControlClient control = control(a)) {
                jobId = control.createJob(r -> r.accountId(ROOT_ACCOUNT).confirmationRequired(false).priority(10)
                        .clientRequestToken("existing-" + bucket)
                        .roleArn("arn:aws:iam::" + ROOT_ACCOUNT + ":role/batch-reencrypt")
                        .operation(o -> o.s3PutObjectCopy(c -> c.targetResource("arn:aws:s3:::" + bucket)
                                .metadataDirective("COPY").sseAwsKmsKeyId(kmsKey).bucketKeyEnabled(true)
                                .newObjectMetadata(m -> m.sseAlgorithm("KMS"))))
                        .report(rep -> rep.enabled(false))
                        .manifestGenerator(g -> g.s3JobManifestGenerator(s -> s.sourceBucket("arn:aws:s3:::" + bucket)
                                .enableManifestOutput(false)
                                .filter(f -> f.matchAnyObjectEncryption(ObjectEncryptionFilter.builder()
                                        .notsse(NotSSEFilter.builder().build()).build()))))).jobId();
            }

            // kill -9 the node that runs it, once a fifth is done
            ProxyProcess runner = null;
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (runner == null) {
                assertTrue(System.nanoTime() < deadline, "the job never got going: " + describe(a, jobId));
                JobDescriptor d = describe(a, jobId);
                long done = d.progressSummary() == null ? 0 : d.progressSummary().numberOfTasksSucceeded();
                assertFalse(d.status() == JobStatus.COMPLETE, "the job completed before it could be interrupted");
                if (done >= OBJECTS / 5) {
                    runner = BatchClusterIT.holder(nodes, "batch-job-" + jobId);
                }
                if (runner == null) {
                    Thread.sleep(200);
                }
            }
            ProxyProcess survivor = runner == nodes.get(0) ? nodes.get(1) : nodes.get(0);
            long atKill = describe(survivor, jobId).progressSummary().numberOfTasksSucceeded();
            runner.kill();
            System.out.printf("ExistingDataIT: killed %s (kill -9) with %d of %d tasks done%n", runner.name(), atKill, OBJECTS);

            JobDescriptor finished;
            do {
                assertTrue(System.nanoTime() < deadline, "the job did not finish on the surviving node");
                Thread.sleep(500);
                finished = describe(survivor, jobId);
            } while (finished.status() != JobStatus.COMPLETE && finished.status() != JobStatus.FAILED);
            System.out.printf("ExistingDataIT: job %s %s in %d s: %d succeeded, %d failed of %d%n", jobId,
                    finished.status(), java.time.Duration.between(jobStart, java.time.Instant.now()).toSeconds(),
                    finished.progressSummary().numberOfTasksSucceeded(), finished.progressSummary().numberOfTasksFailed(),
                    finished.progressSummary().totalNumberOfTasks());
            assertEquals(JobStatus.COMPLETE, finished.status(), finished::toString);
            assertEquals(OBJECTS, finished.progressSummary().totalNumberOfTasks());
            assertEquals(OBJECTS, finished.progressSummary().numberOfTasksSucceeded());
            assertEquals(0, finished.progressSummary().numberOfTasksFailed());

            JsonNode after = coverage(survivor, bucket);
            assertEquals(OBJECTS, after.path("byStatus").path("SSE-KMS").path("objects").asLong(), after::toString);
            assertEquals(0, after.path("byStatus").path("NOT-SSE").path("objects").asLong(), after::toString);
            JsonNode byKey = after.path("byKmsKey");
            assertEquals(1, byKey.size(), after::toString);
            assertEquals(kmsKey, byKey.get(0).path("keyArn").asText());
            assertEquals(OBJECTS, byKey.get(0).path("objects").asLong());
            assertTrue(byKey.get(0).path("bucketKey").asBoolean(), after::toString);

            // MinIO holds no plaintext; the proxy returns every byte, with the new encryption and the old metadata
            AtomicInteger checked = new AtomicInteger();
            try (S3Client s3 = s3(survivor)) {
                KmsAtScaleIT.parallel(OBJECTS, 8, i -> {
                    byte[] expected = body(i);
                    try (InputStream raw = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key(i)).build())) {
                        byte[] stored = raw.readAllBytes();
                        assertFalse(java.util.Arrays.equals(stored, expected), key(i) + " is plaintext at MinIO");
                        assertFalse(new String(stored, 0, Math.min(stored.length, 64), StandardCharsets.ISO_8859_1)
                                .contains(marker(i)), key(i) + "'s marker is in clear at MinIO");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    var got = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key(i)));
                    assertArrayEquals(expected, got.asByteArray(), key(i));
                    assertEquals(ServerSideEncryption.AWS_KMS, got.response().serverSideEncryption(), key(i));
                    assertEquals(kmsKey, got.response().ssekmsKeyId(), key(i));
                    assertTrue(Boolean.TRUE.equals(got.response().bucketKeyEnabled()), key(i));
                    assertEquals("before-the-proxy", got.response().metadata().get("origin"), key(i));
                    checked.incrementAndGet();
                });
            }
            assertEquals(OBJECTS, checked.get());

            // each object copied at most once, in CloudTrail, with the encryption it applied (a copy whose
            // event was still in the killed node's audit queue has none: the trail of that node's last
            // moment is lost with it, the object is not)
            String where = "FROM audit_event WHERE event_name = 'CopyObject' AND record::json ->> 'errorCode' IS NULL "
                    + "AND record::json -> 'requestParameters' ->> 'bucketName' = '" + bucket + "'";
            String[] copies = survivor.sql("SELECT count(*) || ' ' || count(DISTINCT record::json -> 'requestParameters' ->> 'key') "
                    + where).split(" ");
            System.out.printf("ExistingDataIT: %s successful CopyObject events for %s distinct keys%n", copies[0], copies[1]);
            assertEquals(copies[1], copies[0], "an object was copied twice");
            assertTrue(Long.parseLong(copies[1]) >= OBJECTS - 100, "CopyObject events: " + copies[1]);
            assertEquals("SSE_KMS", survivor.sql("SELECT DISTINCT record::json -> 'additionalEventData' ->> 'SSEApplied' " + where));

            // and the KMS saw a handful of calls for the key, not 10,000
            long kms = 0;
            for (String op : List.of("GenerateDataKey", "Decrypt", "Encrypt", "ReEncrypt")) {
                kms += KmsEvents.count(survivor, kmsKey, op);
            }
            System.out.printf("ExistingDataIT: KMS calls on the job's key: %d for %d objects%n", kms, OBJECTS);
            assertTrue(kms >= 1 && kms <= 10, "KMS calls on the key: " + kms);
        } finally {
            for (ProxyProcess p : nodes) {
                p.stop();
            }
        }
    }
}
