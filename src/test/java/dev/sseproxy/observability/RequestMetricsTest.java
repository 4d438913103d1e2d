package dev.sseproxy.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.observability.RequestMetrics.Outcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RequestMetrics metrics = new RequestMetrics(meters);

    static CompletedRequest request(String operation, int status, String errorCode, boolean completed, String sseMode,
            long millis, long in, long out) {
        return new CompletedRequest("req", "host", Instant.EPOCH, TimeUnit.MILLISECONDS.toNanos(millis), operation,
                "object", "PUT", "secret-bucket", "secret/key", "000000000001", "000000000001", "AKIA", false,
                "127.0.0.1", "ua", "localhost", null, null, status, errorCode, errorCode == null ? null : "msg",
                completed, in, out, Map.of(), Map.of(), Map.of(), null, sseMode, Map.of());
    }

    @Test
    void outcomesFollowTheDocumentedOrder() {
        assertEquals(Outcome.SUCCESS, Outcome.of(request("GetObject", 200, null, true, "sse_s3", 1, 0, 0)));
        assertEquals(Outcome.SUCCESS, Outcome.of(request("GetObject", 206, null, true, "sse_s3", 1, 0, 0)));
        assertEquals(Outcome.SUCCESS, Outcome.of(request("GetObject", 304, null, true, "sse_s3", 1, 0, 0)));
        assertEquals(Outcome.CLIENT_ERROR, Outcome.of(request("GetObject", 404, "NoSuchKey", true, "none", 1, 0, 0)));
        assertEquals(Outcome.CLIENT_ERROR, Outcome.of(request("HeadObject", 403, null, true, "none", 1, 0, 0)),
                "a HEAD error has a status but no body");
        assertEquals(Outcome.SERVER_ERROR, Outcome.of(request("PutObject", 503, "SlowDown", true, "none", 1, 0, 0)));
        assertEquals(Outcome.SERVER_ERROR, Outcome.of(request("PutObject", 500, "InternalError", true, "none", 1, 0, 0)));
        assertEquals(Outcome.ABORTED, Outcome.of(request("GetObject", 200, null, false, "sse_kms", 1, 0, 0)),
                "the connection closed mid-body: a 200 was sent but the response never ended");
        assertEquals(Outcome.ABORTED, Outcome.of(request("PutObject", 0, null, false, "none", 1, 0, 0)));
        assertEquals(Outcome.ABORTED, Outcome.of(request("PutObject", 500, "InternalError", false, "none", 1, 0, 0)));
    }

    @Test
    void requestsAreTimedByOperationOutcomeAndSseModeWithPercentiles() {
        metrics.completed(request("PutObject", 200, null, true, "sse_kms", 40, 1000, 0));
        metrics.completed(request("PutObject", 200, null, true, "sse_kms", 60, 500, 0));
        metrics.completed(request("PutObject", 403, "AccessDenied", true, "none", 5, 10, 300));

        Timer ok = meters.get(RequestMetrics.REQUESTS).tags("operation", "PutObject", "outcome", "success", "sse_mode",
                "sse_kms").timer();
        assertEquals(2, ok.count());
        assertEquals(100, ok.totalTime(TimeUnit.MILLISECONDS), 0.001);
        Set<Double> percentiles = Arrays.stream(ok.takeSnapshot().percentileValues()).map(ValueAtPercentile::percentile)
                .collect(Collectors.toSet());
        assertEquals(Set.of(0.5, 0.99), percentiles);
        assertEquals(1, meters.get(RequestMetrics.REQUESTS).tags("outcome", "client_error", "sse_mode", "none").timer()
                .count());
        assertEquals(1510, meters.get(RequestMetrics.BYTES_IN).tag("operation", "PutObject").counter().count());
        assertEquals(300, meters.get(RequestMetrics.BYTES_OUT).tag("operation", "PutObject").counter().count());
    }

    @Test
    void noTagNamesABucketKeyOrAccount() {
        metrics.completed(request("PutObject", 200, null, true, "sse_s3", 1, 1, 1));
        metrics.completed(request(null, 400, "InvalidRequest", true, null, 1, 1, 1));
        for (Meter m : meters.getMeters()) {
            Set<String> tags = m.getId().getTags().stream().map(t -> t.getKey()).collect(Collectors.toSet());
            // phi: Micrometer's own tag on the percentile gauges of registries without summaries
            assertTrue(Set.of("operation", "outcome", "sse_mode", "phi").containsAll(tags), m.getId() + " has " + tags);
            m.getId().getTags().forEach(t -> assertTrue(!t.getValue().contains("secret") && !t.getValue().equals("AKIA")
                    && !t.getValue().equals("000000000001"), m.getId().toString()));
        }
        assertEquals(1, meters.get(RequestMetrics.REQUESTS).tags("operation", "Unknown", "sse_mode", "none").timer().count());
    }

    @Test
    void eachTagCombinationIsRegisteredOnce() {
        for (int i = 0; i < 100; i++) {
            metrics.completed(request("GetObject", 200, null, true, "sse_c", 1, 0, 10));
        }
        assertEquals(1, meters.find(RequestMetrics.REQUESTS).timers().size());
        assertEquals(100, meters.get(RequestMetrics.REQUESTS).timer().count());
        assertEquals(1000, meters.get(RequestMetrics.BYTES_OUT).counter().count());
        assertNull(meters.find(RequestMetrics.REQUESTS).tag("sse_mode", "sse_s3").timer());
    }
}
