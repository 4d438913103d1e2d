package dev.sseproxy.kms;

/**
 * A token bucket of {@code burst} permits refilled at {@code rate} permits per second, on
 * nanosecond timestamps the caller passes in (so tests use a fake clock). A permit may be reserved
 * ahead of time: the bucket then goes below zero and the next caller's wait grows accordingly, so
 * waiting callers are served in order and never above the rate.
 *
 * <p>Not thread-safe: {@link KmsRateLimiter} locks around each decision, which spans two buckets.
 */
final class TokenBucket {
    private double rate;
    private double burst;
    private double tokens;
    private long last;

    TokenBucket(double rate, int burst, long now) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Nanoseconds until one permit is available (0: now). Takes nothing. */
    long waitNanos(long now) {
        refill(now);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / rate * 1e9);
    }

    /** Takes one permit, possibly ahead of time (after {@link #waitNanos} said how long to wait). */
    void take(long now) {
        refill(now);
        tokens -= 1;
    }

    /** New rate and burst; permits already earned stay, up to the new burst. */
    void reconfigure(double newRate, int newBurst, long now) {
        refill(now);
        rate = newRate;
        burst = newBurst;
        tokens = Math.min(tokens, burst);
    }

    /** Permits available now (negative: reserved ahead). */
    double available(long now) {
        refill(now);
        return tokens;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * rate / 1e9);
            last = now;
        }
    }
}
