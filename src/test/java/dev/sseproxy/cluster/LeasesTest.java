package dev.sseproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.catalog.LeaseRows;
import dev.sseproxy.testing.LocalPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lease protocol against a real PostgreSQL (a database of its own, made fresh): two {@link Leases}
 * objects are two nodes. Expiry is the database's; the waits below only poll until it happened.
 */
class LeasesTest {
    static final String DB = "sseproxy_unit_leases";
    static io.vertx.core.Vertx vertx;
    static Pool pool;

    @BeforeAll
    static void setUp() throws Exception {
        LocalPostgres.recreate(DB);
        vertx = io.vertx.core.Vertx.vertx();
        pool = LocalPostgres.pool(new io.vertx.mutiny.core.Vertx(vertx), DB, 5432, 4);
        LocalPostgres.migrate(pool, "V5__rewrap_jobs.sql", "V16__cluster_leases.sql");
        pool.query("CREATE TABLE work (id int PRIMARY KEY, n int NOT NULL); INSERT INTO work VALUES (1, 0)").execute()
                .await().atMost(Duration.ofSeconds(10));
    }

    @AfterAll
    static void tearDown() {
        pool.close().await().atMost(Duration.ofSeconds(10));
        vertx.close();
    }

    static Leases node(String id, Duration duration) {
        return new Leases(new LeaseRows(pool), vertx, duration, id, new SimpleMeterRegistry());
    }

    static <T> T await(io.smallrye.mutiny.Uni<T> u) {
        return u.await().atMost(Duration.ofSeconds(10));
    }

    /** A write fenced by this lease: how many rows it changed (1: allowed, 0: fenced off). */
    static int fencedWrite(Leases.Lease l) {
        return await(pool.preparedQuery("UPDATE work SET n = n + 1 WHERE id = 1 AND " + Leases.fence(1))
                .execute(Tuple.of(l.name(), l.token()))).rowCount();
    }

    /** Polls until {@code node} acquires {@code name} (the other holder's lease expired in the database). */
    static Leases.Lease acquireWhenFree(Leases node, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Optional<Leases.Lease> l = await(node.tryAcquire(name));
            if (l.isPresent()) {
                return l.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never became free");
    }

    @Test
    void oneHolderAtATimeAndANewTokenAtEveryTakeover() throws Exception {
        Leases a = node("a", Duration.ofMillis(600));
        Leases b = node("b", Duration.ofMillis(600));
        Leases.Lease la = await(a.tryAcquire("exclusive")).orElseThrow();
        assertEquals(Optional.empty(), await(b.tryAcquire("exclusive")), "a live lease is not taken");
        assertEquals(la, await(a.tryAcquire("exclusive")).orElseThrow(), "the holder gets its own lease back");
        assertEquals(1, fencedWrite(la), "the holder's fenced write goes through");

        Leases.Lease lb = acquireWhenFree(b, "exclusive");
        assertEquals(la.token() + 1, lb.token(), "every acquisition increments the token");
        assertEquals("b", lb.holder());
        assertEquals(0, fencedWrite(la), "the old holder's fenced write changes nothing after the takeover");
        assertEquals(1, fencedWrite(lb));
        assertFalse(await(a.renew(la)), "the old holder cannot renew");
        assertTrue(a.held("exclusive").isEmpty(), "and drops it");
        assertTrue(await(b.renew(lb)), "the new holder renews");
    }

    @Test
    void aReleasedLeaseIsFreeAtOnceAndADeletedOneStartsOver() throws Exception {
        Leases a = node("a", Duration.ofSeconds(30));
        Leases b = node("b", Duration.ofSeconds(30));
        Leases.Lease la = await(a.tryAcquire("released")).orElseThrow();
        await(a.release(la));
        assertTrue(a.held("released").isEmpty());
        Leases.Lease lb = await(b.tryAcquire("released")).orElseThrow();
        assertEquals(la.token() + 1, lb.token(), "released, not expired: taken at once with the next token");
        assertEquals(0, fencedWrite(la));
        await(b.delete(lb));
        assertEquals("0", await(pool.query("SELECT count(*) FROM cluster_lease WHERE name = 'released'").execute())
                .iterator().next().getValue(0).toString());
    }

    @Test
    void theHeartbeatKeepsAKeptLeaseAndAStopReleasesIt() throws Exception {
        Leases a = node("a", Duration.ofMillis(900));
        Leases b = node("b", Duration.ofMillis(900));
        a.start();
        try {
            a.keep("kept");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (a.held("kept").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Leases.Lease la = a.held("kept").orElseThrow();
            // three lease durations: without the heartbeat it would have expired three times over
            for (int i = 0; i < 27; i++) {
                assertEquals(Optional.empty(), await(b.tryAcquire("kept")), "renewed by the heartbeat");
                Thread.sleep(100);
            }
            assertEquals(la, a.held("kept").orElseThrow(), "same lease, same token");
            assertEquals(1, fencedWrite(la));
        } finally {
            a.stop(null);
        }
        Leases.Lease lb = await(b.tryAcquire("kept")).orElseThrow(() -> new AssertionError("released on stop"));
        assertEquals("b", lb.holder());
    }

    @Test
    void withoutRenewalsTheHolderGivesTheLeaseUpLocallyBeforeItExpires() throws Exception {
        Leases a = node("a", Duration.ofSeconds(3));
        long sent = System.nanoTime();
        Leases.Lease la = await(a.tryAcquire("local")).orElseThrow();
        if (System.nanoTime() - sent < TimeUnit.MILLISECONDS.toNanos(2000)) {
            assertTrue(a.valid(la));
        }
        Thread.sleep(2500); // the local deadline is 80% of the duration after the request was sent
        assertFalse(a.valid(la), "no step starts after the local deadline");
        assertTrue(a.held("local").isEmpty());
    }

    @Test
    void concurrentAttemptsGiveOneHolder() throws Exception {
        int nodes = 8;
        Leases[] all = new Leases[nodes];
        java.util.List<io.smallrye.mutiny.Uni<Optional<Leases.Lease>>> attempts = new java.util.ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            all[i] = node("n" + i, Duration.ofSeconds(30));
            attempts.add(all[i].tryAcquire("raced"));
        }
        java.util.List<Optional<Leases.Lease>> got = await(io.smallrye.mutiny.Uni.join().all(attempts).andFailFast());
        assertEquals(1, got.stream().filter(Optional::isPresent).count(), got.toString());
    }
}
