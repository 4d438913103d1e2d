package dev.sseproxy.kms.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A small circuit breaker around Vault calls, by the injected {@link Clock}. Closed, it lets calls
 * through and counts consecutive failures; at {@code failureThreshold} it opens. Open, it refuses
 * calls until {@code delay} has passed, then lets one trial call through (half-open): a success
 * closes it, a failure opens it for another {@code delay}. A trial whose outcome is never reported
 * (its caller went away) does not wedge it: after another {@code delay} the next call is a new trial.
 *
 * <p>Only the Vault being unreachable or failing (5xx, timeouts, connection errors) counts as a
 * failure; any answer from a working Vault, refusals included, counts as a success.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final Duration delay;
    private final Clock clock;
    private State state = State.CLOSED;
    private int failures;
    /** OPEN: when a trial may start; HALF_OPEN: when the trial in flight counts as lost. */
    private Instant until = Instant.MIN;

    CircuitBreaker(int failureThreshold, Duration delay, Clock clock) {
        if (failureThreshold < 1 || delay.isNegative()) {
            throw new IllegalArgumentException("a failure threshold of at least 1 and a non-negative delay are required");
        }
        this.failureThreshold = failureThreshold;
        this.delay = delay;
        this.clock = clock;
    }

    /** Whether a call may go to Vault now; true in half-open state for the one trial call. */
    synchronized boolean tryAcquire() {
        Instant now = clock.instant();
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
            case HALF_OPEN:
                if (now.isBefore(until)) {
                    return false;
                }
                state = State.HALF_OPEN;
                until = now.plus(delay);
                return true;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    synchronized void onSuccess() {
        state = State.CLOSED;
        failures = 0;
    }

    synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= failureThreshold) {
            state = State.OPEN;
            until = clock.instant().plus(delay);
        }
    }

    synchronized State state() {
        return state == State.OPEN && !clock.instant().isBefore(until) ? State.HALF_OPEN : state;
    }

    /** How long until a trial call may go through; zero unless open. */
    synchronized Duration retryAfter() {
        if (state == State.CLOSED) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), until);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
