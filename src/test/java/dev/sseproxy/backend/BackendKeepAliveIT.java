package dev.sseproxy.backend;

import dev.sseproxy.config.BackendConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The stale keep-alive race toward a real MinIO (see the package documentation): MinIO closes a
 * keep-alive connection idle longer than its idle timeout; a request the proxy sends on such a
 * connection before its event loop has read MinIO's FIN fails with "Connection was closed".
 *
 * <p>The race is forced, not waited for: this test runs a MinIO of its own with a 5 s idle
 * timeout ({@code MINIO_IDLE_TIMEOUT}; the default is 30 s), opens pooled connections from one
 * event loop, then keeps that loop busy (a blocking sleep, as a loaded machine does) past MinIO's
 * idle timeout and sends requests in the same turn of the loop: each goes out on a connection
 * MinIO has closed. On the starting code every one of them failed; now they are sent again on a
 * fresh connection, and a keep-alive timeout below MinIO's retires idle connections before MinIO
 * closes them, so none is stale.
 *
 * <p>Runs under failsafe (needs {@code minio-dev/minio.sh}), in about 30 s.
 */
@EnabledIfSystemProperty(named = "proxy.jar", matches = ".+", disabledReason = "end to end: runs under failsafe")
class BackendKeepAliveIT {
    /** MinIO's idle timeout here: short, so the test waits seconds rather than half a minute. */
    static final Duration MINIO_IDLE = Duration.ofSeconds(5);
    /** Longer than MinIO's idle timeout (plus its 250 ms deadline slack and a loaded machine's). */
    static final Duration PAST_MINIO_IDLE = MINIO_IDLE.plusMillis(1500);
    static final int CONNECTIONS = 4;

