package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * A bucket's versioning status lives on its cached catalog row (V22): a change made through node A
 * reaches node B through the change feed (the bucket row's trigger), well within the second the
 * cluster promises (ClusterInvalidationIT's bound), not after the cache's minute.
 */
class VersioningClusterIT {
    static final int PORT_OFFSET = 300;
    static final Duration BOUND = Duration.ofSeconds(1);

    static List<ProxyProcess> nodes;
    static S3Client s3A;
    static S3Client s3B;

    @BeforeAll
    static void start() {
        nodes = ProxyProcess.startCluster("versioning", PORT_OFFSET, 2, Map.of());
        s3A = Clients.sdk(nodes.get(0).endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        s3B = Clients.sdk(nodes.get(1).endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.forEach(ProxyProcess::stop);
        }
    }

    @Test
    void aStatusPutOnAIsSeenOnBWithinASecond() throws InterruptedException {
        String b = Clients.newBucket(s3A, "ver-cluster");
        assertNull(s3B.getBucketVersioning(x -> x.bucket(b)).status()); // B caches the row
        for (BucketVersioningStatus status : List.of(BucketVersioningStatus.ENABLED, BucketVersioningStatus.SUSPENDED)) {
            s3A.putBucketVersioning(x -> x.bucket(b).versioningConfiguration(c -> c.status(status)));
            long t0 = System.nanoTime();
            long seen = -1;
            while (System.nanoTime() - t0 < 3 * BOUND.toNanos()) {
                if (status == s3B.getBucketVersioning(x -> x.bucket(b)).status()) {
                    seen = (System.nanoTime() - t0) / 1_000_000;
                    break;
                }
                Thread.sleep(50);
            }
            System.out.println("propagation ms " + seen + "  PutBucketVersioning " + status + " -> B");
            assertTrue(seen >= 0 && seen < BOUND.toMillis(), status + " seen on B after " + seen + " ms");
        }
        // B writes into the bucket as it is now (suspended: the null version)
        s3B.putObject(x -> x.bucket(b).key("k"), RequestBody.fromString("on b"));
        assertEquals("null", s3A.headObject(x -> x.bucket(b).key("k")).versionId());
    }
}
