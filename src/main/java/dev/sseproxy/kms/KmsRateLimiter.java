package dev.sseproxy.kms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.config.KmsConfig;
import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The token buckets every KMS call passes (DESIGN.md, "KMS discipline"): one global bucket, and one
 * per account for calls made on an account's behalf ({@link KmsClient#forAccount}). A call needs a
 * permit from each bucket that applies; when one is not available within {@code maxWait} the call is
 * rejected and takes nothing from either. Settings change at run time through {@link #update};
 * permits already earned survive a change, up to the new burst.
 *
 * <p>Counts {@code sse.proxy.kms.limiter.permits} by {@code result}: {@code granted} (at once),
 * {@code waited} (after a wait of at most {@code maxWait}), {@code rejected}.
 */
@ApplicationScoped
public class KmsRateLimiter implements KmsPermits {
    /** Returned by {@link #reserve} when no permit is available within the maximum wait. */
    public static final long REJECTED = -1;
    /** An account's bucket is dropped after this long unused (it would be full again by then). */
    private static final Duration IDLE_ACCOUNT = Duration.ofMinutes(10);

    /** The limiter's settings: rates in permits per second, bursts in permits. */
    public record Settings(boolean enabled, double globalRate, int globalBurst, double accountRate, int accountBurst,
            Duration maxWait) {
        public Settings {
            if (!(globalRate > 0) || !(accountRate > 0) || Double.isInfinite(globalRate) || Double.isInfinite(accountRate)) {
                throw new IllegalArgumentException("rates must be positive numbers of permits per second");
            }
            if (globalBurst < 1 || accountBurst < 1) {
                throw new IllegalArgumentException("bursts must be at least 1");
            }
            if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("maxWait must be between 0 and 10 s");
            }
        }

        static Settings from(KmsConfig.RateLimit c) {
            return new Settings(c.enabled(), c.globalRate(), c.globalBurst(), c.accountRate(), c.accountBurst(),
                    c.maxWait());
        }
    }

    private final LongSupplier nanoTime;
    private final Cache<String, TokenBucket> accounts = Caffeine.newBuilder().expireAfterAccess(IDLE_ACCOUNT)
            .maximumSize(100_000).build();
    private final Counter granted;
    private final Counter waited;
    private final Counter rejected;
    private volatile Settings settings;
    private TokenBucket global;

    @Inject
    public KmsRateLimiter(SseProxyConfig config, MeterRegistry meters) {
        this(Settings.from(config.kms().rateLimit()), System::nanoTime, meters);
    }

    public KmsRateLimiter(Settings settings, LongSupplier nanoTime, MeterRegistry meters) {
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.global = new TokenBucket(settings.globalRate(), settings.globalBurst(), nanoTime.getAsLong());
        this.granted = permits(meters, "granted");
        this.waited = permits(meters, "waited");
        this.rejected = permits(meters, "rejected");
    }

    private static Counter permits(MeterRegistry meters, String result) {
        return Counter.builder("sse.proxy.kms.limiter.permits").tag("result", result)
                .description("KMS rate-limiter decisions").register(meters);
    }

    public Settings settings() {
        return settings;
    }

    /** Applies new settings at once to the global bucket and every account's. */
    public synchronized void update(Settings next) {
        long now = nanoTime.getAsLong();
        global.reconfigure(next.globalRate(), next.globalBurst(), now);
        accounts.asMap().values().forEach(b -> b.reconfigure(next.accountRate(), next.accountBurst(), now));
        settings = next;
    }

    /**
     * Reserves one permit for a call on behalf of {@code accountId} (null: the proxy's own call,
     * global bucket only): the nanoseconds to wait before making the call (0: at once), or
     * {@link #REJECTED}, in which case nothing was taken.
     */
    public long reserve(String accountId) {
        Settings s = settings;
        if (!s.enabled()) {
            return 0;
        }
        return record(decide(accountId, s.maxWait().toNanos()));
    }

    @Override
    public Uni<Long> acquire(String accountId) {
        return Uni.createFrom().item(() -> reserve(accountId));
    }

    /** Counts a decision (of this limiter or of the cluster-wide one) in the permits metric; returns it. */
    long record(long wait) {
        (wait == REJECTED ? rejected : wait == 0 ? granted : waited).increment();
        return wait;
    }

    private synchronized long decide(String accountId, long maxWait) {
        long now = nanoTime.getAsLong();
        Settings s = settings;
        TokenBucket account = accountId == null ? null
                : accounts.get(accountId, a -> new TokenBucket(s.accountRate(), s.accountBurst(), now));
        long wait = Math.max(global.waitNanos(now), account == null ? 0 : account.waitNanos(now));
        if (wait > maxWait) {
            return REJECTED;
        }
        global.take(now);
        if (account != null) {
            account.take(now);
        }
        return wait;
    }
}
