package dev.sseproxy.kms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets on a fake clock: burst, refill, per-account isolation, bounded wait, run-time change. */
class KmsRateLimiterTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private KmsRateLimiter limiter(double globalRate, int globalBurst, double accountRate, int accountBurst,
            Duration maxWait) {
        return new KmsRateLimiter(new KmsRateLimiter.Settings(true, globalRate, globalBurst, accountRate, accountBurst,
                maxWait), now::get, meters);
    }

    private double permits(String result) {
        return meters.get("sse.proxy.kms.limiter.permits").tag("result", result).counter().count();
    }

    private int granted(KmsRateLimiter l, String account, int attempts) {
        int ok = 0;
        for (int i = 0; i < attempts; i++) {
            if (l.reserve(account) == 0) {
                ok++;
            }
        }
        return ok;
    }

    @Test
    void aFullBucketGrantsItsBurstAtOnceThenRejects() {
        KmsRateLimiter l = limiter(50, 10, 1000, 1000, Duration.ZERO);
        assertEquals(10, granted(l, null, 25));
        assertEquals(10, permits("granted"));
        assertEquals(15, permits("rejected"));
    }

    @Test
    void theBucketRefillsAtItsRateAndNoFurtherThanItsBurst() {
        KmsRateLimiter l = limiter(50, 10, 1000, 1000, Duration.ZERO);
        granted(l, null, 10);
        now.addAndGet(100 * MS); // 50/s for 0.1 s: 5 permits
        assertEquals(5, granted(l, null, 20));
        now.addAndGet(TimeUnit.SECONDS.toNanos(60)); // capped at the burst
        assertEquals(10, granted(l, null, 20));
    }

    @Test
    void overTenSecondsAtMostRateTimesTimePlusBurstAreGranted() {
        KmsRateLimiter l = limiter(50, 10, 1000, 1000, Duration.ofMillis(5));
        int ok = 0;
        for (int i = 0; i < 2000; i++) { // 200 calls/s for 10 s
            ok += l.reserve(null) >= 0 ? 1 : 0;
            now.addAndGet(5 * MS);
        }
        assertEquals(510, ok, 1.0);
    }

    @Test
    void oneAccountEmptyingItsBucketLeavesOthersAlone() {
        KmsRateLimiter l = limiter(1000, 1000, 10, 3, Duration.ZERO);
        assertEquals(3, granted(l, "111111111111", 10));
        assertEquals(3, granted(l, "222222222222", 10));
        assertEquals(50, granted(l, null, 50), "the proxy's own calls use the global bucket only");
    }

    @Test
    void aRejectedCallTakesNothingFromTheOtherBucket() {
        KmsRateLimiter l = limiter(1000, 5, 1000, 2, Duration.ZERO);
        assertEquals(2, granted(l, "111111111111", 10));
        assertEquals(3, granted(l, null, 10), "the account's 8 rejected calls left the global permits alone");
    }

    @Test
    void aCallWaitsUpToMaxWaitForItsPermitThenIsRejected() {
        KmsRateLimiter l = limiter(100, 1, 1000, 1000, Duration.ofMillis(25)); // a permit every 10 ms
        assertEquals(0, l.reserve(null));
        assertEquals(10 * MS, l.reserve(null), 0.001 * MS);
        assertEquals(20 * MS, l.reserve(null), 0.001 * MS, "waiting callers queue behind each other");
        assertEquals(KmsRateLimiter.REJECTED, l.reserve(null), "30 ms is beyond the 25 ms maximum");
        now.addAndGet(20 * MS);
        assertEquals(10 * MS, l.reserve(null), 0.001 * MS);
        assertEquals(1, permits("granted"));
        assertEquals(3, permits("waited"));
        assertEquals(1, permits("rejected"));
    }

    @Test
    void newSettingsApplyAtOnceAndKeepNoMoreThanTheNewBurst() {
        KmsRateLimiter l = limiter(50, 10, 1000, 1000, Duration.ZERO);
        granted(l, "111111111111", 1);
        l.update(new KmsRateLimiter.Settings(true, 1, 2, 1, 1, Duration.ZERO));
        assertEquals(2, granted(l, null, 10));
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(1, granted(l, null, 10), "refilled at the new rate of 1/s");
        l.update(new KmsRateLimiter.Settings(false, 1, 1, 1, 1, Duration.ZERO));
        assertEquals(100, granted(l, "111111111111", 100), "disabled: every call goes");
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KmsRateLimiter.Settings(true, 0, 1, 1, 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new KmsRateLimiter.Settings(true, 1, 0, 1, 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new KmsRateLimiter.Settings(true, 1, 1, Double.NaN, 1,
                Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new KmsRateLimiter.Settings(true, 1, 1, 1, 1,
                Duration.ofMillis(-1)));
    }
}
