package dev.sseproxy.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UntilSuccessTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aFailedAttemptIsTriedAgainAndASuccessIsKept() {
        AtomicInteger attempts = new AtomicInteger();
        UntilSuccess<String> ready = new UntilSuccess<>(() -> attempts.incrementAndGet() == 1
                ? Uni.createFrom().failure(new IllegalStateException("throttled"))
                : Uni.createFrom().item("created " + attempts.get()));

        assertThrows(IllegalStateException.class, () -> ready.get().await().atMost(WAIT));
        assertEquals("created 2", ready.get().await().atMost(WAIT));
        assertEquals("created 2", ready.get().await().atMost(WAIT));
        assertEquals(2, attempts.get(), "a success is not attempted again");
    }

    @Test
    void callersOfOneAttemptShareIt() {
        AtomicInteger attempts = new AtomicInteger();
        UntilSuccess<Integer> ready = new UntilSuccess<>(() -> Uni.createFrom().item(attempts::incrementAndGet));
        Uni<Integer> first = ready.get();
        Uni<Integer> second = ready.get();
        assertEquals(1, first.await().atMost(WAIT));
        assertEquals(1, second.await().atMost(WAIT));
        assertEquals(1, attempts.get());
    }
}
