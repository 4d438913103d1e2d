package dev.sseproxy.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

class HealthProbeTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();

    private HealthProbe probe(Duration timeout, Supplier<Uni<Map<String, Object>>> call) {
        return new HealthProbe("MinIO", Map.of("endpoint", "http://127.0.0.1:9300"), timeout, TTL, now::get, () -> {
            calls.incrementAndGet();
            return call.get();
        });
    }

    private static HealthCheckResponse check(HealthProbe p) {
        return p.check().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void anAnswerIsUpWithItsDataAndTheDetails() {
        HealthCheckResponse r = check(probe(TTL, () -> Uni.createFrom().item(Map.of("throttled", true, "latest_version", 3))));
        assertEquals(Status.UP, r.getStatus());
        assertEquals("MinIO", r.getName());
        Map<String, Object> data = r.getData().orElseThrow();
        assertEquals("http://127.0.0.1:9300", data.get("endpoint"));
        assertEquals(true, data.get("throttled"));
        assertEquals(3L, data.get("latest_version"));
    }

    @Test
    void aFailureIsDownWithItsReason() {
        HealthCheckResponse r = check(probe(TTL, () -> Uni.createFrom().failure(new IllegalStateException(
                "backend unreachable", new IllegalStateException("Connection refused: /127.0.0.1:9300",
                        new ConnectException("Connection refused"))))));
        assertEquals(Status.DOWN, r.getStatus());
        Map<String, Object> data = r.getData().orElseThrow();
        assertEquals("backend unreachable: Connection refused: /127.0.0.1:9300", data.get("reason"));
        assertEquals("http://127.0.0.1:9300", data.get("endpoint"));
    }

    @Test
    void noAnswerWithinTheTimeoutIsDown() {
        HealthCheckResponse r = check(probe(Duration.ofMillis(50), () -> Uni.createFrom().nothing()));
        assertEquals(Status.DOWN, r.getStatus());
        assertEquals("no answer within 50 ms", r.getData().orElseThrow().get("reason"));
    }

    @Test
    void aResultAnswersForTheCacheTtlThenTheDependencyIsAskedAgain() {
        AtomicReference<Uni<Map<String, Object>>> answer = new AtomicReference<>(Uni.createFrom().item(Map.of()));
        HealthProbe p = probe(TTL, answer::get);
        assertEquals(Status.UP, check(p).getStatus());
        answer.set(Uni.createFrom().failure(new IllegalStateException("down")));
        now.addAndGet(TTL.toNanos() - 1);
        assertEquals(Status.UP, check(p).getStatus(), "still the cached answer");
        assertEquals(1, calls.get());
        now.addAndGet(1);
        assertEquals(Status.DOWN, check(p).getStatus());
        answer.set(Uni.createFrom().item(Map.of()));
        assertEquals(Status.DOWN, check(p).getStatus(), "a DOWN answer is cached as well");
        now.addAndGet(TTL.toNanos());
        assertEquals(Status.UP, check(p).getStatus());
        assertEquals(3, calls.get());
    }

    @Test
    void concurrentProbesShareOneCall() {
        CompletableFuture<Map<String, Object>> gate = new CompletableFuture<>();
        HealthProbe p = probe(Duration.ofSeconds(30), () -> Uni.createFrom().completionStage(gate));
        List<CompletableFuture<HealthCheckResponse>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(p.check().subscribeAsCompletionStage());
        }
        gate.complete(Map.of());
        all.forEach(f -> assertEquals(Status.UP, f.join().getStatus()));
        assertEquals(1, calls.get());
    }

    @Test
    void theTtlCountsFromTheAnswerNotFromTheCall() {
        CompletableFuture<Map<String, Object>> gate = new CompletableFuture<>();
        HealthProbe p = probe(Duration.ofSeconds(30), () -> Uni.createFrom().completionStage(gate));
        CompletableFuture<HealthCheckResponse> first = p.check().subscribeAsCompletionStage();
        now.addAndGet(TTL.toNanos() * 5); // the call took long
        gate.complete(Map.of());
        assertTrue(first.join().getStatus() == Status.UP);
        assertEquals(Status.UP, check(p).getStatus());
        assertEquals(1, calls.get(), "the answer is fresh when it arrives");
    }
}
