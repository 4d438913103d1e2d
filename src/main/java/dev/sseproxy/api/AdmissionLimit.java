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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many S3 requests may be between their arrival and the end of their authentication at once
 * ({@code sse-proxy.limits.unauthenticated-requests}): the audit queue's admission may hold a request
 * for seconds before its signature is even looked at, so without this bound anyone could park tens of
 * thousands of requests. Past the limit a request is refused at once with 503 SlowDown
 * ({@code Retry-After: 1}). Metrics: {@code sse_proxy_unauthenticated_requests} (now) and
 * {@code sse_proxy_unauthenticated_refused_total}.
 */
@Singleton
public class AdmissionLimit {
    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter refused;

    @Inject
    public AdmissionLimit(SseProxyConfig config, MeterRegistry meters) {
        this(config.limits().unauthenticatedRequests(), meters);
    }

    AdmissionLimit(int limit, MeterRegistry meters) {
        this.limit = limit;
        Gauge.builder("sse.proxy.unauthenticated.requests", inFlight, AtomicInteger::get)
                .description("S3 requests not yet authenticated (bounded by sse-proxy.limits.unauthenticated-requests)")
                .register(meters);
        this.refused = Counter.builder("sse.proxy.unauthenticated.refused")
                .description("S3 requests refused with 503 SlowDown because too many were not yet authenticated")
                .register(meters);
    }

    static AdmissionLimit of(int limit) {
        return new AdmissionLimit(limit, new SimpleMeterRegistry());
    }

    /** Counts a request in; fails with 503 SlowDown when {@code limit} are already in. Call {@link #leave()} once it is authenticated (or failed). */
    public void enter() {
        if (inFlight.getAndUpdate(v -> v < limit ? v + 1 : v) >= limit) {
            refused.increment();
            throw S3Exception.of(S3ErrorCode.SLOW_DOWN, BodyBudget.SLOW_DOWN).withHeader("Retry-After", "1");
        }
    }

    public void leave() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }
}
