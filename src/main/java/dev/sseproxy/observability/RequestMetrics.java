package dev.sseproxy.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times and counts every finished S3 request (see the package documentation for the names, tags
 * and the {@link Outcome} rules). Runs on the request's event loop: the meters of a tag combination
 * are built on its first request and then only looked up.
 */
@ApplicationScoped
public class RequestMetrics implements RequestListener {
    static final String REQUESTS = "sse.proxy.s3.requests";
    static final String BYTES_IN = "sse.proxy.s3.bytes.in";
    static final String BYTES_OUT = "sse.proxy.s3.bytes.out";

    /** What became of a request, as the {@code outcome} tag says it. */
    public enum Outcome {
        SUCCESS("success"), CLIENT_ERROR("client_error"), SERVER_ERROR("server_error"), ABORTED("aborted");

        private final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        /** The outcome of {@code r}: aborted, then 5xx, then 4xx (or any S3 error), else success. */
        public static Outcome of(CompletedRequest r) {
            if (!r.completed()) {
                return ABORTED;
            }
            if (r.status() >= 500) {
                return SERVER_ERROR;
            }
            if (r.status() >= 400 || r.errorCode() != null) {
                return CLIENT_ERROR;
            }
            return SUCCESS;
        }
    }

    private record TimerKey(String operation, Outcome outcome, String sseMode) {
    }

    private record Bytes(Counter in, Counter out) {
    }

    private final MeterRegistry meters;
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Bytes> bytes = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void completed(CompletedRequest r) {
        String operation = r.operation() == null ? "Unknown" : r.operation();
        String sseMode = r.sseMode() == null ? "none" : r.sseMode();
        timers.computeIfAbsent(new TimerKey(operation, Outcome.of(r), sseMode), this::timer)
                .record(r.durationNanos(), TimeUnit.NANOSECONDS);
        Bytes b = bytes.computeIfAbsent(operation, this::bytes);
        if (r.bytesIn() > 0) {
            b.in().increment(r.bytesIn());
        }
        if (r.bytesOut() > 0) {
            b.out().increment(r.bytesOut());
        }
    }

    private Timer timer(TimerKey k) {
        return Timer.builder(REQUESTS).description("S3 requests, from arrival to the end of the response")
                .tag("operation", k.operation()).tag("outcome", k.outcome().tag()).tag("sse_mode", k.sseMode())
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    private Bytes bytes(String operation) {
        return new Bytes(
                Counter.builder(BYTES_IN).description("S3 request bytes read from clients (as sent)")
                        .tag("operation", operation).register(meters),
                Counter.builder(BYTES_OUT).description("S3 response body bytes written to clients")
                        .tag("operation", operation).register(meters));
    }
}
