package dev.sseproxy.coverage;

import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    static final int KEPT = 10;
    static final String INSERT = "INSERT INTO coverage_snapshot (scanned_at, duration_millis, node, document) "
            + "SELECT $3, $4, $5, $6 WHERE " + Leases.fence(1) + " RETURNING id";
    static final String PRUNE = "DELETE FROM coverage_snapshot WHERE id <= $1 - " + KEPT;
    static final String NEWEST = "SELECT max(id) FROM coverage_snapshot HAVING max(id) IS NOT NULL";
    static final String LATEST = "SELECT id, node, document FROM coverage_snapshot ORDER BY id DESC LIMIT 1";

    /** A bucket of the catalog and its owner. */
    public record CatalogBucket(String name, String account) {
    }

    private final Pool pool;
    private final CoverageGauges gauges;
    private final AtomicReference<CoverageSnapshot> current = new AtomicReference<>();

    public CoverageStore(Pool pool, CoverageGauges gauges) {
        this.pool = pool;
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
        return pool.preparedQuery(NEWEST).execute().chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<CoverageSnapshot>empty());
            }
            long id = rows.iterator().next().getLong(0);
            CoverageSnapshot mine = current.get();
            if (mine != null && mine.id() == id) {
                return Uni.createFrom().item(Optional.of(mine));
            }
            return pool.preparedQuery(LATEST).execute().map(doc -> {
                for (Row r : doc) {
                    CoverageSnapshot s = CoverageJson.read(r.getLong(0), r.getString(1), r.getString(2));
                    install(s);
                    return Optional.of(s);
                }
                return Optional.<CoverageSnapshot>empty();
            });
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
        return pool.preparedQuery(INSERT).execute(Tuple.of(lease.name(), lease.token(),
                OffsetDateTime.ofInstant(s.scannedAt(), ZoneOffset.UTC), s.durationMillis(), s.node(), document))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new Leases.LostException(lease);
                    }
                    CoverageSnapshot stored = s.withId(rows.iterator().next().getLong(0));
                    install(stored);
                    return stored;
                })
                .call(stored -> pool.preparedQuery(PRUNE).execute(Tuple.of(stored.id())));
    }

    /** Every bucket of the catalog, in name order. */
    public Uni<List<CatalogBucket>> catalog() {
        return pool.preparedQuery("SELECT name, owner_id FROM bucket ORDER BY name").execute().map(rows -> {
            List<CatalogBucket> out = new ArrayList<>();
            rows.forEach(r -> out.add(new CatalogBucket(r.getString(0), r.getString(1))));
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
