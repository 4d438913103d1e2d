package dev.sseproxy.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's metrics (Prometheus names): {@code sse_proxy_replication_queued_total},
 * {@code _completed_total}, {@code _failed_total}, {@code _retried_total}, {@code _bytes_total},
 * {@code sse_proxy_replication_pending} (rows not settled, as last counted by this node) and
 * {@code sse_proxy_replication_lag_seconds} (from the write's acknowledgement to the replica, a summary with
 * p50 / p99).
 */
@ApplicationScoped
public class ReplicationMetrics {
    private final Counter queued;
    private final Counter completed;
    private final Counter failed;
    private final Counter retried;
    private final Counter bytes;
    private final Timer lag;
    private final AtomicLong pending = new AtomicLong();

    public ReplicationMetrics(MeterRegistry meters) {
        this.queued = Counter.builder("sse.proxy.replication.queued")
                .description("replications queued (one per object version or delete marker and destination)").register(meters);
        this.completed = Counter.builder("sse.proxy.replication.completed").description("replications completed")
                .register(meters);
        this.failed = Counter.builder("sse.proxy.replication.failed")
                .description("replications that gave up (status FAILED)").register(meters);
        this.retried = Counter.builder("sse.proxy.replication.retried")
                .description("replication attempts that failed and will be retried").register(meters);
        this.bytes = Counter.builder("sse.proxy.replication.bytes").baseUnit("bytes")
                .description("plaintext bytes written to replicas").register(meters);
        this.lag = Timer.builder("sse.proxy.replication.lag").description("from a write's acknowledgement to its replica")
                .publishPercentiles(0.5, 0.99).register(meters);
        Gauge.builder("sse.proxy.replication.pending", pending, AtomicLong::get)
                .description("replications waiting or running (as last counted)").register(meters);
    }

    void queued(int n) {
        queued.increment(n);
        pending.addAndGet(n);
    }

    void completed(long plaintextBytes, Duration lagTime) {
        completed.increment();
        bytes.increment(plaintextBytes);
        lag.record(lagTime);
        pending.updateAndGet(p -> Math.max(0, p - 1));
    }

    void failed() {
        failed.increment();
        pending.updateAndGet(p -> Math.max(0, p - 1));
    }

    void retried() {
        retried.increment();
    }

    void pending(long n) {
        pending.set(n);
    }
}
