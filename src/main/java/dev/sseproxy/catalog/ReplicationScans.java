package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The scans of existing objects that {@code ExistingObjectReplication} asks for (table {@code replication_scan},
 * migration V28): which buckets need one (their stored configuration asks for it and no scan was started for
 * this very configuration), and each scan's progress. The scan itself is {@code replication.ExistingObjects}.
 */
@ApplicationScoped
public class ReplicationScans {
    /** A scan: its bucket, the configuration it queues for, when it started, the last key it queued (null: none). */
    public record Scan(String bucket, String config, OffsetDateTime startedAt, String afterKey) {
    }

    private final Pool pool;

    public ReplicationScans(Pool pool) {
        this.pool = pool;
    }

    /**
     * Starts a scan for every bucket whose configuration asks for existing objects and has none for that
     * configuration yet (a configuration put again with changes starts over); returns the unfinished scans.
     */
    public Uni<List<Scan>> due() {
        return pool.query("INSERT INTO replication_scan AS s (bucket, config) SELECT name, replication FROM bucket "
                + "WHERE replication LIKE '%\"existingObjectReplication\":true%' ON CONFLICT (bucket) DO UPDATE SET "
                + "config = EXCLUDED.config, started_at = now(), after_key = NULL, done = false, queued = 0, updated_at = now() "
                + "WHERE s.config <> EXCLUDED.config").execute()
                .chain(x -> pool.query("SELECT bucket, config, started_at, after_key FROM replication_scan WHERE NOT done "
                        + "ORDER BY updated_at").execute())
                .map(rows -> {
                    List<Scan> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Scan(r.getString(0), r.getString(1), r.getOffsetDateTime(2), r.getString(3)));
                    }
                    return out;
                });
    }

    /** Records a page's progress (only for the configuration the scan was for); false when the scan was restarted. */
    public Uni<Boolean> advance(Scan s, String afterKey, int queued, boolean done) {
        return pool.preparedQuery("UPDATE replication_scan SET after_key = $3, queued = queued + $4, done = $5, "
                + "updated_at = now() WHERE bucket = $1 AND config = $2 AND NOT done")
                .execute(Tuple.of(s.bucket(), s.config(), afterKey, queued, done)).map(r -> r.rowCount() == 1);
    }
}
