package dev.sseproxy.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.catalog.BatchJobRows;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.inventory.EncryptionStatus;
import dev.sseproxy.inventory.ScannedObject;
import io.smallrye.mutiny.Multi;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job model: CreateJob parsing, CSV manifests, the generator's filter, the state machine. */
class BatchModelTest {
    static final String NS = "xmlns=\"http://awss3control.amazonaws.com/doc/2018-08-20/\"";

    static byte[] request(String operation, String manifest) {
        return ("<CreateJobRequest " + NS + "><AccountId>111122223333</AccountId><ConfirmationRequired>true</ConfirmationRequired>"
                + "<Operation>" + operation + "</Operation><Report><Enabled>true</Enabled><Bucket>arn:aws:s3:::reports</Bucket>"
                + "<Format>Report_CSV_20180820</Format><Prefix>batch</Prefix><ReportScope>AllTasks</ReportScope></Report>"
                + "<ClientRequestToken>tok-1</ClientRequestToken>" + manifest + "<Description>re-encrypt</Description>"
                + "<Priority>10</Priority><RoleArn>arn:aws:iam::111122223333:role/batch</RoleArn></CreateJobRequest>")
                .getBytes(StandardCharsets.UTF_8);
    }

    static final String COPY = "<S3PutObjectCopy><TargetResource>arn:aws:s3:::data</TargetResource>"
            + "<MetadataDirective>COPY</MetadataDirective><NewObjectMetadata><SSEAlgorithm>KMS</SSEAlgorithm></NewObjectMetadata>"
            + "<SSEAwsKmsKeyId>arn:aws:kms:us-east-1:111122223333:key/k1</SSEAwsKmsKeyId><BucketKeyEnabled>true</BucketKeyEnabled>"
            + "</S3PutObjectCopy>";
    static final String CSV = "<Manifest><Spec><Format>S3BatchOperations_CSV_20180820</Format><Fields><member>Bucket</member>"
            + "<member>Key</member></Fields></Spec><Location><ObjectArn>arn:aws:s3:::data/manifests/m.csv</ObjectArn>"
            + "<ETag>\"abc\"</ETag></Location></Manifest>";

    @Test
    void parsesACopyJobWithACsvManifest() {
        JobSpec s = JobSpec.parse(request(COPY, CSV));
        assertTrue(s.confirmationRequired());
        assertEquals(10, s.priority());
        assertEquals("tok-1", s.clientRequestToken());
        JobSpec.Copy c = (JobSpec.Copy) s.operation();
        assertEquals("data", c.targetBucket());
        assertEquals(Optional.of("KMS"), c.sseAlgorithm());
        assertEquals(Optional.of(true), c.bucketKeyEnabled());
        JobSpec.Manifest m = s.manifest().orElseThrow();
        assertEquals("data", m.bucket());
        assertEquals("manifests/m.csv", m.key());
        assertEquals("abc", m.etag());
        assertEquals(List.of("Bucket", "Key"), m.fields());
        assertTrue(s.report().enabled());
        assertEquals(Optional.of("batch"), s.report().prefix());
        s.checkRole("111122223333");
        assertThrows(S3Exception.class, () -> s.checkRole("444455556666"));
    }

    @Test
    void parsesTaggingAndAGenerator() {
        String gen = "<ManifestGenerator><S3JobManifestGenerator><SourceBucket>arn:aws:s3:::data</SourceBucket>"
                + "<EnableManifestOutput>false</EnableManifestOutput><Filter><KeyNameConstraint><MatchAnyPrefix>"
                + "<member>logs/</member></MatchAnyPrefix></KeyNameConstraint><ObjectSizeGreaterThanBytes>10"
                + "</ObjectSizeGreaterThanBytes><MatchAnyObjectEncryption><ObjectEncryption><NOT-SSE/></ObjectEncryption>"
                + "</MatchAnyObjectEncryption></Filter></S3JobManifestGenerator></ManifestGenerator>";
        JobSpec s = JobSpec.parse(request("<S3PutObjectTagging><TagSet><member><Key>a</Key><Value>1</Value></member>"
                + "</TagSet></S3PutObjectTagging>", gen));
        assertEquals("S3PutObjectTagging", s.operation().name());
        assertEquals(1, ((JobSpec.Tagging) s.operation()).tags().size());
        ManifestFilter f = s.generator().orElseThrow().filter();
        assertEquals(Optional.of("logs/"), f.prefix());
        assertTrue(f.encryptions().contains(EncryptionStatus.NOT_SSE));
    }

    @Test
    void refusesWhatItCannotRun() {
        assertEquals("InvalidRequest", code(() -> JobSpec.parse(request("<LambdaInvoke><FunctionArn>x</FunctionArn></LambdaInvoke>", CSV))));
        assertEquals("InvalidRequest", code(() -> JobSpec.parse(request(COPY.replace("COPY</Metadata", "REPLACE</Metadata"), CSV))));
        assertEquals("InvalidRequest", code(() -> JobSpec.parse(request(COPY, ""))));
        assertEquals("MalformedXML", code(() -> JobSpec.parse("<CreateJobRequest".getBytes(StandardCharsets.UTF_8))));
        assertEquals("MalformedXML", code(() -> JobSpec.parse(("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<CreateJobRequest>&e;</CreateJobRequest>").getBytes(StandardCharsets.UTF_8))));
    }

