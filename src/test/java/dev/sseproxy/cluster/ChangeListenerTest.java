package dev.sseproxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.testing.LocalPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener against the real PostgreSQL (database {@code postgres}, where no proxy notifies). */
class ChangeListenerTest {
    static {
        LocalPostgres.ensure();
    }

    static final PgConnectOptions DB = ChangeFeed.connectOptions("postgresql://127.0.0.1:5432/postgres",
            java.util.Optional.of("sseproxy"), java.util.Optional.of("sseproxy"));
    final Vertx vertx = Vertx.vertx();
    final BlockingQueue<Change> received = new LinkedBlockingQueue<>();
    final AtomicInteger connects = new AtomicInteger();
    final ChangeListener listener = new ChangeListener(vertx, DB, received::add, connects::incrementAndGet);

    @AfterEach
    void close() {
        listener.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void backoffDoublesFrom100MillisTo5Seconds() {
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L),
                java.util.stream.IntStream.range(0, 8).mapToObj(i -> ChangeListener.backoff(i).toMillis()).toList());
        assertEquals(5000L, ChangeListener.backoff(Integer.MAX_VALUE).toMillis());
    }

    @Test
    void committedChangesArriveRolledBackOnesDoNot() throws Exception {
        listening();
        PgConnection writer = await(PgConnection.connect(vertx, DB));
        try {
            await(writer.query("BEGIN").execute());
            await(writer.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(Change.CHANNEL, "bucket:rolled-back")));
            await(writer.query("ROLLBACK").execute());
            await(writer.query("BEGIN").execute());
            await(writer.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(Change.CHANNEL, "bucket:b1")));
            await(writer.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(Change.CHANNEL, "bogus")));
            await(writer.query("COMMIT").execute());
        } finally {
            writer.close();
        }
        assertEquals(new Change(Change.Kind.BUCKET, "b1"), received.poll(5, TimeUnit.SECONDS));
        assertEquals(Change.Kind.UNKNOWN, received.poll(5, TimeUnit.SECONDS).kind());
        assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void aFloodOfNotificationsIsHandledAsItIsReadNoneLost() throws Exception {
        listening();
        int n = 20_000;
        PgConnection writer = await(PgConnection.connect(vertx, DB));
        long t0 = System.nanoTime();
        try {
            await(writer.preparedQuery("SELECT pg_notify($1, 'bucket:b' || g) FROM generate_series(1, $2) g")
                    .execute(Tuple.of(Change.CHANNEL, n)));
        } finally {
            writer.close();
        }
        waitUntil(() -> received.size() == n, Duration.ofSeconds(60));
        System.out.printf("change feed flood: %d notifications read in %d ms%n", n, (System.nanoTime() - t0) / 1_000_000);
        assertEquals(new Change(Change.Kind.BUCKET, "b1"), received.peek());
    }

    @Test
    void aTerminatedConnectionIsReopenedAndReportedAsANewConnection() throws Exception {
        listening();
        PgConnection admin = await(PgConnection.connect(vertx, DB));
        try {
            int terminated = await(admin.preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = $1 AND datname = 'postgres'").execute(Tuple.of(ChangeListener.APPLICATION_NAME)))
                    .size();
            assertTrue(terminated >= 1);
            waitUntil(() -> connects.get() == 2, Duration.ofSeconds(10));
            assertTrue(listener.connected());
            await(admin.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(Change.CHANNEL, "access-key:AK1")));
        } finally {
            admin.close();
        }
        assertEquals(new Change(Change.Kind.ACCESS_KEY, "AK1"), received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void anUnreachableDatabaseLeavesTheListenerDisconnected() throws Exception {
        PgConnectOptions wrongPort = new PgConnectOptions(DB).setPort(1);
        ChangeListener unreachable = new ChangeListener(vertx, wrongPort, received::add, connects::incrementAndGet);
        unreachable.start();
        Thread.sleep(400);
        assertEquals(0, connects.get());
        assertTrue(!unreachable.connected());
        unreachable.stop();
    }

    private void listening() throws InterruptedException {
        listener.start();
        waitUntil(() -> connects.get() == 1 && listener.connected(), Duration.ofSeconds(10));
    }

    private static void waitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit);
            }
            Thread.sleep(10);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        return f.toCompletionStage().toCompletableFuture().join();
    }
}
