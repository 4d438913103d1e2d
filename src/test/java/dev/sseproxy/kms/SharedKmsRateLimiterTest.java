package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.cluster.SharedTokenBuckets;
import dev.sseproxy.testing.LocalPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster-wide KMS rate limiter against the real PostgreSQL: two limiters, each with its own
 * connection pool and local settings, stand for two nodes sharing the V15 table (migration applied to a
 * database of this test's own). Also measures a round trip's cost (printed, not asserted).
 */
class SharedKmsRateLimiterTest {
    static final String DATABASE = "sseproxy_unit_shared_ratelimit";
    static Vertx vertx;
    static Pool admin;
    static final List<Pool> pools = new ArrayList<>();

    @BeforeAll
    static void database() throws Exception {
        LocalPostgres.recreate(DATABASE);
        vertx = Vertx.vertx();
        admin = pool();
        LocalPostgres.migrate(admin, "V15__kms_rate_buckets.sql");
    }

    @AfterAll
    static void close() {
        pools.forEach(Pool::closeAndAwait);
        vertx.closeAndAwait();
    }

    @BeforeEach
    void empty() {
        admin.query("DELETE FROM kms_rate_bucket").execute().await().atMost(Duration.ofSeconds(30));
    }

    static Pool pool() {
        return pool(5432);
    }

    static Pool pool(int port) {
        Pool pool = LocalPostgres.pool(vertx, DATABASE, port, 4);
        pools.add(pool);
        return pool;
    }

    record Node(KmsRateLimiter local, SharedKmsRateLimiter shared, SimpleMeterRegistry meters) {
        long acquire(String account) {
            return shared.acquire(account).await().atMost(Duration.ofSeconds(30));
        }

        double count(String name, String tag, String value) {
            var c = meters.find(name).tag(tag, value).counter();
            return c == null ? 0 : c.count();
        }
    }

    static Node node(KmsRateLimiter.Settings s, int leaseSize) {
        return node(s, leaseSize, pool());
    }

    static Node node(KmsRateLimiter.Settings s, int leaseSize, Pool pool) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KmsRateLimiter local = new KmsRateLimiter(s, System::nanoTime, meters);
        return new Node(local, new SharedKmsRateLimiter(local, new dev.sseproxy.catalog.TokenBucketRows(pool),
                new SharedKmsRateLimiter.Options(leaseSize, Duration.ofMillis(500), Duration.ofSeconds(5),
                        Duration.ofSeconds(5)), System::nanoTime, meters), meters);
    }

    static KmsRateLimiter.Settings settings(double globalRate, int globalBurst, double accountRate, int accountBurst,
            long maxWaitMillis) {
        return new KmsRateLimiter.Settings(true, globalRate, globalBurst, accountRate, accountBurst,
                Duration.ofMillis(maxWaitMillis));
    }

    @Test
    void twoNodesLoadedTogetherStayWithinOneRatePlusBurst() throws Exception {
        KmsRateLimiter.Settings s = settings(50, 10, 2500, 2500, 0);
        List<Node> nodes = List.of(node(s, 16), node(s, 16));
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(3);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Node n = nodes.get(t % 2);
            String account = t < 4 ? "111111111111" : null;
            done.add(pool.submit(() -> {
                // 3 s, longer while the machine is too busy for the load to exceed the rate (at most 30 s)
                while (System.nanoTime() < end || refused.get() < 20 && System.nanoTime() < start + 30_000_000_000L) {
                    (n.acquire(account) == KmsRateLimiter.REJECTED ? refused : granted).incrementAndGet();
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("SharedKmsRateLimiterTest two nodes at 50/s, burst 10: %d granted, %d refused in %.2f s "
                + "(bound %.0f); round trips %.0f + %.0f, refused without one %.0f + %.0f%n", granted.get(),
                refused.get(), seconds, 10 + 50 * seconds, nodes.get(0).count("sse.proxy.kms.limiter.shared", "path",
                        "round_trip"), nodes.get(1).count("sse.proxy.kms.limiter.shared", "path", "round_trip"),
                nodes.get(0).count("sse.proxy.kms.limiter.shared", "path", "closed"),
                nodes.get(1).count("sse.proxy.kms.limiter.shared", "path", "closed"));
        assertTrue(granted.get() <= 10 + 50 * seconds, granted + " permits in " + seconds + " s");
        assertTrue(refused.get() > 0);
        for (Node n : nodes) {
            assertTrue(n.count("sse.proxy.kms.limiter.permits", "result", "granted") > 0, "both nodes got permits");
            assertEquals(0, n.count("sse.proxy.kms.limiter.shared", "path", "fallback"));
        }
    }

    @Test
    void manyCallsAtOnceOnOneNodeGetTheTokensThereWithOneRoundTripAtATime() {
        KmsRateLimiter.Settings s = settings(0.01, 10, 2500, 2500, 0);
        Node a = node(s, 16);
        List<java.util.concurrent.CompletableFuture<Long>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(a.shared().acquire(null).subscribeAsCompletionStage());
        }
        long granted = calls.stream().map(java.util.concurrent.CompletableFuture::join)
                .filter(w -> w != KmsRateLimiter.REJECTED).count();
        double trips = a.count("sse.proxy.kms.limiter.shared", "path", "round_trip");
        System.out.printf("SharedKmsRateLimiterTest 50 calls at once, burst 10: %d granted, %.0f round trips%n", granted,
                trips);
        assertEquals(10, granted, "the burst, no more, no less");
        assertTrue(trips <= 5, trips + " round trips");
        assertEquals(KmsRateLimiter.REJECTED, a.acquire(null));
        assertEquals(trips, a.count("sse.proxy.kms.limiter.shared", "path", "round_trip"),
                "refused on the node until a token can be there");
    }

    @Test
    void anAccountsBucketIsSharedAndOtherAccountsKeepTheirs() {
        KmsRateLimiter.Settings s = settings(1000, 1000, 0.01, 2, 0);
        Node a = node(s, 16);
        Node b = node(s, 16);
        assertEquals(0, a.acquire("111111111111"));
        assertEquals(0, b.acquire("111111111111"));
        assertEquals(KmsRateLimiter.REJECTED, b.acquire("111111111111"), "the account's burst of 2 is spent");
        assertEquals(KmsRateLimiter.REJECTED, a.acquire("111111111111"), "on the other node as well");
        assertEquals(0, a.acquire("222222222222"));
        assertEquals(0, b.acquire(null), "the proxy's own calls take the global bucket only");
    }

    @Test
    void aShortWaitIsReservedAheadAsTheLocalBucketDoes() {
        KmsRateLimiter.Settings s = settings(1, 1, 2500, 2500, 3000);
        Node a = node(s, 16);
        Node b = node(s, 16);
        assertEquals(0, a.acquire(null));
        long wait = b.acquire(null);
        assertTrue(wait > 0 && wait <= 1_000_000_000L, "reserved ahead by at most 1 s: " + wait);
        long third = a.acquire(null);
        assertTrue(third > wait && third <= 2_000_000_000L, "behind the second, at most 2 s: " + third);
        assertEquals(1, b.count("sse.proxy.kms.limiter.permits", "result", "waited"));
    }

    @Test
    void generousLimitsAreServedFromLeasesWithFewRoundTrips() {
        KmsRateLimiter.Settings s = settings(5000, 5000, 2500, 2500, 5);
        int calls = 2000;
        Node exact = node(s, 1);
        for (int i = 0; i < 200; i++) { // warm-up: JIT, connections
            exact.acquire("111111111111");
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            assertEquals(0, exact.acquire("111111111111"));
        }
        double exactMicros = (System.nanoTime() - t0) / 1e3 / calls;
        Node leasing = node(s, 16);
        for (int i = 0; i < 200; i++) {
            leasing.acquire("222222222222");
        }
        double trips0 = leasing.count("sse.proxy.kms.limiter.shared", "path", "round_trip");
        t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            assertEquals(0, leasing.acquire("222222222222"));
        }
        double leaseMicros = (System.nanoTime() - t0) / 1e3 / calls;
        double trips = leasing.count("sse.proxy.kms.limiter.shared", "path", "round_trip") - trips0;
        System.out.printf("SharedKmsRateLimiterTest cost per permit, sequential: one round trip each (lease-size 1) "
                + "%.0f µs; lease-size 16: %.1f µs, %.3f round trips per permit%n", exactMicros, leaseMicros,
                trips / calls);
        assertTrue(trips <= calls / 8.0, trips + " round trips for " + calls + " permits");
    }

    @Test
    void aDatabaseThatDoesNotAnswerLeavesTheDecisionToTheLocalBuckets() {
        KmsRateLimiter.Settings s = settings(0.01, 3, 2500, 2500, 0);
        Node down = node(s, 16, pool(1)); // nothing listens on port 1
        assertEquals(0, down.acquire(null));
        assertEquals(0, down.acquire(null));
        assertEquals(0, down.acquire(null));
        assertEquals(KmsRateLimiter.REJECTED, down.acquire(null), "the local burst of 3 is spent");
        assertEquals(4, down.count("sse.proxy.kms.limiter.shared", "path", "fallback"));
        assertEquals(1, down.count("sse.proxy.kms.limiter.shared", "path", "round_trip"),
                "after one failure the database is left alone for fallback-for");
        assertEquals(1, down.count("sse.proxy.kms.limiter.permits", "result", "rejected"));
    }

    @Test
    void idleFullAccountRowsAreDroppedWhenNewOnesAreMade() {
        KmsRateLimiter.Settings s = settings(5000, 5000, 10, 10, 0);
        Node a = node(s, 1);
        for (int i = 0; i < 150; i++) {
            a.acquire(String.format("%012d", i));
        }
        assertEquals("151", sql("SELECT count(*) FROM kms_rate_bucket"));
        sql("UPDATE kms_rate_bucket SET updated_at = updated_at - interval '11 minutes' WHERE name LIKE 'account:%'");
        a.acquire("999999999999");
        assertEquals("52", sql("SELECT count(*) FROM kms_rate_bucket"), "100 idle full rows dropped, one made");
        a.acquire("999999999998");
        assertEquals("3", sql("SELECT count(*) FROM kms_rate_bucket"));
    }

    static String sql(String statement) {
        var rows = admin.query(statement).execute().await().atMost(Duration.ofSeconds(30));
        return rows.iterator().hasNext() ? String.valueOf(rows.iterator().next().getValue(0)) : "";
    }
}
