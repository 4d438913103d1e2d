package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3control.S3ControlClient;
import software.amazon.awssdk.services.s3control.model.JobDescriptor;
import software.amazon.awssdk.services.s3control.model.JobStatus;
import software.amazon.awssdk.services.s3control.model.S3SSEAlgorithm;

/** Prints the re-encryption rate of a batch job (objects/s) on a dedicated proxy without a task-rate cap. */
class BatchThroughputIT {
    static final int OBJECTS = 600;

    @Test
    void reEncryptionRate() throws Exception {
        ProxyProcess p = ProxyProcess.startDedicated("batch-rate", 950, Map.of("SSE_PROXY_BATCH_TASKS_PER_SECOND", "100000",
                "SSE_PROXY_BATCH_CONCURRENCY", "16"));
        try {
            String[] acct = p.newAccount("batch-rate-" + System.nanoTime());
            String bucket = Clients.bucketName("batch-rate");
            MinioClient minio = MinioClient.builder().endpoint(p.minioEndpoint().toString())
                    .credentials(ProxyProcess.MINIO_USER, ProxyProcess.MINIO_PASSWORD).region("us-east-1").build();
            minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            KmsAtScaleIT.parallel(OBJECTS, 8, i -> {
                byte[] b = BatchOperationsIT.body(i % 50);
                try {
                    minio.putObject(PutObjectArgs.builder().bucket(bucket).object("k" + i).stream(new ByteArrayInputStream(b),
                            (long) b.length, -1L).build());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            p.admin("POST", "/admin/buckets/" + bucket + "/adopt", "{\"account\":\"" + acct[0] + "\"}");
            try (S3ControlClient control = BatchOperationsIT.control(p, acct[1], acct[2])) {
                long start = System.nanoTime();
                String id = control.createJob(x -> x.accountId(acct[0]).clientRequestToken("rate").priority(1)
                        .roleArn(BatchOperationsIT.role(acct[0])).confirmationRequired(false)
                        .operation(o -> o.s3PutObjectCopy(c -> c.targetResource("arn:aws:s3:::" + bucket)
                                .newObjectMetadata(m -> m.sseAlgorithm(S3SSEAlgorithm.KMS)).bucketKeyEnabled(true)))
                        .report(r -> r.enabled(false))
                        .manifestGenerator(g -> g.s3JobManifestGenerator(s -> s.sourceBucket("arn:aws:s3:::" + bucket)
                                .enableManifestOutput(false).filter(f -> f.matchAnyObjectEncryption(e -> e.notsse(n -> { }))))))
                        .jobId();
                JobDescriptor d = BatchOperationsIT.await(control, acct[0], id, j -> j.status() == JobStatus.COMPLETE
                        || j.status() == JobStatus.FAILED);
                for (int i = 0; i < 3000 && d.status() != JobStatus.COMPLETE && d.status() != JobStatus.FAILED; i++) {
                    Thread.sleep(100);
                    d = control.describeJob(x -> x.accountId(acct[0]).jobId(id)).job();
                }
                double secs = (System.nanoTime() - start) / 1e9;
                System.out.printf("BatchThroughputIT: %d objects re-encrypted in %.1f s: %.0f objects/s (active %d s)%n",
                        OBJECTS, secs, OBJECTS / secs, d.progressSummary().timers().elapsedTimeInActiveSeconds());
                assertEquals(JobStatus.COMPLETE, d.status(), d::toString);
                assertEquals((long) OBJECTS, d.progressSummary().numberOfTasksSucceeded());
            }
        } finally {
            p.stop();
        }
    }
}
