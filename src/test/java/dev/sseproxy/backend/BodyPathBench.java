package dev.sseproxy.backend;

import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The measurement behind the body-path decision in the package documentation: process CPU per
 * operation of the hand-written Vert.x path ({@link MinioObjectStore}) and of the MinIO Java
 * client's async API ({@link MinioAsyncClient}), for 4 KiB and 64 MiB PUT/GET bodies and a HEAD,
 * interleaved round by round in one JVM against the same MinIO, one operation at a time.
 *
 * <p>Not a test: run by hand against {@code minio-dev/minio.sh}, e.g.
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.sseproxy.backend.BodyPathBench 5}.
 */
public final class BodyPathBench {
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String endpoint = System.getProperty("endpoint", "http://127.0.0.1:9000");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        MinioObjectStore hand = new MinioObjectStore(vertx,
                new BackendKeepAliveIT.Backend(endpoint, Duration.ofSeconds(15)));
        MinioAsyncClient client = MinioAsyncClient.builder().endpoint(endpoint)
                .credentials("sseproxy-minio", "sseproxy-minio-secret").region("us-east-1").build();
        Context loop = vertx.getOrCreateContext();
        String bucket = "bodypath-bench-" + System.nanoTime();
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build()).get();
        byte[] small = random(4096);
        byte[] large = random(64 << 20);
        hand(loop, () -> hand.exchange(put(bucket, "s", small)));
        hand(loop, () -> hand.exchange(put(bucket, "l", large)));

        record Op(String name, int n, Runnable run) {
        }
        Op[] ops = {
            new Op("hand PUT 4KiB", 400, () -> hand(loop, () -> hand.exchange(put(bucket, "hs", small)))),
            new Op("client PUT 4KiB", 400, () -> join(client.putObject(PutObjectArgs.builder().bucket(bucket)
                    .object("cs").stream(new java.io.ByteArrayInputStream(small), (long) small.length, null).build()))),
            new Op("hand GET 4KiB", 400, () -> hand(loop, () -> hand.exchange(BackendCall.of("GET", bucket, "s")))),
            new Op("client GET 4KiB", 400, () -> drain(join(client.getObject(GetObjectArgs.builder().bucket(bucket).object("s").build())))),
            new Op("hand HEAD", 400, () -> hand(loop, () -> hand.exchange(BackendCall.of("HEAD", bucket, "s")))),
            new Op("client HEAD", 400, () -> join(client.statObject(StatObjectArgs.builder().bucket(bucket).object("s").build()))),
            new Op("hand PUT 64MiB", 4, () -> hand(loop, () -> hand.exchange(put(bucket, "hl", large)))),
            new Op("client PUT 64MiB", 4, () -> join(client.putObject(PutObjectArgs.builder().bucket(bucket)
                    .object("cl").stream(new java.io.ByteArrayInputStream(large), (long) large.length, (long) large.length).build()))),
            new Op("hand GET 64MiB", 4, () -> handStream(loop, hand, bucket, "l")),
            new Op("client GET 64MiB", 4, () -> drain(join(client.getObject(GetObjectArgs.builder().bucket(bucket).object("l").build())))),
        };
        System.out.println("warm-up");
        for (int w = 0; w < 3; w++) {
            for (Op op : ops) {
                for (int i = 0; i < op.n(); i++) {
                    op.run().run();
                }
            }
        }
        for (int r = 1; r <= rounds; r++) {
            StringBuilder line = new StringBuilder("round " + r + ":");
            for (Op op : ops) {
                long cpu0 = OS.getProcessCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < op.n(); i++) {
                    op.run().run();
                }
                double cpuMs = (OS.getProcessCpuTime() - cpu0) / 1e6 / op.n();
                double wallMs = (System.nanoTime() - t0) / 1e6 / op.n();
                line.append(String.format(Locale.ROOT, "%n  %-18s cpu %8.3f ms/op  wall %8.3f ms/op", op.name(), cpuMs, wallMs));
            }
            System.out.println(line);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.exit(0);
    }

    static BackendCall put(String bucket, String key, byte[] body) {
        return BackendCall.of("PUT", bucket, key).withBody(BackendCall.Body.of(Buffer.buffer(body)));
    }

    static <T> T hand(Context loop, Supplier<Uni<T>> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.runOnContext(v -> call.get().subscribe().with(f::complete, f::completeExceptionally));
        return join(f);
    }

    static void handStream(Context loop, MinioObjectStore store, String bucket, String key) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        loop.runOnContext(v -> store.open(BackendCall.of("GET", bucket, key)).subscribe().with(s -> {
            AtomicLong n = new AtomicLong();
            s.body().handler(b -> n.addAndGet(b.length()));
            s.body().endHandler(x -> f.complete(n.get()));
            s.body().exceptionHandler(f::completeExceptionally);
            s.body().resume();
        }, f::completeExceptionally));
        join(f);
    }

    static void drain(InputStream in) {
        try (in) {
            byte[] buf = new byte[64 * 1024];
            while (in.read(buf) >= 0) {
                // discard
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
