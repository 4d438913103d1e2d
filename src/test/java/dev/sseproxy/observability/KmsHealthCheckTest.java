package dev.sseproxy.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.KmsRateLimiter;
import dev.sseproxy.kms.RateLimitedKmsClient;
import dev.sseproxy.kms.local.PgTestKeystore;
import dev.sseproxy.kms.local.LocalKmsClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The KMS check against the local KMS behind the real rate limiter (one permit, never refilled). */
class KmsHealthCheckTest {
    final PgTestKeystore keystore = new PgTestKeystore();

    @AfterEach
    void closeKeystore() {
        keystore.close();
    }
    private ExecutorService workers;
    private KmsClient kms;

    @BeforeEach
    void open() {
        workers = Executors.newFixedThreadPool(1);
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        LocalKmsClient local = keystore.start(master, workers, Clock.systemUTC());
        local.createKey("sse-proxy-secrets").await().indefinitely();
        AtomicLong frozen = new AtomicLong();
        KmsRateLimiter limiter = new KmsRateLimiter(new KmsRateLimiter.Settings(true, 0.001, 1, 0.001, 1, Duration.ZERO),
                frozen::get, new SimpleMeterRegistry());
        kms = new RateLimitedKmsClient(local, limiter);
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private HealthCheckResponse check(String key) {
        return new HealthProbe("KMS", Map.of("key", key), Duration.ofSeconds(10), Duration.ZERO, () -> 0L,
                () -> KmsHealthCheck.keyInfo(kms, key)).check().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void anExistingKeyIsUpAndThrottlingStaysUp() {
        HealthCheckResponse first = check("sse-proxy-secrets");
        assertEquals(Status.UP, first.getStatus());
        assertEquals(1L, first.getData().orElseThrow().get("latest_version"));
        HealthCheckResponse limited = check("sse-proxy-secrets");
        assertEquals(Status.UP, limited.getStatus(), "the limiter has no permit left: busy, not down");
        assertEquals(true, limited.getData().orElseThrow().get("throttled"));
    }

    @Test
    void aMissingKeyIsDown() {
        HealthCheckResponse r = check("no-such-key");
        assertEquals(Status.DOWN, r.getStatus());
        assertTrue(r.getData().orElseThrow().get("reason").toString().contains("no-such-key"), r.getData().toString());
    }
}
