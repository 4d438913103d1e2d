package dev.sseproxy.kms.vault;

import dev.sseproxy.kms.KmsException;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Retries and circuit breaking around each Vault call of {@link VaultTransitKmsClient}, per
 * {@link VaultSettings.Resilience}:
 * <ul>
 * <li>an attempt that Vault throttled (429, {@link KmsException.Throttled}) or that failed as
 *     {@link KmsException.Unavailable} (5xx, 412, connection refused or reset, a login that could not
 *     reach Vault) is tried again, up to {@code attempts} in all, after a jittered exponential
 *     back-off (the n-th wait is uniformly random in [d/2, d] with d = min(max, initial·2^(n-1))),
 *     scheduled without holding a thread;</li>
 * <li>an attempt that timed out is not tried again (it may still hold a worker thread, and the caller
 *     has already waited a full timeout), nor is any refusal (400, 403, 404, an invalid ciphertext):
 *     retrying cannot change those;</li>
 * <li>unavailability and timeouts count as failures of the {@link CircuitBreaker}; any answer from
 *     Vault, refusals and 429 included, as a success. While the breaker is open, calls fail at once
 *     with {@link KmsException.Unavailable} without reaching Vault or taking a worker thread.</li>
 * </ul>
 * The 403-then-login-again retry of login-based tokens happens inside one attempt ({@link TransitApi}).
 */
final class VaultGuard {
    private final VaultSettings.Resilience settings;
    private final CircuitBreaker breaker;

    VaultGuard(VaultSettings.Resilience settings, Clock clock) {
        this.settings = settings;
        this.breaker = new CircuitBreaker(settings.breakerFailureThreshold(), settings.breakerDelay(), clock);
    }

    /** Marks the {@link KmsException.Unavailable} of a refused call while the breaker is open. */
    static final class CircuitOpen extends RuntimeException {
        CircuitOpen() {
            super("circuit open", null, false, false);
        }
    }

    /** A fresh attempt each time {@code attempt} is called; at most {@code attempts} of them. */
    <T> Uni<T> run(Supplier<Uni<T>> attempt) {
        return run(attempt, 1);
    }

    CircuitBreaker.State state() {
        return breaker.state();
    }

    private <T> Uni<T> run(Supplier<Uni<T>> attempt, int n) {
        return Uni.createFrom().deferred(() -> once(attempt)).onFailure().recoverWithUni(e -> {
            if (n >= settings.attempts() || !retryable(e)) {
                return Uni.createFrom().failure(e);
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(backoff(n)).chain(() -> run(attempt, n + 1));
        });
    }

    private <T> Uni<T> once(Supplier<Uni<T>> attempt) {
        if (!breaker.tryAcquire()) {
            return Uni.createFrom().failure(new KmsException.Unavailable("Vault is failing: calls suspended for "
                    + millis(breaker.retryAfter()) + " ms (circuit breaker open)", new CircuitOpen()));
        }
        return attempt.get().onItemOrFailure().invoke((item, failure) -> record(failure));
    }

    private void record(Throwable failure) {
        if (failure == null || failure instanceof KmsException && !(failure instanceof KmsException.Unavailable)) {
            breaker.onSuccess();
        } else if (failure instanceof KmsException.Unavailable) {
            breaker.onFailure();
        }
        // anything else is a defect of ours, not news about Vault
    }

    static boolean retryable(Throwable e) {
        if (e instanceof KmsException.Throttled) {
            return true;
        }
        return e instanceof KmsException.Unavailable
                && !(e.getCause() instanceof CircuitOpen) && !(e.getCause() instanceof TimeoutException);
    }

    /** The wait before attempt {@code n + 1}: random in [d/2, d], d = min(max, initial·2^(n-1)). */
    Duration backoff(int n) {
        long initial = settings.initialBackoff().toNanos();
        long max = Math.max(initial, settings.maxBackoff().toNanos());
        long d = initial;
        for (int i = 1; i < n && d < max; i++) {
            d = d > max / 2 ? max : d * 2;
        }
        d = Math.min(d, max);
        long half = d / 2;
        return Duration.ofNanos(half + (d - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(d - half + 1)));
    }

    private static long millis(Duration d) {
        return Math.max(0, d.toMillis());
    }
}