    static String code(Runnable r) {
        return assertThrows(S3Exception.class, r::run).code().code();
    }

    @Test
    void csvRows() {
        CsvManifest m = new CsvManifest(List.of("Bucket", "Key"));
        assertEquals(new CsvManifest.Row("b", "dir/a b+c.txt", Optional.empty()), m.row("b,dir/a%20b+c.txt", 1));
        assertEquals(new CsvManifest.Row("b", "x,y", Optional.empty()), m.row("b,\"x,y\"", 2));
        assertNull(m.row("  ", 3));
        CsvManifest v = new CsvManifest(List.of("Ignore", "Bucket", "Key", "VersionId"));
        assertEquals(new CsvManifest.Row("b", "k", Optional.of("v1")), v.row("z,b,k,v1", 1));
        assertThrows(CsvManifest.InvalidManifest.class, () -> m.row("only-bucket", 4));
        assertThrows(CsvManifest.InvalidManifest.class, () -> m.row("b,bad%zz", 5));
        assertEquals("k\u00e9", CsvManifest.decode("k%C3%A9", 1));
    }

    @Test
    void linesAcrossChunks() {
        List<BatchRunner.Line> lines = BatchRunner.lines(Multi.createFrom().items("b,k1\r\nb,".getBytes(StandardCharsets.UTF_8),
                "k2\nb,k3".getBytes(StandardCharsets.UTF_8))).collect().asList().await().indefinitely();
        assertEquals(List.of("b,k1", "b,k2", "b,k3"), lines.stream().map(BatchRunner.Line::text).toList());
        assertEquals(3, lines.get(2).number());
    }

    static ScannedObject obj(String key, long size, EncryptionStatus e) {
        return new ScannedObject("b", key, size, Instant.parse("2024-01-02T00:00:00Z"), "e", "e", false, e, false,
                Optional.empty(), "STANDARD");
    }

    @Test
    void filter() {
        ManifestFilter f = new ManifestFilter(Optional.of(Instant.parse("2024-01-01T00:00:00Z")), Optional.empty(),
                Optional.of("logs/"), Optional.of(".gz"), Optional.empty(), Optional.of(0L), Optional.of(100L),
                java.util.Set.of(EncryptionStatus.NOT_SSE), Optional.empty(), Optional.empty(), java.util.Set.of());
        assertTrue(f.test(obj("logs/a.gz", 5, EncryptionStatus.NOT_SSE)));
        assertFalse(f.test(obj("logs/a.gz", 5, EncryptionStatus.SSE_KMS)));
        assertFalse(f.test(obj("other/a.gz", 5, EncryptionStatus.NOT_SSE)));
        assertFalse(f.test(obj("logs/a.txt", 5, EncryptionStatus.NOT_SSE)));
        assertFalse(f.test(obj("logs/a.gz", 0, EncryptionStatus.NOT_SSE)));
        assertFalse(f.test(obj("logs/a.gz", 100, EncryptionStatus.NOT_SSE)));
        assertTrue(ManifestFilter.ALL.test(obj("x", 0, EncryptionStatus.SSE_C)));
        ManifestFilter before = new ManifestFilter(Optional.empty(), Optional.of(Instant.parse("2024-01-01T00:00:00Z")),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), java.util.Set.of(),
                Optional.empty(), Optional.empty(), java.util.Set.of());
        assertFalse(before.test(obj("x", 0, EncryptionStatus.NOT_SSE)));
    }

    @Test
    void stateMachine() {
        assertEquals(Optional.of(JobStatus.READY), JobStatus.SUSPENDED.request(JobStatus.READY));
        assertEquals(Optional.empty(), JobStatus.ACTIVE.request(JobStatus.READY));
        assertEquals(Optional.of(JobStatus.CANCELLED), JobStatus.SUSPENDED.request(JobStatus.CANCELLED));
        assertEquals(Optional.of(JobStatus.CANCELLING), JobStatus.ACTIVE.request(JobStatus.CANCELLED));
        assertEquals(Optional.empty(), JobStatus.COMPLETE.request(JobStatus.CANCELLED));
        assertTrue(JobStatus.NEW.canRunTo(JobStatus.PREPARING));
        assertTrue(JobStatus.PREPARING.canRunTo(JobStatus.SUSPENDED));
        assertFalse(JobStatus.SUSPENDED.canRunTo(JobStatus.ACTIVE));
        assertFalse(JobStatus.COMPLETE.canRunTo(JobStatus.ACTIVE));
        assertTrue(JobStatus.ACTIVE.runnable());
        assertFalse(JobStatus.SUSPENDED.runnable());
    }

    @Test
    void reportRows() {
        BatchJobRows.Task ok = new BatchJobRows.Task(1, "b", "a b/c.txt", null, null, "SUCCEEDED", null, 200, null, "Successful");
        assertEquals("b,a%20b/c.txt,,succeeded,200,,Successful\n", Reports.row(ok));
        BatchJobRows.Task bad = new BatchJobRows.Task(2, "b", "k", null, null, "FAILED", null, 412, "PreconditionFailed",
                "At least one, of the pre-conditions");
        assertEquals("b,k,,failed,412,PreconditionFailed,\"At least one, of the pre-conditions\"\n", Reports.row(bad));
    }
}
