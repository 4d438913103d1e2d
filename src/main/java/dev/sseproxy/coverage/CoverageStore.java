package dev.sseproxy.coverage;

import dev.sseproxy.catalog.CoverageSnapshots;
import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The snapshots in PostgreSQL ({@code coverage_snapshot}, V20) and the one this node serves: the
 * newest it has seen, loaded at start, when the change feed announces a new one ({@code coverage:<id>}),
 * and on every check (the backstop for a missed notification). Serving it costs no query.
 */
@ApplicationScoped
public class CoverageStore {
    private static final Logger LOG = Logger.getLogger(CoverageStore.class);
    /** How many snapshots are kept (the newest is the current one). */
    static final int KEPT = CoverageSnapshots.KEPT;

    /** A bucket of the catalog and its owner. */
    public record CatalogBucket(String name, String account) {
    }

    private final CoverageSnapshots snapshots;
    private final CoverageGauges gauges;
    private final AtomicReference<CoverageSnapshot> current = new AtomicReference<>();

    public CoverageStore(CoverageSnapshots snapshots, CoverageGauges gauges) {
        this.snapshots = snapshots;
        this.gauges = gauges;
    }

    /** The snapshot this node serves; empty before the first scan of the cluster. */
    public Optional<CoverageSnapshot> current() {
        return Optional.ofNullable(current.get());
    }

    /**
     * The newest stored snapshot (served from now on if it is newer than the current one). Reads the
     * newest id first: the document is read only when this node does not serve it yet.
     */
    public Uni<Optional<CoverageSnapshot>> latest() {
        return snapshots.newestId().chain(newest -> {
            if (newest.isEmpty()) {
                return Uni.createFrom().item(Optional.<CoverageSnapshot>empty());
            }
            long id = newest.get();
            CoverageSnapshot mine = current.get();
            if (mine != null && mine.id() == id) {
                return Uni.createFrom().item(Optional.of(mine));
            }
            return snapshots.latest().map(doc -> doc.map(r -> {
                CoverageSnapshot s = CoverageJson.read(r.id(), r.node(), r.document());
                install(s);
                return s;
            }));
        });
    }

    /** Loads the newest stored snapshot in the background; a failure is logged (the next check retries). */
    public void reload() {
        latest().subscribe().with(s -> { }, e -> LOG.warnf("coverage: cannot load the latest snapshot (%s)",
                e.getMessage()));
    }

    /**
     * Stores a snapshot, fenced by the scan's lease (refused with {@link Leases.LostException} when
     * another node took it over), serves it here at once, and prunes the old ones.
     */
    public Uni<CoverageSnapshot> save(CoverageSnapshot s, Leases.Lease lease) {
        String document = CoverageJson.write(s).toString();
        return snapshots.insert(lease, s.scannedAt(), s.durationMillis(), s.node(), document)
                .map(id -> {
                    if (id.isEmpty()) {
                        throw new Leases.LostException(lease);
                    }
                    CoverageSnapshot stored = s.withId(id.get());
                    install(stored);
                    return stored;
                })
                .call(stored -> snapshots.prune(stored.id()));
    }

    /** Every bucket of the catalog, in name order. */
    public Uni<List<CatalogBucket>> catalog() {
        return snapshots.buckets().map(all -> {
            List<CatalogBucket> out = new ArrayList<>();
            all.forEach(b -> out.add(new CatalogBucket(b.name(), b.account())));
            return out;
        });
    }

    /** Serves {@code s} if it is newer than what this node serves. */
    private synchronized void install(CoverageSnapshot s) {
        CoverageSnapshot prev = current.get();
        if (prev == null || s.id() > prev.id()) {
            current.set(s);
            gauges.show(s);
            LOG.debugf("coverage: serving snapshot %d of %s", s.id(), s.scannedAt());
        }
    }
}
