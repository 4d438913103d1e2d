package dev.sseproxy.cluster;

import dev.sseproxy.config.SseProxyConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Leases in PostgreSQL (protocol in the package documentation): acquire, renew by heartbeat, release,
 * and the fencing check that writes under a lease carry. The rows are {@link LeaseStorage}'s (the
 * catalog's); this class keeps what this node holds and for how long it may trust that.
 */
@ApplicationScoped
@Startup
public class Leases {
    private static final Logger LOG = Logger.getLogger(Leases.class);

    /** A lease this node acquired: the work's name, this node's id, and the fencing token. */
    public record Lease(String name, String holder, long token) {
    }

    /** A row of {@code cluster_lease}, as the admin API shows it. */
    public record Row(String name, String holder, long token, OffsetDateTime acquiredAt, OffsetDateTime renewedAt,
            OffsetDateTime expiresAt, boolean live) {
    }

    /** Thrown by work that finds its lease gone: it stops, without marking anything failed. */
    public static final class LostException extends RuntimeException {
        public LostException(Lease lease) {
            super("lease " + lease.name() + " (token " + lease.token() + ") is no longer held by this node");
        }
    }

    private record Held(Lease lease, long validUntilNanos) {
    }

    private final LeaseStorage rows;
    private final Vertx vertx;
    private final Duration duration;
    private final String node;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Set<String> kept = ConcurrentHashMap.newKeySet();
    private final List<Runnable> heartbeatListeners = new CopyOnWriteArrayList<>();
    private final MeterRegistry meters;
    private final Counter acquired;
    private final Counter lost;
    private long timer = -1;

    @Inject
    public Leases(LeaseStorage rows, Vertx vertx, SseProxyConfig config, MeterRegistry meters) {
        this(rows, vertx, config.jobs().leaseDuration(), nodeId(), meters);
    }

    /** For tests: a node of the given id. */
    public Leases(LeaseStorage rows, Vertx vertx, Duration duration, String node, MeterRegistry meters) {
        if (duration.toMillis() < 300) {
            throw new IllegalStateException("sse-proxy.jobs.lease-duration is " + duration + ": it must be at least 300ms");
        }
        this.rows = rows;
        this.vertx = vertx;
        this.duration = duration;
        this.node = node;
        this.meters = meters;
        Gauge.builder("sse.proxy.cluster.leases.held", held, Map::size)
                .description("leases this node holds (background work it runs for the cluster)").register(meters);
        this.acquired = Counter.builder("sse.proxy.cluster.lease.acquired")
                .description("leases this node acquired").register(meters);
        this.lost = Counter.builder("sse.proxy.cluster.lease.lost")
                .description("leases this node lost before releasing them (renewal refused or too late)").register(meters);
    }

