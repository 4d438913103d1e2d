package dev.sseproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The audit trail under load and across stops (issue 6): 100,000 PUTs make exactly as many
 * PutObject events with a bounded queue and nothing dropped; a graceful stop mid-load loses no event
 * of a request that succeeded; after kill -9 the events lost are only those of requests that
 * finished within the last flush interval. A dedicated proxy with a small queue (1,000) so the
 * bound is exercised, and the default flush interval (1 s).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditDurabilityIT {
    static final int PORT_OFFSET = 400;
    static final int CAPACITY = 1000;
    static final long FLUSH_INTERVAL_MS = 1000;
    static final int PUTS = Integer.getInteger("it.audit.puts", 100_000);
    static ProxyProcess proxy;

    @BeforeAll
    static void start() {
        proxy = ProxyProcess.startDedicated("audit", PORT_OFFSET, Map.of(
                "SSE_PROXY_AUDIT_QUEUE_CAPACITY", Integer.toString(CAPACITY),
                "SSE_PROXY_AUDIT_FLUSH_INTERVAL", FLUSH_INTERVAL_MS + "ms"));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.stop();
        }
    }

    static S3AsyncClient client(int concurrency) {
        return S3AsyncClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ProxyProcess.ROOT_ACCESS_KEY, ProxyProcess.ROOT_SECRET_KEY)))
                .forcePathStyle(true)
                .httpClient(NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency)
                        .connectionAcquisitionTimeout(Duration.ofSeconds(60)).build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    /** PutObject events without an error, per key, for one bucket. */
    static Set<String> putEventKeys(String bucket) {
        String out = proxy.sql("SELECT (record::json -> 'requestParameters' ->> 'key') FROM audit_event "
                + "WHERE event_name = 'PutObject' AND resource_names @> ARRAY['" + bucket + "'] "
                + "AND (record::json ->> 'errorCode') IS NULL");
        return out.isEmpty() ? Set.of() : new HashSet<>(List.of(out.split("\n")));
    }

    static long putEventCount(String bucket) {
        return Long.parseLong(proxy.sql("SELECT count(*) FROM audit_event WHERE event_name = 'PutObject' "
                + "AND resource_names @> ARRAY['" + bucket + "'] AND (record::json ->> 'errorCode') IS NULL"));
    }

    @Test
    @Order(1)
    void aHundredThousandPutsMakeExactlyAsManyPutObjectEventsWithABoundedQueue() throws Exception {
        String bucket = Clients.bucketName("audit-load");
        AtomicInteger ok = new AtomicInteger();
        Map<String, String> failures = new ConcurrentHashMap<>();
        AtomicInteger maxDepth = new AtomicInteger();
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (loading.get()) {
                maxDepth.accumulateAndGet((int) proxy.metric("sse_proxy_audit_queue_depth"), Math::max);
                ProxyProcess.sleep(200);
            }
        });
        long t0;
        try (S3AsyncClient s3 = client(64)) {
            s3.createBucket(b -> b.bucket(bucket)).join();
            sampler.start();
            Semaphore window = new Semaphore(48);
            t0 = System.nanoTime();
            for (int i = 0; i < PUTS; i++) {
                window.acquire();
                String key = "k/" + i;
                s3.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromString("audit " + i))
                        .whenComplete((r, e) -> {
                            if (e == null) {
                                ok.incrementAndGet();
                            } else {
                                failures.put(key, e.toString());
                            }
                            window.release();
                        });
            }
            window.acquire(48);
        } finally {
            loading.set(false);
            sampler.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // every event is written within a flush interval or so of its request; wait until the count settles
        long count = 0;
        for (int i = 0; i < 100 && (count = putEventCount(bucket)) < ok.get(); i++) {
            ProxyProcess.sleep(200);
        }
        ProxyProcess.sleep(2 * FLUSH_INTERVAL_MS);
        count = putEventCount(bucket);
        double dropped = proxy.metric("sse_proxy_audit_events_dropped_total");
        double refused = proxy.metric("sse_proxy_audit_admission_rejected_total");
        System.out.printf("AuditDurabilityIT load: %d PUTs in %.1f s (%.0f/s): %d succeeded, %d failed; %d PutObject "
                + "events; queue depth at most %d of %d (sampled every 200 ms); %.0f dropped, %.0f refused for a full "
                + "queue%n", PUTS, seconds, PUTS / seconds, ok.get(), failures.size(), count, maxDepth.get(), CAPACITY,
                dropped, refused);
        assertTrue(failures.isEmpty(), () -> failures.size() + " PUTs failed, e.g. " + failures.entrySet().iterator().next());
        assertEquals(ok.get(), count, "one PutObject event per successful PUT");
        // S3 events hold a place in the queue from admission to their write; KMS events (here: one
        // bucket key) come on top
        assertTrue(maxDepth.get() <= CAPACITY + 10, "queue depth " + maxDepth.get());
        assertEquals(0.0, dropped, "no event dropped");
    }

    /**
     * A steady load of PUTs in the background (8 at a time: the machine keeps some CPU for the
     * writer, as a production proxy would), recording when each success was seen.
     */
    static final class Load implements AutoCloseable {
        static final int IN_FLIGHT = 8;
        final Map<String, Long> succeeded = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong sent = new AtomicLong();
        final S3AsyncClient s3 = client(32);
        final Thread thread;

        Load(String bucket) {
            s3.createBucket(b -> b.bucket(bucket)).join();
            thread = new Thread(() -> {
                Semaphore window = new Semaphore(IN_FLIGHT);
                while (running.get()) {
                    try {
                        window.acquire();
                    } catch (InterruptedException e) {
                        return;
                    }
                    String key = "g/" + sent.getAndIncrement();
                    CompletableFuture<?> f = s3.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromString(key));
                    f.whenComplete((r, e) -> {
                        if (e == null) {
                            succeeded.put(key, System.nanoTime());
                        } else {
                            failed.incrementAndGet();
                        }
                        window.release();
                    });
                }
                window.acquireUninterruptibly(IN_FLIGHT);
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(60_000);
            s3.close();
        }
    }

    @Test
    @Order(2)
    void aGracefulStopMidLoadLosesNoEventOfASuccessfulRequest() throws Exception {
        String bucket = Clients.bucketName("audit-term");
        Load load = new Load(bucket);
        ProxyProcess.sleep(4000);
        long t = System.nanoTime();
        proxy.stop(); // SIGTERM: requests in flight finish, then the queue is written
        double stopSeconds = (System.nanoTime() - t) / 1e9;
        load.close();
        proxy.restart();
        Set<String> events = putEventKeys(bucket);
        Set<String> missing = new HashSet<>(load.succeeded.keySet());
        missing.removeAll(events);
        System.out.printf("AuditDurabilityIT SIGTERM: %d PUTs sent, %d succeeded, %d failed (refused while stopping or "
                + "after); stop took %.1f s; %d PutObject events; %d successes without an event%n", load.sent.get(),
                load.succeeded.size(), load.failed.get(), stopSeconds, events.size(), missing.size());
        assertTrue(load.succeeded.size() > 100, "the load ran: " + load.succeeded.size());
        assertTrue(missing.isEmpty(), () -> missing.size() + " successful PUTs have no event, e.g. " + missing.iterator().next());
    }

    @Test
    @Order(3)
    void afterKillDashNineOnlyEventsOfTheLastFlushIntervalAreLost() throws Exception {
        String bucket = Clients.bucketName("audit-kill");
        Load load = new Load(bucket);
        ProxyProcess.sleep(4000); // the proxy was just restarted: the first seconds warm it up
        double writes0 = proxy.metric("sse_proxy_audit_batch_seconds_count");
        double events0 = proxy.metric("sse_proxy_audit_events_written_total");
        long t0 = System.nanoTime();
        ProxyProcess.sleep(4000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double writesPerSecond = (proxy.metric("sse_proxy_audit_batch_seconds_count") - writes0) / seconds;
        double eventsPerSecond = (proxy.metric("sse_proxy_audit_events_written_total") - events0) / seconds;
        String batches = String.format("batch writes p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                1000 * proxy.metric("sse_proxy_audit_batch_seconds", "quantile=\"0.5\""),
                1000 * proxy.metric("sse_proxy_audit_batch_seconds", "quantile=\"0.99\""),
                1000 * proxy.metric("sse_proxy_audit_batch_seconds_max"));
        long killedAt = System.nanoTime();
        proxy.kill();
        load.close();
        proxy.restart();
        Set<String> events = putEventKeys(bucket);
        long lost = 0;
        long oldestLostMs = 0;
        for (Map.Entry<String, Long> s : load.succeeded.entrySet()) {
            if (!events.contains(s.getKey())) {
                lost++;
                oldestLostMs = Math.max(oldestLostMs, (killedAt - s.getValue()) / 1_000_000);
            }
        }
        System.out.printf("AuditDurabilityIT kill -9: %d PUTs succeeded before the kill, %d events survived, %d lost; "
                + "the oldest lost event's request finished %d ms before the kill (flush interval %d ms); %s; "
                + "under the load %.0f events and %.1f batch writes a second%n",
                load.succeeded.size(), events.size(), lost, oldestLostMs, FLUSH_INTERVAL_MS, batches, eventsPerSecond,
                writesPerSecond);
        assertTrue(load.succeeded.size() > 100, "the load ran: " + load.succeeded.size());
        // group commit under a steady load: a batch that is not full waits for the linger (a tenth of
        // the flush interval, 50 ms at most) after the previous write, so at most about 20 writes a
        // second, not one small batch per round trip (PostgreSQL pays per statement: audit package)
        assertTrue(eventsPerSecond > 50 && eventsPerSecond < 10 * 500, "a steady load below full batches: " + eventsPerSecond);
        assertTrue(writesPerSecond <= 25, writesPerSecond + " batch writes a second for " + eventsPerSecond + " events");
        assertTrue(oldestLostMs <= FLUSH_INTERVAL_MS, "an event of a request that finished " + oldestLostMs
                + " ms before the kill was lost; the flush interval is " + FLUSH_INTERVAL_MS + " ms");
    }
}