    static Path dir;
    static int port;
    static int consolePort;
    static Vertx vertx;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("sse-proxy-keepalive-minio");
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = a.getLocalPort();
            consolePort = b.getLocalPort();
        }
        minio("start");
        // the test blocks an event loop on purpose: no blocked-thread warnings for that
        vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(TimeUnit.SECONDS.toNanos(30)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (dir != null) {
            minio("stop");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Test
    void requestsOnConnectionsMinioClosedWhileTheLoopWasBusyAreSentAgainOnFreshConnections() throws Exception {
        // a client keep-alive above MinIO's idle timeout, as Vert.x's default 60 s was above MinIO's 30 s
        MinioObjectStore store = store(Duration.ofSeconds(60));
        String bucket = bucket(store);
        Context loop = vertx.getOrCreateContext();
        byte[] replaced = random(300_000, 2);
        openConnections(store, loop, bucket);

        List<Object> outcomes = onLoop(loop, () -> {
            sleep(PAST_MINIO_IDLE);
            return all(List.of(
                    store.exchange(BackendCall.of("HEAD", bucket, "k0")),
                    store.exchange(BackendCall.of("GET", bucket, "k1")),
                    store.exchange(BackendCall.of("PUT", bucket, "k2").withBody(BackendCall.Body.of(Buffer.buffer(replaced)))),
                    store.exchange(BackendCall.of("DELETE", bucket, "k3"))));
        });

        assertEquals(List.of(), failures(outcomes), "requests that failed");
        assertEquals(CONNECTIONS, store.retriedOnFreshConnection(),
                "each request went out on a connection MinIO had closed, and was sent again");
        assertArrayEquals(random(1000, 1), ((BackendReply) outcomes.get(1)).body().getBytes());
        BackendReply k2 = onLoop(loop, () -> future(store.exchange(BackendCall.of("GET", bucket, "k2"))));
        assertArrayEquals(replaced, k2.body().getBytes(), "the PUT sent again stored its whole body");
        Object k3 = onLoop(loop, () -> outcome(store.exchange(BackendCall.of("HEAD", bucket, "k3"))));
        assertEquals(404, assertInstanceOf(BackendException.Rejected.class, k3).status());
    }

    @Test
    void aKeepAliveTimeoutBelowMinioIdleTimeoutRetiresConnectionsBeforeMinioClosesThem() throws Exception {
        // the production setting's shape: 15 s against MinIO's 30 s; here 1 s against 5 s
        MinioObjectStore store = store(Duration.ofSeconds(1));
        String bucket = bucket(store);
        Context loop = vertx.getOrCreateContext();
        openConnections(store, loop, bucket);
        // the loop is free: the client closes its connections idle for 1 s (its pool is checked every
        // second), while MinIO would keep them for 5 s
        sleep(MINIO_IDLE.minusMillis(1500));

        List<Object> outcomes = onLoop(loop, () -> {
            sleep(Duration.ofMillis(3000)); // now past MinIO's idle timeout, as in the test above
            List<Uni<BackendReply>> heads = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                heads.add(store.exchange(BackendCall.of("HEAD", bucket, "k" + i)));
            }
            return all(heads);
        });

        assertEquals(List.of(), failures(outcomes), "requests that failed");
        assertEquals(0, store.retriedOnFreshConnection(), "no request met a connection MinIO had closed");
    }

    @Test
    void aStreamedPutOnAConnectionMinioClosedIsNotRetriedFailsAsUnavailableAndLeavesNoObject() throws Exception {
        MinioObjectStore store = store(Duration.ofSeconds(60));
        String bucket = bucket(store);
        Context loop = vertx.getOrCreateContext();
        byte[] body = random(1 << 20, 3);
        Path file = dir.resolve("streamed-body");
        Files.write(file, body);
        openConnections(store, loop, bucket);

        Object outcome = onLoop(loop, () -> {
            sleep(PAST_MINIO_IDLE);
            AsyncFile stream = vertx.fileSystem().openBlocking(file.toString(), new OpenOptions().setRead(true));
            return outcome(store.exchange(BackendCall.of("PUT", bucket, "streamed")
                    .withBody(BackendCall.Body.of(stream, body.length))));
        });

        BackendException.Unavailable u = assertInstanceOf(BackendException.Unavailable.class, outcome,
                "a connection failure is Unavailable (503 ServiceUnavailable), whatever the body");
        assertTrue(u.getCause() != null, u.toString());
        assertEquals(0, store.retriedOnFreshConnection(), "a streamed body is not sent twice");
        Object head = onLoop(loop, () -> outcome(store.exchange(BackendCall.of("HEAD", bucket, "streamed"))));
        assertEquals(404, assertInstanceOf(BackendException.Rejected.class, head).status(), "no partial object");
    }

    /**
     * A HEAD's answer (every HeadObject, and the first request of every ranged GET) and an empty
     * body have nothing left to read: discarding them must leave the connection in the pool. The
     * starting code closed it, so each such request cost a new connection (found by issue 14's
     * measurements: TIME_WAIT toward MinIO grew with every HEAD through the proxy).
     */
    @Test
    void aDiscardedHeadOrEmptyAnswerLeavesItsConnectionInThePool() throws Exception {
        MinioObjectStore store = store(Duration.ofSeconds(60));
        String bucket = bucket(store);
        Context loop = vertx.getOrCreateContext();
        onLoop(loop, () -> future(store.exchange(BackendCall.of("PUT", bucket, "empty")
                .withBody(BackendCall.Body.of(Buffer.buffer())))));
        long opened = store.connectionsOpened();
        for (int i = 0; i < 10; i++) {
            BackendCall call = i % 2 == 0 ? BackendCall.of("HEAD", bucket, "k0") : BackendCall.of("GET", bucket, "empty");
            BackendStream s = onLoop(loop, () -> future(store.open(call)));
            assertEquals(200, s.status());
            onLoop(loop, () -> {
                s.discard();
                return Future.succeededFuture();
            });
        }
        // one more connection at most (the pool may not have taken the first one back yet)
        assertTrue(store.connectionsOpened() - opened <= 1,
                "connections opened for 10 discarded bodiless answers: " + (store.connectionsOpened() - opened));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    record Backend(String endpoint, Duration keepAliveTimeout) implements BackendConfig {
        @Override
        public String accessKey() {
            return "sseproxy-minio";
        }

        @Override
        public String secretKey() {
            return "sseproxy-minio-secret";
        }

        @Override
        public String region() {
            return "us-east-1";
        }

        @Override
        public int maxConnections() {
            return 16;
        }

        @Override
        public Duration timeout() {
            return Duration.ofSeconds(20);
        }
    }

    static MinioObjectStore store(Duration keepAlive) {
        return new MinioObjectStore(vertx, new Backend("http://127.0.0.1:" + port, keepAlive));
    }

    /** A new bucket with objects k0..k(n-1) of 1000 bytes. */
    static String bucket(MinioObjectStore store) throws Exception {
        String bucket = "keepalive-" + UUID.randomUUID().toString().substring(0, 8);
        Context ctx = vertx.getOrCreateContext();
        onLoop(ctx, () -> future(store.exchange(BackendCall.of("PUT", bucket, null))));
        for (int i = 0; i < CONNECTIONS; i++) {
            String key = "k" + i;
            onLoop(ctx, () -> future(store.exchange(BackendCall.of("PUT", bucket, key)
                    .withBody(BackendCall.Body.of(Buffer.buffer(random(1000, 1)))))));
        }
        return bucket;
    }

    /** {@link #CONNECTIONS} requests at once from {@code loop}: as many idle pooled connections after. */
    static void openConnections(MinioObjectStore store, Context loop, String bucket) throws Exception {
        List<Object> warm = onLoop(loop, () -> {
            List<Uni<BackendReply>> heads = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                heads.add(store.exchange(BackendCall.of("HEAD", bucket, "k" + i)));
            }
            return all(heads);
        });
        warm.forEach(o -> assertInstanceOf(BackendReply.class, o, () -> "warm-up failed: " + o));
        assertEquals(0, store.retriedOnFreshConnection());
    }

    /** Runs {@code task} on {@code ctx}'s event loop and waits for the future it returns. */
    static <T> T onLoop(Context ctx, Supplier<Future<T>> task) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            try {
                task.get().onSuccess(done::complete).onFailure(done::completeExceptionally);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    static <T> Future<T> future(Uni<T> uni) {
        return Future.fromCompletionStage(uni.subscribeAsCompletionStage());
    }

    /** The reply, or the failure, of {@code uni}. */
    static Future<Object> outcome(Uni<?> uni) {
        return future(uni).map(r -> (Object) r).otherwise(t -> t);
    }

    /** Subscribes to all of {@code unis} (in this turn of the loop) and collects their outcomes. */
    static Future<List<Object>> all(List<? extends Uni<?>> unis) {
        List<Future<Object>> outcomes = unis.stream().map(BackendKeepAliveIT::outcome).toList();
        return Future.all(outcomes).map(cf -> cf.list());
    }

    static List<Object> failures(List<Object> outcomes) {
        return outcomes.stream().filter(o -> !(o instanceof BackendReply)).toList();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void minio(String command) throws IOException {
        Path root = Path.of(System.getProperty("project.root", "."));
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("minio-dev/minio.sh").toString(), command)
                .inheritIO();
        pb.environment().put("SSE_PROXY_MINIO_PORT", Integer.toString(port));
        pb.environment().put("SSE_PROXY_MINIO_CONSOLE_PORT", Integer.toString(consolePort));
        pb.environment().put("SSE_PROXY_MINIO_RUN_DIR", dir.toString());
        pb.environment().put("SSE_PROXY_MINIO_DATA", dir.resolve("data").toString());
        pb.environment().put("MINIO_ROOT_USER", "sseproxy-minio");
        pb.environment().put("MINIO_ROOT_PASSWORD", "sseproxy-minio-secret");
        pb.environment().put("MINIO_IDLE_TIMEOUT", MINIO_IDLE.toSeconds() + "s");
        Process p = pb.start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("minio.sh " + command + " on port " + port + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
