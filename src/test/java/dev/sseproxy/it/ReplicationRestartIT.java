package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Replication survives a crash mid-queue: a proxy of its own whose workers are slowed down
 * ({@code sse-proxy.replication.max-per-second}), many objects queued, the proxy killed with SIGKILL while
 * some are replicated and the rest wait (some claimed by the dead process), started again: every object
 * replicates exactly once (one replica version per key), byte-exact. Prints the recovery time.
 */
class ReplicationRestartIT {
    static ProxyProcess proxy;
    static S3Client s3;
    static String root;

    @BeforeAll
    static void start() {
        proxy = ProxyProcess.startDedicated("replication-restart", 1200, Map.of(
                "SSE_PROXY_REPLICATION_MAX_PER_SECOND", "5",
                "SSE_PROXY_REPLICATION_WORKERS", "2",
                "SSE_PROXY_REPLICATION_CLAIM_LEASE", "3s",
                "SSE_PROXY_REPLICATION_POLL_INTERVAL", "200ms"));
        s3 = Clients.sdk(proxy.endpoint(), ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY);
        root = s3.listBuckets().owner().id();
    }

    @AfterAll
    static void stop() {
        s3.close();
        proxy.stop();
    }

    @Test
    void everyQueuedObjectReplicatesExactlyOnceAfterAKill() {
        String src = ReplicationIT.versioned(s3, "repl-rs-src");
        String dst = ReplicationIT.versioned(s3, "repl-rs-dst");
        ReplicationIT.configure(s3, root, src, ReplicationIT.Rule.to(dst));
        int n = 40;
        byte[][] bodies = new byte[n][];
        for (int i = 0; i < n; i++) {
            bodies[i] = ReplicationIT.text("restart-" + i, 10_000 + i * 997, i);
            byte[] body = bodies[i];
            String key = "k" + i;
            s3.putObject(x -> x.bucket(src).key(key), RequestBody.fromBytes(body));
        }
        ReplicationIT.await("a few replicated before the crash", () -> count(src, "COMPLETED") >= 3);
        long before = count(src, "COMPLETED");
        proxy.kill();
        long pendingAtKill = count(src, "PENDING");
        System.out.printf("ReplicationRestartIT: killed with %d of %d replicated, %d pending (%d claimed)%n", before, n,
                pendingAtKill, Long.parseLong(proxy.sql("SELECT count(*) FROM replication_queue WHERE bucket = '" + src
                        + "' AND state = 'PENDING' AND claimed_by IS NOT NULL")));
        assertTrue(pendingAtKill > 0, "the crash must come mid-queue");
        long restartAt = System.nanoTime();
        proxy.restart();
        long readyAt = System.nanoTime();
        ReplicationIT.await("replicating again after the restart", () -> count(src, "COMPLETED") > before);
        long resumedAt = System.nanoTime();
        ReplicationIT.await("all replicated", () -> count(src, "COMPLETED") == n);
        long doneAt = System.nanoTime();
        System.out.printf("ReplicationRestartIT: restart to ready %d ms, to the first replication after it %d ms, "
                + "to all %d replicated %d ms (workers paced at 5/s)%n", (readyAt - restartAt) / 1_000_000,
                (resumedAt - restartAt) / 1_000_000, n, (doneAt - restartAt) / 1_000_000);
        for (int i = 0; i < n; i++) {
            String key = "k" + i;
            assertArrayEquals(bodies[i], s3.getObjectAsBytes(x -> x.bucket(dst).key(key)).asByteArray(), key);
            assertEquals("REPLICA", ReplicationIT.status(s3, dst, key));
            assertEquals("COMPLETED", ReplicationIT.status(s3, src, key));
            var versions = s3.listObjectVersions(x -> x.bucket(dst).prefix(key));
            assertEquals(1, versions.versions().stream().filter(v -> v.key().equals(key)).count(),
                    key + " replicated exactly once");
        }
        assertEquals("0", proxy.sql("SELECT count(*) FROM replication_queue WHERE bucket = '" + src + "' AND state <> 'COMPLETED'"));
    }

    static long count(String src, String state) {
        return Long.parseLong(proxy.sql("SELECT count(*) FROM replication_queue WHERE bucket = '" + src + "' AND state = '"
                + state + "'"));
    }
}
