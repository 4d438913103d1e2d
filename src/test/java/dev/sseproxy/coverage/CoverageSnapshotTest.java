package dev.sseproxy.coverage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sseproxy.inventory.EncryptionStatus;
import dev.sseproxy.inventory.ScannedObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CoverageSnapshotTest {
    static final String K1 = "arn:aws:kms:us-east-1:111122223333:key/k1";
    static final String K2 = "arn:aws:kms:us-east-1:111122223333:key/k2";

    static ScannedObject obj(String bucket, long size, EncryptionStatus s, String key, boolean bucketKey) {
        return new ScannedObject(bucket, "k" + size, size, Instant.EPOCH, "e", "e", false, s, bucketKey,
                Optional.ofNullable(key), "STANDARD");
    }

    static BucketCoverage bucket(String name, List<ScannedObject> objects) {
        return new BucketCoverage(name, "111122223333", Instant.parse("2026-01-01T00:00:00Z"),
                new Tally.Builder().add(objects).build(), Optional.empty());
    }

    @Test
    void aTallyCountsByStatusAndByKeyAndBucketKeyWithEveryStatusPresent() {
        Tally t = new Tally.Builder().add(List.of(obj("b", 10, EncryptionStatus.NOT_SSE, null, false),
                obj("b", 20, EncryptionStatus.SSE_S3, null, false), obj("b", 30, EncryptionStatus.SSE_KMS, K1, true),
                obj("b", 40, EncryptionStatus.SSE_KMS, K1, false), obj("b", 50, EncryptionStatus.SSE_KMS, K1, true)))
                .build();
        assertEquals(5, t.objects());
        assertEquals(150, t.bytes());
        assertEquals(new Tally.Count(1, 10), t.byStatus().get(EncryptionStatus.NOT_SSE));
        assertEquals(new Tally.Count(3, 120), t.byStatus().get(EncryptionStatus.SSE_KMS));
        assertEquals(Tally.Count.ZERO, t.byStatus().get(EncryptionStatus.SSE_C));
        assertEquals(new Tally.Count(4, 140), t.encrypted());
        assertEquals(List.of(new Tally.KeyUsage(K1, false, 1, 40), new Tally.KeyUsage(K1, true, 2, 80)), t.byKmsKey());
    }

    @Test
    void theJsonHasTheDocumentedShapeAndReadsBack() {
        CoverageSnapshot s = CoverageSnapshot.of(Instant.parse("2026-01-01T00:00:01Z"), 12, "node-a", List.of(
                bucket("a", List.of(obj("a", 5, EncryptionStatus.NOT_SSE, null, false))),
                bucket("b", List.of(obj("b", 7, EncryptionStatus.SSE_KMS, K2, true),
                        obj("b", 9, EncryptionStatus.SSE_KMS, K2, true)))))
                .withId(42);
        JsonNode j = CoverageJson.write(s);
        assertEquals(42, j.path("id").asLong());
        assertEquals("2026-01-01T00:00:01Z", j.path("scannedAt").asText());
        assertEquals(12, j.path("durationMillis").asLong());
        assertEquals("a", j.path("buckets").get(0).path("bucket").asText());
        assertEquals("111122223333", j.path("buckets").get(0).path("account").asText());
        assertEquals(1, j.path("buckets").get(0).path("byStatus").path("NOT-SSE").path("objects").asLong());
        assertEquals(5, j.path("buckets").get(0).path("byStatus").path("NOT-SSE").path("bytes").asLong());
        assertEquals(5, j.path("buckets").get(0).path("byStatus").size());
        JsonNode key = j.path("buckets").get(1).path("byKmsKey").get(0);
        assertEquals(K2, key.path("keyArn").asText());
        assertEquals(2, key.path("objects").asLong());
        assertEquals(16, key.path("bytes").asLong());
        assertEquals(true, key.path("bucketKey").asBoolean());
        assertEquals(2, j.path("totals").path("buckets").asLong());
        assertEquals(3, j.path("totals").path("objects").asLong());
        assertEquals(21, j.path("totals").path("bytes").asLong());
        assertEquals(16, j.path("totals").path("encrypted").path("bytes").asLong());
        assertEquals(2, j.path("totals").path("byKmsKey").get(0).path("objects").asLong());

        CoverageSnapshot back = CoverageJson.read(42, "node-a", j.toString());
        assertEquals(s, back);
    }

    @Test
    void aScanOfOneBucketReplacesItsEntryKeepsTheOthersAndDropsDeletedBuckets() {
        CoverageSnapshot prev = CoverageSnapshot.of(Instant.EPOCH, 1, "n", List.of(
                bucket("a", List.of(obj("a", 1, EncryptionStatus.NOT_SSE, null, false))),
                bucket("b", List.of(obj("b", 2, EncryptionStatus.NOT_SSE, null, false))),
                bucket("gone", List.of(obj("gone", 3, EncryptionStatus.NOT_SSE, null, false)))));
        BucketCoverage fresh = bucket("b", List.of(obj("b", 2, EncryptionStatus.SSE_S3, null, false)));
        List<BucketCoverage> merged = CoverageScanner.merge(Optional.of(prev), List.of(fresh), List.of(
                new CoverageStore.CatalogBucket("a", "111122223333"), new CoverageStore.CatalogBucket("b", "999988887777"),
                new CoverageStore.CatalogBucket("new", "111122223333")));
        assertEquals(List.of("a", "b"), merged.stream().map(BucketCoverage::bucket).toList());
        assertEquals(prev.buckets().get(0), merged.get(0));
        assertEquals(fresh.tally(), merged.get(1).tally());
        assertEquals("999988887777", merged.get(1).account());
        assertFalse(merged.stream().anyMatch(b -> b.bucket().equals("gone")));
    }
}
