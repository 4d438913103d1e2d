package dev.sseproxy.coverage;

import dev.sseproxy.catalog.CatalogException;
import dev.sseproxy.cluster.Leases;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.inventory.ObjectScan;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs coverage scans (package documentation, "Scans"): one at a time in the cluster, on the node
 * that holds the {@value #LEASE} lease; periodically when the current snapshot is older than
 * {@code sse-proxy.coverage.interval}, and on demand ({@link #scan}).
 */
@ApplicationScoped
public class CoverageScanner {
    /** The lease a scan runs under. */
    public static final String LEASE = "coverage-scan";
    static final Duration RETRY = Duration.ofMillis(250);
    private static final Logger LOG = Logger.getLogger(CoverageScanner.class);

    private final ObjectScan objects;
    private final CoverageStore store;
    private final Leases leases;
    private final Vertx vertx;
    private final CoverageConfig config;
    private final Clock clock = Clock.systemUTC();
    /** A scan runs on this node (one at a time: the lease is the node's, not the scan's). */
    private final AtomicBoolean busy = new AtomicBoolean();
    private long timer = -1;

    public CoverageScanner(ObjectScan objects, CoverageStore store, Leases leases, Vertx vertx, CoverageConfig config) {
        this.objects = objects;
        this.store = store;
        this.leases = leases;
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        store.reload();
        long every = Math.max(1000, config.checkEvery().toMillis());
        timer = vertx.setPeriodic(every, t -> check());
        LOG.infof("coverage: %s; checking every %d ms", config.interval().isZero() || config.interval().isNegative()
                ? "periodic scans off (sse-proxy.coverage.interval=0)" : "a scan of every bucket when the last is older "
                + "than " + config.interval(), every);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Scans one bucket (its entry in the current snapshot is replaced) or, when empty, every bucket of
     * the catalog; answers the stored snapshot. Waits (up to {@code sse-proxy.coverage.scan-wait}) for
     * a scan running elsewhere to end first; fails with 404 for a bucket not in the catalog and 503
     * when the wait ends.
     */
    public Uni<CoverageSnapshot> scan(Optional<String> bucket) {
        Uni<Void> exists = bucket.isEmpty() ? Uni.createFrom().voidItem() : store.catalog().invoke(all -> {
            if (all.stream().noneMatch(b -> b.name().equals(bucket.get()))) {
                throw new CatalogException.NotFound("bucket " + bucket.get());
            }
        }).replaceWithVoid();
        long deadline = System.nanoTime() + config.scanWait().toNanos();
        return exists.chain(v -> acquire(deadline)).chain(lease -> runAndRelease(bucket, lease));
    }

    /** Takes this node's turn and the lease, retrying every {@link #RETRY} until {@code deadline}. */
    private Uni<Leases.Lease> acquire(long deadline) {
        Uni<Optional<Leases.Lease>> attempt = busy.compareAndSet(false, true)
                ? leases.tryAcquire(LEASE).invoke(l -> {
                    if (l.isEmpty()) {
                        busy.set(false);
                    }
                }).onFailure().invoke(e -> busy.set(false))
                : Uni.createFrom().item(Optional.empty());
        return attempt.chain(l -> {
            if (l.isPresent()) {
                return Uni.createFrom().item(l.get());
            }
            if (System.nanoTime() - deadline >= 0) {
                return Uni.createFrom().failure(S3Exception.of(S3ErrorCode.SERVICE_UNAVAILABLE,
                        "a coverage scan is still running after " + config.scanWait() + "; try again later"));
            }
            return Uni.createFrom().<Void>emitter(em -> vertx.setTimer(RETRY.toMillis(), t -> em.complete(null)))
                    .chain(x -> acquire(deadline));
        });
    }

    /** Runs a scan under {@code lease} (this node's turn taken), then gives both back. */
    private Uni<CoverageSnapshot> runAndRelease(Optional<String> bucket, Leases.Lease lease) {
        return run(bucket, lease)
                .eventually(() -> leases.release(lease).onFailure().recoverWithNull())
                .eventually(() -> busy.set(false));
    }

    /** The periodic check: load a newer snapshot if one is stored, then scan everything if it is due. */
    void check() {
        Duration interval = config.interval();
        store.latest().subscribe().with(latest -> {
            if (interval.isZero() || interval.isNegative() || !due(latest, interval) || !busy.compareAndSet(false, true)) {
                return;
            }
            leases.tryAcquire(LEASE)
                    .chain(l -> l.isEmpty() ? Uni.createFrom().item(Optional.<CoverageSnapshot>empty())
                            // another node may have scanned between our read and the lease
                            : store.latest().chain(again -> due(again, interval)
                                    ? run(Optional.empty(), l.get()).map(Optional::of)
                                    : Uni.createFrom().item(Optional.<CoverageSnapshot>empty()))
                                    .eventually(() -> leases.release(l.get()).onFailure().recoverWithNull()))
                    .eventually(() -> busy.set(false))
                    .subscribe().with(s -> s.ifPresent(x -> LOG.infof("coverage: periodic scan done, %d buckets, "
                            + "%d objects in %d ms", x.buckets().size(), x.totals().objects(), x.durationMillis())),
                            e -> LOG.warnf("coverage: periodic scan failed (%s)", e.getMessage()));
        }, e -> LOG.warnf("coverage: cannot read the latest snapshot (%s)", e.getMessage()));
    }

    /** Whether the oldest part of the snapshot (a scan of one bucket refreshes only that one) is older than the interval. */
    private boolean due(Optional<CoverageSnapshot> latest, Duration interval) {
        if (latest.isEmpty()) {
            return true;
        }
        java.time.Instant oldest = latest.get().buckets().stream().map(BucketCoverage::scannedAt)
                .min(java.util.Comparator.naturalOrder()).filter(t -> t.isBefore(latest.get().scannedAt()))
                .orElse(latest.get().scannedAt());
        return !oldest.plus(interval).isAfter(clock.instant());
    }

    /** The scan itself, on a fresh duplicated context as a request would run. */
    private Uni<CoverageSnapshot> run(Optional<String> only, Leases.Lease lease) {
        return Uni.createFrom().<CoverageSnapshot>emitter(em -> {
            io.vertx.core.Context ctx = io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(
                    vertx.getOrCreateContext());
            ctx.runOnContext(v -> runHere(only, lease).subscribe().with(em::complete, em::fail));
        });
    }

    private Uni<CoverageSnapshot> runHere(Optional<String> only, Leases.Lease lease) {
        long started = System.nanoTime();
        return store.catalog().chain(catalog -> {
            List<CoverageStore.CatalogBucket> targets = only.map(name -> catalog.stream()
                    .filter(b -> b.name().equals(name)).toList()).orElse(catalog);
            return Multi.createFrom().iterable(targets).onItem().transformToUniAndConcatenate(b -> scanBucket(b, lease))
                    .collect().asList()
                    .chain(scanned -> only.isEmpty() ? Uni.createFrom().item(scanned)
                            : store.latest().map(prev -> merge(prev, scanned, catalog)))
                    .map(list -> CoverageSnapshot.of(clock.instant(), (System.nanoTime() - started) / 1_000_000,
                            leases.node(), list))
                    .chain(s -> store.save(s, lease));
        }).invoke(s -> LOG.infof("coverage: snapshot %d (%s): %d buckets, %d objects, %d NOT-SSE, in %d ms", s.id(),
                only.orElse("every bucket"), s.buckets().size(), s.totals().objects(),
                s.totals().byStatus().get(dev.sseproxy.inventory.EncryptionStatus.NOT_SSE).objects(), s.durationMillis()));
    }

    /** One bucket, a page at a time: only the counts are kept. A bucket the backend cannot list is reported with its error. */
    private Uni<BucketCoverage> scanBucket(CoverageStore.CatalogBucket bucket, Leases.Lease lease) {
        Tally.Builder tally = new Tally.Builder();
        return objects.pages(bucket.name(), null).onItem().invoke(page -> {
            if (!leases.valid(lease)) {
                throw new Leases.LostException(lease);
            }
            tally.add(page);
        }).onItem().ignoreAsUni()
                .map(v -> new BucketCoverage(bucket.name(), bucket.account(), clock.instant(), tally.build(),
                        Optional.empty()))
                .onFailure(e -> !(e instanceof Leases.LostException)).recoverWithItem(e -> {
                    LOG.warnf("coverage: cannot scan bucket %s (%s)", bucket.name(), e.getMessage());
                    return new BucketCoverage(bucket.name(), bucket.account(), clock.instant(), Tally.EMPTY,
                            Optional.of(String.valueOf(e.getMessage())));
                });
    }

    /** The previous snapshot's buckets with the rescanned ones replaced, in catalog order, without deleted buckets. */
    static List<BucketCoverage> merge(Optional<CoverageSnapshot> prev, List<BucketCoverage> scanned,
            List<CoverageStore.CatalogBucket> catalog) {
        Map<String, BucketCoverage> fresh = scanned.stream().collect(Collectors.toMap(BucketCoverage::bucket,
                Function.identity()));
        Map<String, BucketCoverage> old = prev.map(p -> p.buckets().stream().collect(Collectors.toMap(
                BucketCoverage::bucket, Function.identity()))).orElse(Map.of());
        List<BucketCoverage> out = new ArrayList<>();
        for (CoverageStore.CatalogBucket b : catalog) {
            BucketCoverage c = fresh.getOrDefault(b.name(), old.get(b.name()));
            if (c != null) {
                out.add(new BucketCoverage(c.bucket(), b.account(), c.scannedAt(), c.tally(), c.error()));
            }
        }
        return out;
    }
}
