package dev.sseproxy.sse;

import dev.sseproxy.catalog.PartTables;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The background sweeps of single writes (PutObject, POST, copies: {@link StoredEnvelopes#sweepInBackground}),
 * gathered: instead of one DELETE per write (a database round trip on every small PUT), the keys
 * written in the last {@link #GATHER_MILLIS} go out in one statement per bucket, each key still
 * with its own write's age, so a gathered sweep removes exactly the rows the write's own sweep
 * would have (rows last put before that write began: {@link PartTables}). Bounded: past
 * {@link #CAPACITY} waiting keys a write sweeps on its own, as before. A sweep lost at shutdown
 * leaves its rows for the next write of the key, like a failed one.
 */
final class BackgroundSweeps {
    private static final Logger LOG = Logger.getLogger(BackgroundSweeps.class);
    static final long GATHER_MILLIS = 100;
    static final int CAPACITY = 10_000;
    /** Keys per statement. */
    static final int CHUNK = 1_000;

    private final PartTables tables;
    private final Vertx vertx;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private record Pending(String bucket, String key, long startNanos) {
    }

    BackgroundSweeps(PartTables tables, Vertx vertx) {
        this.tables = tables;
        this.vertx = vertx;
    }

    /** Queues the sweep of {@code bucket/key} written by a write that began at {@code startNanos}; false when full. */
    boolean offer(String bucket, String key, long startNanos) {
        if (size.incrementAndGet() > CAPACITY) {
            size.decrementAndGet();
            return false;
        }
        queue.add(new Pending(bucket, key, startNanos));
        if (scheduled.compareAndSet(false, true)) {
            vertx.setTimer(GATHER_MILLIS, t -> run());
        }
        return true;
    }

    private void run() {
        scheduled.set(false);
        Map<String, List<Pending>> byBucket = new LinkedHashMap<>();
        Pending p;
        while ((p = queue.poll()) != null) {
            size.decrementAndGet();
            byBucket.computeIfAbsent(p.bucket(), b -> new ArrayList<>()).add(p);
        }
        long now = System.nanoTime();
        byBucket.forEach((bucket, all) -> {
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<Pending> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                String[] keys = new String[chunk.size()];
                double[] ages = new double[chunk.size()];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = chunk.get(i).key();
                    ages[i] = Math.max(0, (now - chunk.get(i).startNanos()) / 1_000_000);
                }
                tables.sweepEach(bucket, keys, ages).subscribe().with(n -> {
                    if (n > 0) {
                        LOG.debugf("swept %d part tables of bucket %s", n, bucket);
                    }
                }, e -> LOG.warnf("cannot sweep part tables of bucket %s: %s", bucket, e.getMessage()));
            }
        });
    }
}