    /** {@code <host>:<pid>:<6 random hex>}: new at every start. */
    static String nodeId() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElseGet(() -> {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "node";
            }
        });
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        return host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(r);
    }

    @PostConstruct
    void start() {
        timer = vertx.setPeriodic(renewInterval().toMillis(), t -> heartbeat());
        LOG.infof("cluster leases: node %s, lease duration %s, renewed every %s", node, duration, renewInterval());
    }

    /** Releases every lease held, so other nodes take the work over at once (a graceful stop). */
    void stop(@Observes ShutdownEvent ev) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        kept.clear();
        List<Uni<Void>> releases = new ArrayList<>();
        for (Held h : List.copyOf(held.values())) {
            releases.add(release(h.lease()));
        }
        if (!releases.isEmpty()) {
            try {
                Uni.join().all(releases).andCollectFailures().await().atMost(Duration.ofSeconds(3));
                LOG.infof("cluster leases: released %d on stop", releases.size());
            } catch (RuntimeException e) {
                LOG.warnf("cluster leases: could not release all on stop (%s); they expire in %s", e.getMessage(), duration);
            }
        }
    }

    /** This node's id (the {@code holder} of its leases). */
    public String node() {
        return node;
    }

    public Duration duration() {
        return duration;
    }

    /** How often leases are renewed (a third of the duration). */
    public Duration renewInterval() {
        return duration.dividedBy(3);
    }

    /** Runs at every heartbeat, after the renewals were sent (e.g. to look for orphaned work). */
    public void onHeartbeat(Runnable r) {
        heartbeatListeners.add(r);
    }

    /**
     * Keeps trying to hold this lease: at once and at every heartbeat while another node holds it.
     * For work that one node at a time does for the cluster; see {@link #held(String)}.
     */
    public void keep(String name) {
        if (kept.add(name)) {
            Gauge.builder("sse.proxy.cluster.lease.held", () -> held(name).isPresent() ? 1 : 0).tag("lease", name)
                    .description("1 on the node that holds this lease").register(meters);
            tryAcquire(name).subscribe().with(l -> { }, e -> { });
        }
    }

    /** The lease of this name if this node holds it and it is valid by the local (conservative) clock. */
    public Optional<Lease> held(String name) {
        Held h = held.get(name);
        return h != null && System.nanoTime() - h.validUntilNanos() < 0 ? Optional.of(h.lease()) : Optional.empty();
    }

    /** Whether this node still holds this lease (same token), by the local clock; fenced writes decide for good. */
    public boolean valid(Lease lease) {
        return held(lease.name()).filter(l -> l.token() == lease.token()).isPresent();
    }

    /** Takes this lease if nobody holds it (or it expired); empty when another node holds it. */
    public Uni<Optional<Lease>> tryAcquire(String name) {
        Optional<Lease> mine = held(name);
        if (mine.isPresent()) {
            return Uni.createFrom().item(mine);
        }
        long sent = System.nanoTime();
        return rows.acquire(name, node, seconds(duration)).map(token -> {
            if (token.isEmpty()) {
                return Optional.<Lease>empty();
            }
            Lease l = new Lease(name, node, token.get());
            held.put(name, new Held(l, deadline(sent)));
            acquired.increment();
            LOG.infof("cluster lease %s acquired by %s (token %d)", name, node, l.token());
            return Optional.of(l);
        });
    }

    /** Renews this lease now; false (and dropped) when it is no longer this node's. */
    public Uni<Boolean> renew(Lease lease) {
        long sent = System.nanoTime();
        return rows.renew(lease.name(), node, lease.token(), seconds(duration))
                .map(renewed -> {
                    if (!renewed) {
                        Held h = held.get(lease.name());
                        if (h != null && h.lease().token() == lease.token() && held.remove(lease.name(), h)) {
                            lost.increment();
                            LOG.warnf("cluster lease %s (token %d) lost by %s: it expired before its renewal",
                                    lease.name(), lease.token(), node);
                        }
                        return false;
                    }
                    held.computeIfPresent(lease.name(), (n, h) -> h.lease().token() == lease.token()
                            ? new Held(lease, deadline(sent)) : h);
                    return true;
                });
    }

    /** Gives a lease back (another node may take it at once); the row and its token stay. */
    public Uni<Void> release(Lease lease) {
        held.computeIfPresent(lease.name(), (n, h) -> h.lease().token() == lease.token() ? null : h);
        return rows.release(lease.name(), node, lease.token());
    }

    /** Gives a lease back and deletes its row: for work that ended for good (a finished job). */
    public Uni<Void> delete(Lease lease) {
        held.computeIfPresent(lease.name(), (n, h) -> h.lease().token() == lease.token() ? null : h);
        return rows.delete(lease.name(), node, lease.token());
    }

    /** Every lease row of the cluster. */
    public Uni<List<Row>> list() {
        return rows.list();
    }

    /**
     * The fencing condition for a write under a lease, with the lease's name and token as parameters
     * {@code $<nameParam>} and {@code $<nameParam + 1>}: true only while that lease is live with that
     * token, and it locks the lease row (FOR SHARE) until the write's transaction ends, so a takeover
     * waits for the write, and a write after a takeover is refused.
     */
    public static String fence(int nameParam) {
        return "EXISTS (SELECT 1 FROM cluster_lease WHERE name = $" + nameParam + " AND token = $" + (nameParam + 1)
                + " AND expires_at > now() FOR SHARE)";
    }

    /** Renews what this node holds, tries to take the leases it keeps, then tells the listeners. */
    void heartbeat() {
        for (Held h : List.copyOf(held.values())) {
            if (System.nanoTime() - h.validUntilNanos() >= 0 && held.remove(h.lease().name(), h)) {
                lost.increment();
                LOG.warnf("cluster lease %s (token %d): no renewal succeeded in time, dropped by %s", h.lease().name(),
                        h.lease().token(), node);
                continue;
            }
            renew(h.lease()).subscribe().with(ok -> { }, e -> LOG.warnf("cluster lease %s: renewal failed (%s)",
                    h.lease().name(), e.getMessage()));
        }
        for (String name : kept) {
            if (!held.containsKey(name)) {
                tryAcquire(name).subscribe().with(l -> { }, e -> LOG.debugf("cluster lease %s: cannot acquire (%s)",
                        name, e.getMessage()));
            }
        }
        for (Runnable r : heartbeatListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "cluster lease heartbeat listener failed");
            }
        }
    }

    private long deadline(long sentNanos) {
        return sentNanos + duration.toNanos() / 5 * 4;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
