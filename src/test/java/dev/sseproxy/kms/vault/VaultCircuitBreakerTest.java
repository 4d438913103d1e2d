package dev.sseproxy.kms.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sseproxy.kms.KmsException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link CircuitBreaker} states by a fake clock, and {@link VaultGuard}'s retry decisions and back-off. */
class VaultCircuitBreakerTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(10), clock);

    private void advance(Duration d) {
        now.updateAndGet(i -> i.plus(d));
    }

    @Test
    void opensAfterTheThresholdOfConsecutiveFailures() {
        for (int i = 0; i < 2; i++) {
            assertTrue(breaker.tryAcquire());
            breaker.onFailure();
        }
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
        assertEquals(Duration.ofSeconds(10), breaker.retryAfter());
    }

    @Test
    void aSuccessResetsTheCount() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void afterTheDelayExactlyOneTrialGoesThroughAndItsOutcomeDecides() {
        open();
        advance(Duration.ofSeconds(9));
        assertFalse(breaker.tryAcquire());
        advance(Duration.ofSeconds(1));
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        assertTrue(breaker.tryAcquire(), "the trial");
        assertFalse(breaker.tryAcquire(), "only one trial at a time");
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "one failed trial reopens it");
        assertFalse(breaker.tryAcquire());
        advance(Duration.ofSeconds(10));
        assertTrue(breaker.tryAcquire());
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void aTrialWhoseOutcomeIsNeverReportedDoesNotWedgeTheBreaker() {
        open();
        advance(Duration.ofSeconds(10));
        assertTrue(breaker.tryAcquire());
        advance(Duration.ofSeconds(5));
        assertFalse(breaker.tryAcquire());
        advance(Duration.ofSeconds(5));
        assertTrue(breaker.tryAcquire(), "the lost trial is replaced after another delay");
    }

    @Test
    void onlyThrottlingAndUnavailabilityAreRetried() {
        assertTrue(VaultGuard.retryable(new KmsException.Throttled("429")));
        assertTrue(VaultGuard.retryable(new KmsException.Unavailable("503")));
        assertFalse(VaultGuard.retryable(new KmsException.Unavailable("slow", new TimeoutException())));
        assertFalse(VaultGuard.retryable(new KmsException.Unavailable("open", new VaultGuard.CircuitOpen())));
        assertFalse(VaultGuard.retryable(new KmsException.AccessDenied("403")));
        assertFalse(VaultGuard.retryable(new KmsException.NotFound("404")));
        assertFalse(VaultGuard.retryable(new KmsException.InvalidCiphertext("400")));
        assertFalse(VaultGuard.retryable(new KmsException.UnusableKey("400")));
        assertFalse(VaultGuard.retryable(new IllegalStateException()));
    }

    @Test
    void backOffDoublesUpToTheMaximumWithJitterDownToHalf() {
        VaultGuard guard = new VaultGuard(new VaultSettings.Resilience(5, Duration.ofMillis(100), Duration.ofMillis(350),
                5, Duration.ofSeconds(5)), clock);
        long[] ceilings = {100, 200, 350, 350};
        for (int n = 1; n <= 4; n++) {
            for (int i = 0; i < 200; i++) {
                long ms = guard.backoff(n).toNanos();
                assertTrue(ms >= ceilings[n - 1] * 1_000_000 / 2 && ms <= ceilings[n - 1] * 1_000_000,
                        "wait " + n + " was " + ms + " ns");
            }
        }
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    }
}
