package dev.sseproxy.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.testing.LocalPostgres;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replication queue against the real PostgreSQL (V27 applied to a database of this test's own): two
 * queues with their own pools stand for two nodes.
 */
class ReplicationQueueTest {
    static final String DATABASE = "sseproxy_unit_replication_queue";
    static final Duration T = Duration.ofSeconds(30);
    static Vertx vertx;
    static Pool admin;
    static Pool poolA;
    static Pool poolB;

    @BeforeAll
    static void database() throws Exception {
        LocalPostgres.recreate(DATABASE);
        vertx = Vertx.vertx();
        admin = pool();
        poolA = pool();
        poolB = pool();
        LocalPostgres.migrate(admin, "V27__replication_queue.sql");
    }

    @AfterAll
    static void close() {
        admin.closeAndAwait();
        poolA.closeAndAwait();
        poolB.closeAndAwait();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void empty() {
        admin.query("DELETE FROM replication_queue").execute().await().atMost(T);
    }

    static Pool pool() {
        return LocalPostgres.pool(vertx, DATABASE, 5432, 4);
    }

    static ReplicationQueue.Entry entry(String key, String version, String dest) {
        return new ReplicationQueue.Entry("src", key, version, ReplicationQueue.OBJECT, "r", dest, null, null);
    }

    @Test
    void twoNodesNeverClaimTheSameRow() throws Exception {
        ReplicationQueue a = new ReplicationQueue(poolA);
        ReplicationQueue b = new ReplicationQueue(poolB);
        List<ReplicationQueue.Entry> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(entry("k" + i, "v" + i, "d"));
        }
        a.enqueue(rows).await().atMost(T);
        Set<Long> seen = new HashSet<>();
        int total = 0;
        for (int round = 0; round < 50 && total < 200; round++) {
            CompletableFuture<List<ReplicationQueue.Item>> fa = a.claim("A", 7, Duration.ofMinutes(1)).subscribeAsCompletionStage();
            CompletableFuture<List<ReplicationQueue.Item>> fb = b.claim("B", 7, Duration.ofMinutes(1)).subscribeAsCompletionStage();
            for (ReplicationQueue.Item it : fa.get()) {
                assertTrue(seen.add(it.id()), "row " + it.id() + " claimed twice");
                total++;
            }
            for (ReplicationQueue.Item it : fb.get()) {
                assertTrue(seen.add(it.id()), "row " + it.id() + " claimed twice");
                total++;
            }
        }
        assertEquals(200, total);
        assertEquals(List.of(), a.claim("A", 10, Duration.ofMinutes(1)).await().atMost(T));
    }

    @Test
    void anExpiredClaimIsTakenAgainAndTheOldHolderCannotSettleIt() {
        ReplicationQueue q = new ReplicationQueue(poolA);
        q.enqueue(List.of(entry("k", "v", "d"))).await().atMost(T);
        ReplicationQueue.Item first = q.claim("dead", 1, Duration.ofMillis(1)).await().atMost(T).get(0);
        admin.query("SELECT pg_sleep(0.05)").execute().await().atMost(T);
        ReplicationQueue.Item again = q.claim("alive", 1, Duration.ofMinutes(1)).await().atMost(T).get(0);
        assertEquals(first.id(), again.id());
        assertFalse(q.completed(first.id(), "dead", 1).await().atMost(T));
        assertEquals(List.of("PENDING"), q.states("src", "k", "v").await().atMost(T));
        assertTrue(q.completed(first.id(), "alive", 1).await().atMost(T));
        assertEquals(List.of("COMPLETED"), q.states("src", "k", "v").await().atMost(T));
    }

    @Test
    void aRetriedRowWaitsItsBackOffAndAFailedOneIsDone() {
        ReplicationQueue q = new ReplicationQueue(poolA);
        q.enqueue(List.of(entry("k", "v", "d1"), entry("k", "v", "d2"))).await().atMost(T);
        List<ReplicationQueue.Item> both = q.claim("n", 5, Duration.ofMinutes(1)).await().atMost(T);
        assertEquals(2, both.size());
        assertTrue(q.retry(both.get(0).id(), "n", Duration.ofHours(1), "boom").await().atMost(T));
        assertTrue(q.failed(both.get(1).id(), "n", "AccessDenied").await().atMost(T));
        assertEquals(List.of(), q.claim("n", 5, Duration.ofMinutes(1)).await().atMost(T), "not due yet / done");
        List<String> states = new ArrayList<>(q.states("src", "k", "v").await().atMost(T));
        states.sort(null);
        assertEquals(List.of("FAILED", "PENDING"), states);
        assertEquals(1L, q.pending().await().atMost(T));
        admin.query("UPDATE replication_queue SET next_attempt_at = now()").execute().await().atMost(T);
        ReplicationQueue.Item retried = q.claim("n", 5, Duration.ofMinutes(1)).await().atMost(T).get(0);
        assertEquals(1, retried.attempts());
    }
}
