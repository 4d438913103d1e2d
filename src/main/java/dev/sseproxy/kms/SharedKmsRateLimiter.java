package dev.sseproxy.kms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.cluster.SharedTokenBuckets;
import dev.sseproxy.cluster.SharedTokenBuckets.Bucket;
import dev.sseproxy.cluster.SharedTokenBuckets.Grant;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.config.KmsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The cluster-wide KMS rate limit (package documentation, "Cluster-wide rate limit"): the global and
 * the per-account buckets live in PostgreSQL ({@link SharedTokenBuckets}) and every node takes its
 * permits there, with the settings of the node-local {@link KmsRateLimiter} (which also counts the
 * decisions, and decides alone while the database fails).
 *
 * <p>Per (node, account) it keeps a lease: tokens the database granted beyond the calls that were
 * waiting, spent here without a round trip for {@code lease-ttl}; a "closed until" time after the
 * database refused a permit (no permit can be there earlier: other nodes only take tokens), during which
 * calls are refused here; and at most one round trip in flight: calls that arrive meanwhile wait for its
 * answer, which serves them in order (the database grants as many whole tokens as are there for the
 * calls waiting), refuses them all, or leaves some for the next round trip. So the database sees at most
 * one take per node and account at a time, however many calls a node has in flight. A settings change
 * drops the lease and the horizon.
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

        static Options from(KmsConfig.RateLimit.Cluster c) {
            return new Options(c.leaseSize(), c.leaseTtl(), c.timeout(), c.fallbackFor());
        }
    }

    /**
     * Leased tokens, the refusal horizon, and the calls waiting for the one round trip in flight of one
     * account (or of the proxy's own calls). Guarded by itself.
     */
    private static final class Lease {
        KmsRateLimiter.Settings settings;
        int remaining;
        long expires;
        long closedUntil;
        boolean closed;
        boolean inFlight;
        final ArrayDeque<UniEmitter<? super Long>> waiting = new ArrayDeque<>();
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
        return Uni.createFrom().emitter(em -> decide(accountId, em));
    }

    private void decide(String accountId, UniEmitter<? super Long> em) {
        KmsRateLimiter.Settings s = local.settings();
        if (!s.enabled()) {
            em.complete(0L);
            return;
        }
        long now = nanoTime.getAsLong();
        if (fallingBack) {
            if (now - fallbackUntil < 0) {
                fallback(accountId, em);
                return;
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
                em.complete(local.record(0));
                return;
            }
            if (lease.closed && now - lease.closedUntil < 0) {
                closedRefusals.increment();
                em.complete(local.record(KmsRateLimiter.REJECTED));
                return;
            }
            lease.waiting.add(em);
            if (lease.inFlight) { // its answer serves this call too (or a round trip after it does)
                return;
            }
            lease.inFlight = true;
        }
        fly(accountId, lease);
    }

    /** One round trip for every call waiting on {@code lease}: at most one in flight per lease. */
    private void fly(String accountId, Lease lease) {
        KmsRateLimiter.Settings s = local.settings();
        int need;
        synchronized (lease) {
            need = lease.waiting.size();
        }
        long asked = nanoTime.getAsLong();
        roundTrips.increment();
        Timer.Sample sample = Timer.start();
        buckets.take(bucketsOf(accountId, s), Math.max(options.leaseSize(), need), need, s.maxWait().toNanos())
                .ifNoItem().after(options.timeout()).fail()
                .subscribe().with(g -> {
                    sample.stop(roundTrip);
                    settle(accountId, lease, s, g, asked);
                }, e -> failed(accountId, lease, e));
    }

    /** Hands a grant out to the waiting calls in order, books the rest as a lease, and flies again if calls are left. */
    private void settle(String accountId, Lease lease, KmsRateLimiter.Settings s, Grant g, long asked) {
        List<UniEmitter<? super Long>> refused = new ArrayList<>();
        List<UniEmitter<? super Long>> served = new ArrayList<>();
        boolean again;
        synchronized (lease) {
            boolean current = lease.settings == s;
            if (g.granted() == 0) {
                if (current) { // from when it was asked: the database measured the wait between then and now
                    lease.closed = true;
                    lease.closedUntil = asked + Math.max(0, g.waitNanos() - s.maxWait().toNanos());
                }
                refused.addAll(lease.waiting);
                lease.waiting.clear();
            } else {
                int left = g.granted();
                while (left > 0 && !lease.waiting.isEmpty()) {
                    served.add(lease.waiting.poll());
                    left--;
                }
                if (current && left > 0) {
                    long now = nanoTime.getAsLong();
                    if (now - lease.expires >= 0) {
                        lease.remaining = 0;
                    }
                    lease.remaining = Math.min(options.leaseSize(), lease.remaining + left);
                    lease.expires = now + options.leaseTtl().toNanos();
                }
            }
            again = !lease.waiting.isEmpty();
            lease.inFlight = again;
        }
        for (int i = 0; i < served.size(); i++) {
            // only a grant of one token can have been reserved ahead: the first call waits, the others do not
            served.get(i).complete(local.record(i == 0 ? g.waitNanos() : 0));
        }
        refused.forEach(em -> em.complete(local.record(KmsRateLimiter.REJECTED)));
        if (again) {
            fly(accountId, lease);
        }
    }

    /** The database failed or was too slow: the local buckets decide the waiting calls, and all calls for a while. */
    private void failed(String accountId, Lease lease, Throwable e) {
        if (!fallingBack) {
            LOG.warnf("KMS rate limit: the shared buckets in PostgreSQL did not answer (%s); each node limits its "
                    + "own calls for %s", e.toString(), options.fallbackFor());
        }
        fallbackUntil = nanoTime.getAsLong() + options.fallbackFor().toNanos();
        fallingBack = true;
        List<UniEmitter<? super Long>> waiting;
        synchronized (lease) {
            waiting = new ArrayList<>(lease.waiting);
            lease.waiting.clear();
            lease.inFlight = false;
        }
        waiting.forEach(em -> fallback(accountId, em));
    }

    private void fallback(String accountId, UniEmitter<? super Long> em) {
        fallbacks.increment();
        em.complete(local.reserve(accountId));
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
