package dev.sseproxy.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.BucketReplication;
import dev.sseproxy.catalog.ReplicationQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which rows a write or a delete queues, and the status a version's rows add up to. */
class ReplicationsTest {

    static BucketReplication.Rule rule(String id, int priority, String prefix, Map<String, String> tags, boolean markers,
            boolean kms, String destination, String replicaKey) {
        return new BucketReplication.Rule(id, priority, true, new BucketReplication.Filter(prefix, tags), false, markers,
                kms, false, false, new BucketReplication.Destination("arn:aws:s3:::" + destination, destination, null, null,
                        false, replicaKey, null, null));
    }

    static Bucket bucket(BucketReplication.Rule... rules) {
        return new Bucket("src", "000000000001", "us-east-1", Instant.EPOCH, null, null, null, null, "Enabled", null,
                new BucketReplication("arn:aws:iam::000000000001:role/r", List.of(rules)));
    }

    @Test
    void aWriteQueuesOneRowPerDestinationWithTheRulesKey() {
        Bucket b = bucket(rule("a", 1, "", Map.of(), false, false, "d1", null),
                rule("b", 2, "", Map.of(), false, false, "d2", "arn:aws:kms:us-east-1:000000000001:key/k"));
        List<ReplicationQueue.Entry> rows = Replications.forWrite(b, "k", Map.of(), "v1", "AES256", false);
        assertEquals(2, rows.size());
        ReplicationQueue.Entry d2 = rows.stream().filter(e -> e.destBucket().equals("d2")).findFirst().orElseThrow();
        assertEquals("arn:aws:kms:us-east-1:000000000001:key/k", d2.replicaKmsKeyId());
        assertEquals("v1", d2.versionId());
        assertEquals(ReplicationQueue.OBJECT, d2.kind());
        assertEquals("b", d2.ruleId());
    }

    @Test
    void sseCNeverAndSseKmsOnlyWithTheOptIn() {
        Bucket b = bucket(rule("plain", 1, "", Map.of(), false, false, "d1", null),
                rule("kms", 1, "", Map.of(), false, true, "d2", null));
        assertEquals(List.of(), Replications.forWrite(b, "k", Map.of(), "v", null, true));
        assertEquals(List.of("d2"), Replications.forWrite(b, "k", Map.of(), "v", "aws:kms", false).stream()
                .map(ReplicationQueue.Entry::destBucket).toList());
        assertEquals(List.of("d2"), Replications.forWrite(b, "k", Map.of(), "v", "aws:kms:dsse", false).stream()
                .map(ReplicationQueue.Entry::destBucket).toList());
        assertEquals(2, Replications.forWrite(b, "k", Map.of(), "v", "AES256", false).size());
    }

    @Test
    void filtersByPrefixAndTags() {
        Bucket b = bucket(rule("t", 1, "logs/", Map.of("team", "a"), false, false, "d1", null));
        assertEquals(List.of(), Replications.forWrite(b, "logs/x", Map.of(), "v", "AES256", false));
        assertEquals(List.of(), Replications.forWrite(b, "data/x", Map.of("team", "a"), "v", "AES256", false));
        assertEquals(1, Replications.forWrite(b, "logs/x", Map.of("team", "a"), "v", "AES256", false).size());
    }

    @Test
    void deleteMarkersReplicateOnlyWhenTheRuleSaysSoAndDoesNotFilterByTags() {
        Bucket on = bucket(rule("m", 1, "", Map.of(), true, false, "d1", null));
        Bucket off = bucket(rule("m", 1, "", Map.of(), false, false, "d1", null));
        Bucket tagged = bucket(rule("m", 1, "", Map.of("team", "a"), true, false, "d1", null));
        List<ReplicationQueue.Entry> rows = Replications.forDeleteMarker(on, "k", "marker");
        assertEquals(1, rows.size());
        assertEquals(ReplicationQueue.DELETE_MARKER, rows.get(0).kind());
        assertEquals("marker", rows.get(0).versionId());
        assertEquals(List.of(), Replications.forDeleteMarker(off, "k", "marker"));
        assertEquals(List.of(), Replications.forDeleteMarker(tagged, "k", "marker"));
    }

    @Test
    void aBucketWithoutConfigurationQueuesNothing() {
        Bucket none = new Bucket("src", "000000000001", "us-east-1", Instant.EPOCH);
        assertEquals(List.of(), Replications.forWrite(none, "k", Map.of(), "v", "AES256", false));
        assertEquals(List.of(), Replications.forDeleteMarker(none, "k", "v"));
    }

    @Test
    void statusAddsUpOverDestinations() {
        assertNull(Replications.aggregate(List.of()));
        assertEquals("COMPLETED", Replications.aggregate(List.of("COMPLETED", "COMPLETED")));
        assertEquals("PENDING", Replications.aggregate(List.of("COMPLETED", "PENDING")));
        assertEquals("FAILED", Replications.aggregate(List.of("PENDING", "FAILED")));
    }

    @Test
    void backOffDoublesUpToItsMaximum() {
        assertEquals(Duration.ofSeconds(1), ReplicationWorker.backoff(0, Duration.ofSeconds(1), Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(4), ReplicationWorker.backoff(2, Duration.ofSeconds(1), Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(30), ReplicationWorker.backoff(40, Duration.ofSeconds(1), Duration.ofSeconds(30)));
    }
}
