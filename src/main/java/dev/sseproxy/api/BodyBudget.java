package dev.sseproxy.api;

import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The global budget of request-body bytes held in heap ({@code sse-proxy.limits.buffered-body-bytes}):
 * a request takes its body's size before it buffers it and gives it back when the buffer is gone.
 * A single PUT that finds the budget spent is not buffered but streamed, as larger ones are (memory
 * per request stays bounded; an SSE-S3 object then gets its MD5 ETag by a metadata-only copy); an
 * XML document, which must be read whole, is refused at once with 503 SlowDown and
 * {@code Retry-After: 1} (no queue of waiters to bound in turn; the SDKs retry it). A single request
 * may take more than the whole budget when nothing else holds any, so a small budget never refuses a
 * request forever. Metrics: {@code sse_proxy_buffered_body_bytes} (held now) and
 * {@code sse_proxy_buffered_body_overflow_total{action="refused|streamed"}}.
 */
@Singleton
public class BodyBudget implements dev.sseproxy.sse.BufferBudget {
    static final String SLOW_DOWN = "Please reduce your request rate.";
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final Counter refused;
    private final Counter streamed;

    @Inject
    public BodyBudget(SseProxyConfig config, MeterRegistry meters) {
        this(config.limits().bufferedBodyBytes(), meters);
    }

    BodyBudget(long capacity, MeterRegistry meters) {
        this.capacity = capacity;
        Gauge.builder("sse.proxy.buffered.body.bytes", used, AtomicLong::get)
                .description("request-body bytes held in heap now (bounded by sse-proxy.limits.buffered-body-bytes)")
                .register(meters);
        this.refused = overflow(meters, "refused");
        this.streamed = overflow(meters, "streamed");
    }

    /** A budget of {@code capacity} bytes with metrics of its own (tests). */
    static BodyBudget of(long capacity) {
        return new BodyBudget(capacity, new SimpleMeterRegistry());
    }

    private static Counter overflow(MeterRegistry meters, String action) {
        return Counter.builder("sse.proxy.buffered.body.overflow").tag("action", action)
                .description("requests that found the buffered-body budget spent: refused with 503 SlowDown, or streamed")
                .register(meters);
    }

    /** Takes {@code bytes} from the budget; fails with 503 SlowDown when it is spent. Close the lease to give them back. */
    public Lease take(long bytes) {
        Lease l = tryTake(bytes);
        if (l == null) {
            refused.increment();
            throw S3Exception.of(S3ErrorCode.SLOW_DOWN, SLOW_DOWN).withHeader("Retry-After", "1");
        }
        return l;
    }

    /** Takes {@code bytes} from the budget, or answers null (counted as streamed) when it is spent. */
    @Override
    public Lease takeOrStream(long bytes) {
        Lease l = tryTake(bytes);
        if (l == null) {
            streamed.increment();
        }
        return l;
    }

    private Lease tryTake(long bytes) {
        long n = Math.max(0, bytes);
        while (true) {
            long u = used.get();
            if (n > 0 && u > 0 && u + n > capacity) {
                return null;
            }
            if (used.compareAndSet(u, u + n)) {
                return new Lease(n);
            }
        }
    }

    /** Bytes held now. */
    long used() {
        return used.get();
    }

    /** Bytes taken from the budget; given back once, by the first {@link #close()}. */
    public final class Lease implements dev.sseproxy.sse.BufferBudget.Lease {
        private final long bytes;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Lease(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                used.addAndGet(-bytes);
            }
        }
    }
}
