package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.JobDescriptor;
import software.amazon.awssdk.services.s3control.model.JobStatus;
import software.amazon.awssdk.services.s3control.model.S3SSEAlgorithm;

/**
 * A batch job survives the kill -9 of the node running it (issue 13, item 4): two proxies on one
 * database, leases of 3 s, a low task rate so the job is mid-run; the node holding {@code batch-job-<id>}
 * is killed, the other takes the lease once it expires and finishes the job: every object re-encrypted
 * once, no task counted twice, at most one CopyObject per object in CloudTrail.
 */
class BatchClusterIT {
    static final int PORT_OFFSET = 940;
    static final int OBJECTS = 120;

    @Test
    void aJobWhoseNodeIsKilledIsFinishedByTheOtherNodeWithEveryObjectCopiedOnce() throws Exception {
        List<ProxyProcess> nodes = ProxyProcess.startCluster("batch", PORT_OFFSET, 2, Map.of(
                "SSE_PROXY_JOBS_LEASE_DURATION", "3s", "SSE_PROXY_BATCH_TASKS_PER_SECOND", "15"));
        try {
            ProxyProcess a = nodes.get(0);
            String[] acct = a.newAccount("batch-cluster-" + System.nanoTime());
            String bucket = Clients.bucketName("batch-kill");
            MinioClient minio = MinioClient.builder().endpoint(a.minioEndpoint().toString())
                    .credentials(ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD).region("us-east-1").build();
            minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            for (int i = 0; i < OBJECTS; i++) {
                byte[] b = BatchOperationsIT.body(i);
                minio.putObject(PutObjectArgs.builder().bucket(bucket).object("k" + i).stream(new ByteArrayInputStream(b),
                        (long) b.length, -1L).build());
            }
            a.admin("POST", "/admin/buckets/" + bucket + "/adopt", "{\"account\":\"" + acct[0] + "\"}");

            String id;
            try (S3ControlClient control = BatchOperationsIT.control(a, acct[1], acct[2])) {
                id = control.createJob(x -> x.accountId(acct[0]).clientRequestToken("kill-" + bucket).priority(1)
                        .roleArn(BatchOperationsIT.role(acct[0])).confirmationRequired(false)
                        .operation(o -> o.s3PutObjectCopy(c -> c.targetResource("arn:aws:s3:::" + bucket)
                                .newObjectMetadata(m -> m.sseAlgorithm(S3SSEAlgorithm.KMS)).bucketKeyEnabled(true)))
                        .report(r -> r.enabled(false))
                        .manifestGenerator(g -> g.s3JobManifestGenerator(s -> s.sourceBucket("arn:aws:s3:::" + bucket)
                                .enableManifestOutput(false).filter(f -> f.matchAnyObjectEncryption(e -> e.notsse(n -> { }))))))
                        .jobId();
            }
            // kill -9 the node that runs it once a quarter is done
            ProxyProcess runner = null;
            long atKill = 0;
            for (int i = 0; i < 1200 && runner == null; i++) {
                JobDescriptor d = describe(a, acct, id);
                assertFalse(d.status() == JobStatus.COMPLETE || d.status() == JobStatus.FAILED, "ended too soon: " + d);
                if (d.progressSummary().numberOfTasksSucceeded() >= OBJECTS / 4) {
                    runner = holder(nodes, "batch-job-" + id);
                    atKill = d.progressSummary().numberOfTasksSucceeded();
                } else {
                    Thread.sleep(100);
                }
            }
            assertNotNull(runner, "the job never got going");
            ProxyProcess survivor = runner == nodes.get(0) ? nodes.get(1) : nodes.get(0);
            runner.kill();
            JobDescriptor done = null;
            for (int i = 0; i < 1200; i++) {
                done = describe(survivor, acct, id);
                if (done.status() == JobStatus.COMPLETE || done.status() == JobStatus.FAILED) {
                    break;
                }
                Thread.sleep(100);
            }
            System.out.printf("BatchClusterIT: killed the runner at %d of %d tasks; the job ended %s: %s%n", atKill, OBJECTS,
                    done.status(), done.progressSummary());
            assertEquals(JobStatus.COMPLETE, done.status(), done::toString);
            assertEquals(OBJECTS, done.progressSummary().totalNumberOfTasks());
            assertEquals(OBJECTS, done.progressSummary().numberOfTasksSucceeded(), done::toString);
            assertEquals(0, done.progressSummary().numberOfTasksFailed(), done::toString);
            assertTrue(atKill < OBJECTS, "killed mid-run");
            assertEquals("", survivor.sql("SELECT name FROM cluster_lease WHERE name = 'batch-job-" + id + "'"),
                    "a finished job's lease is gone");

            try (S3Client s3 = Clients.sdk(survivor.endpoint(), acct[1], acct[2])) {
                for (int i = 0; i < OBJECTS; i++) {
                    String key = "k" + i;
                    byte[] stored;
                    try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                        stored = in.readAllBytes();
                    }
                    assertFalse(java.util.Arrays.equals(BatchOperationsIT.body(i), stored), "plaintext at rest: " + key);
                    var got = s3.getObjectAsBytes(x -> x.bucket(bucket).key(key));
                    assertArrayEquals(BatchOperationsIT.body(i), got.asByteArray(), key);
                    assertEquals(ServerSideEncryption.AWS_KMS, got.response().serverSideEncryption(), key);
                }
            }
            // CloudTrail: no object copied twice by the job (events of the killed node's last second may be lost
            // with it: at most one per object, not exactly one)
            Thread.sleep(2500);
            String twice = survivor.sql("SELECT count(*) FROM (SELECT record::json -> 'requestParameters' ->> 'key' AS k "
                    + "FROM audit_event WHERE event_name = 'CopyObject' AND record::json -> 'requestParameters' ->> "
                    + "'bucketName' = '" + bucket + "' GROUP BY 1 HAVING count(*) > 1) t");
            String copies = survivor.sql("SELECT count(*) FROM audit_event WHERE event_name = 'CopyObject' AND "
                    + "record::json -> 'requestParameters' ->> 'bucketName' = '" + bucket + "'");
            System.out.printf("BatchClusterIT: %s CopyObject events for %d objects%n", copies, OBJECTS);
            assertEquals("0", twice, "objects copied more than once");
        } finally {
            nodes.forEach(ProxyProcess::stop);
        }
    }

    static JobDescriptor describe(ProxyProcess node, String[] acct, String id) {
        try (S3ControlClient c = BatchOperationsIT.control(node, acct[1], acct[2])) {
            return c.describeJob(x -> x.accountId(acct[0]).jobId(id)).job();
        }
    }

    static ProxyProcess holder(List<ProxyProcess> nodes, String name) {
        JsonNode leases = nodes.get(0).admin("GET", "/admin/cluster/leases", null);
        for (JsonNode row : leases.path("leases")) {
            if (name.equals(row.path("name").asText())) {
                String holder = row.path("holder").asText();
                for (ProxyProcess p : nodes) {
                    if (holder.equals(p.admin("GET", "/admin/cluster/leases", null).path("node").asText())) {
                        return p;
                    }
                }
            }
        }
        return null;
    }
}
