package dev.sseproxy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import org.junit.jupiter.api.Test;

/** The buffered-body budget and the bound on unauthenticated requests. */
class EdgeLimitsTest {

    static void assertSlowDown(S3Exception e) {
        assertEquals(S3ErrorCode.SLOW_DOWN, e.code());
        assertEquals(503, e.code().status());
        assertEquals("Please reduce your request rate.", e.getMessage());
        assertEquals("1", e.headers().get("Retry-After"));
    }

    @Test
    void theBudgetIsTakenUpToItsSizeAndGivenBackOnce() {
        BodyBudget budget = BodyBudget.of(1000);
        BodyBudget.Lease a = budget.take(600);
        BodyBudget.Lease b = budget.take(400);
        assertEquals(1000, budget.used());
        assertSlowDown(assertThrows(S3Exception.class, () -> budget.take(1)));
        assertNull(budget.takeOrStream(1), "a PUT streams instead");
        a.close();
        a.close();
        assertEquals(400, budget.used(), "a lease gives its bytes back once");
        BodyBudget.Lease c = budget.take(600);
        b.close();
        c.close();
        assertEquals(0, budget.used());
    }

    @Test
    void oneRequestAloneMayTakeMoreThanTheBudgetButNotBesideOthers() {
        BodyBudget budget = BodyBudget.of(1000);
        BodyBudget.Lease big = budget.take(5000);
        assertSlowDown(assertThrows(S3Exception.class, () -> budget.take(10)));
        assertNotNull(budget.take(0), "an empty body takes nothing and always passes");
        big.close();
        budget.take(10).close();
        BodyBudget.Lease small = budget.take(10);
        assertNull(budget.takeOrStream(5000));
        small.close();
        assertEquals(0, budget.used());
    }

    @Test
    void concurrentTakersNeverHoldMoreThanTheBudget() throws Exception {
        BodyBudget budget = BodyBudget.of(10_000);
        budget.take(1).close();
        java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        BodyBudget.Lease pin = budget.take(1); // so no taker is ever alone
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    BodyBudget.Lease l = budget.takeOrStream(1000);
                    if (l != null) {
                        peak.accumulateAndGet(budget.used(), Math::max);
                        l.close();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        pin.close();
        assertEquals(0, budget.used());
        assertEquals(true, peak.get() <= 10_000, "peak " + peak.get());
    }

    @Test
    void unauthenticatedRequestsAreBounded() {
        AdmissionLimit limit = AdmissionLimit.of(3);
        limit.enter();
        limit.enter();
        limit.enter();
        assertSlowDown(assertThrows(S3Exception.class, limit::enter));
        assertEquals(3, limit.inFlight());
        limit.leave();
        limit.enter();
        assertSlowDown(assertThrows(S3Exception.class, limit::enter));
        limit.leave();
        limit.leave();
        limit.leave();
        assertEquals(0, limit.inFlight());
    }
}
