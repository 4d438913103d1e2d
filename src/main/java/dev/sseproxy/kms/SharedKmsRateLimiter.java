package dev.sseproxy.kms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.cluster.SharedTokenBuckets;
import dev.sseproxy.cluster.SharedTokenBuckets.Bucket;
import dev.sseproxy.cluster.SharedTokenBuckets.Grant;
import dev.sseproxy.config.SseProxyConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The cluster-wide KMS rate limit (package documentation, "Cluster-wide rate limit"): the global and
 * the per-account buckets live in PostgreSQL ({@link SharedTokenBuckets}) and every node takes its
 * permits there, with the settings of the node-local {@link KmsRateLimiter} (which also counts the
 * decisions, and decides alone while the database fails).
 *
 * <p>Per (node, account) it keeps a lease: tokens the database granted beyond the one a call needed,
 * spent here without a round trip for {@code lease-ttl}, and a "closed until" time after the database
 * refused a permit (no permit can be there earlier: other nodes only take tokens), during which calls
 * are refused here. A settings change drops both.
 *
 * <p>Counts {@code sse.proxy.kms.limiter.shared} by {@code path}: {@code lease} (a leased token),
 * {@code round_trip} (asked the database), {@code closed} (refused without asking), {@code fallback}
 * (the database failed or was slower than {@code timeout}: the local buckets decided); and times the
 * round trips ({@code sse.proxy.kms.limiter.round.trip}).
 */
@ApplicationScoped
public class SharedKmsRateLimiter implements KmsPermits {
    private static final Logger LOG = Logger.getLogger(SharedKmsRateLimiter.class);
    private static final String PROXY = "";

    /** The cluster settings that do not change at run time. */
    public record Options(int leaseSize, Duration leaseTtl, Duration timeout, Duration fallbackFor) {
        public Options {
            if (leaseSize < 1) {
                throw new IllegalArgumentException("lease-size must be at least 1");
            }
        }

        static Options from(SseProxyConfig.Kms.RateLimit.Cluster c) {
            return new Options(c.leaseSize(), c.leaseTtl(), c.timeout(), c.fallbackFor());
        }
    }

    /** Leased tokens and the refusal horizon of one account (or of the proxy's own calls). Guarded by itself. */
    private static final class Lease {
        KmsRateLimiter.Settings settings;
        int remaining;
        long expires;
        long closedUntil;
        boolean closed;
    }

    private final KmsRateLimiter local;
    private final SharedTokenBuckets buckets;
    private final Options options;
    private final LongSupplier nanoTime;
    private final Cache<String, Lease> leases = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1))
            .maximumSize(100_000).build();
    private final Counter leased;
    private final Counter roundTrips;
    private final Counter closedRefusals;
    private final Counter fallbacks;
    private final Timer roundTrip;
    private volatile long fallbackUntil;
    private volatile boolean fallingBack;

    @Inject
    public SharedKmsRateLimiter(SseProxyConfig config, KmsRateLimiter local, SharedTokenBuckets buckets,
            MeterRegistry meters) {
        this(local, buckets, Options.from(config.kms().rateLimit().cluster()), System::nanoTime, meters);
    }

    public SharedKmsRateLimiter(KmsRateLimiter local, SharedTokenBuckets buckets, Options options,
            LongSupplier nanoTime, MeterRegistry meters) {
        this.local = local;
        this.buckets = buckets;
        this.options = options;
        this.nanoTime = nanoTime;
        this.leased = path(meters, "lease");
        this.roundTrips = path(meters, "round_trip");
        this.closedRefusals = path(meters, "closed");
        this.fallbacks = path(meters, "fallback");
        this.roundTrip = Timer.builder("sse.proxy.kms.limiter.round.trip")
                .description("Round trips of the cluster-wide KMS rate limiter to PostgreSQL").register(meters);
    }

    private static Counter path(MeterRegistry meters, String path) {
        return Counter.builder("sse.proxy.kms.limiter.shared").tag("path", path)
                .description("How the cluster-wide KMS rate limiter decided").register(meters);
    }

    @Override
    public Uni<Long> acquire(String accountId) {
        return Uni.createFrom().deferred(() -> decide(accountId));
    }

    private Uni<Long> decide(String accountId) {
        KmsRateLimiter.Settings s = local.settings();
        if (!s.enabled()) {
            return Uni.createFrom().item(0L);
        }
        long now = nanoTime.getAsLong();
        if (fallingBack) {
            if (now - fallbackUntil < 0) {
                return fallback(accountId);
            }
            fallingBack = false;
        }
        Lease lease = leases.get(accountId == null ? PROXY : accountId, k -> new Lease());
        synchronized (lease) {
            if (lease.settings != s) {
                lease.settings = s;
                lease.remaining = 0;
                lease.closed = false;
            }
            if (lease.remaining > 0 && now - lease.expires < 0) {
                lease.remaining--;
                leased.increment();
                return Uni.createFrom().item(local.record(0));
            }
            if (lease.closed && now - lease.closedUntil < 0) {
                closedRefusals.increment();
                return Uni.createFrom().item(local.record(KmsRateLimiter.REJECTED));
            }
        }
        roundTrips.increment();
        Timer.Sample sample = Timer.start();
        return buckets.take(bucketsOf(accountId, s), options.leaseSize(), s.maxWait().toNanos())
                .ifNoItem().after(options.timeout()).fail()
                .onItem().transform(g -> {
                    sample.stop(roundTrip);
                    return local.record(granted(lease, s, g, now));
                })
                .onFailure().recoverWithUni(e -> {
                    fallbacks.increment();
                    if (!fallingBack) {
                        LOG.warnf("KMS rate limit: the shared buckets in PostgreSQL did not answer (%s); each node "
                                + "limits its own calls for %s", e.toString(), options.fallbackFor());
                    }
                    fallbackUntil = nanoTime.getAsLong() + options.fallbackFor().toNanos();
                    fallingBack = true;
                    return local.acquire(accountId);
                });
    }

    private Uni<Long> fallback(String accountId) {
        fallbacks.increment();
        return local.acquire(accountId);
    }

    /** Books a grant into the lease; the wait for this call, or {@link KmsRateLimiter#REJECTED}. */
    private long granted(Lease lease, KmsRateLimiter.Settings s, Grant g, long asked) {
        long now = nanoTime.getAsLong();
        synchronized (lease) {
            boolean current = lease.settings == s;
            if (g.granted() == 0) {
                if (current) {
                    lease.closed = true;
                    // from when it was asked: the database measured the wait between then and now
                    lease.closedUntil = asked + Math.max(0, g.waitNanos() - s.maxWait().toNanos());
                }
                return KmsRateLimiter.REJECTED;
            }
            if (current && g.granted() > 1) {
                if (now - lease.expires >= 0) {
                    lease.remaining = 0;
                }
                lease.remaining = Math.min(options.leaseSize(), lease.remaining + g.granted() - 1);
                lease.expires = now + options.leaseTtl().toNanos();
            }
            return g.waitNanos();
        }
    }

    private static List<Bucket> bucketsOf(String accountId, KmsRateLimiter.Settings s) {
        Bucket global = new Bucket("global", s.globalRate(), s.globalBurst());
        return accountId == null ? List.of(global)
                : List.of(new Bucket("account:" + accountId, s.accountRate(), s.accountBurst()), global);
    }

    /** For tests: the round trips so far. */
    long roundTrips() {
        return (long) roundTrips.count();
    }
}
