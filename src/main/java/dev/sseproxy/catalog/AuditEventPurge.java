package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/** Deletes audit events past their retention ({@code audit_event}), a bounded batch per statement. */
@ApplicationScoped
public class AuditEventPurge {
    private static final String DELETE = "DELETE FROM audit_event WHERE event_id IN (SELECT event_id FROM audit_event "
            + "WHERE event_time < $1 LIMIT $2)";
    private static final String DELETE_DELIVERED = "DELETE FROM audit_event WHERE event_id IN (SELECT event_id "
            + "FROM audit_event WHERE event_time < $1 AND delivered LIMIT $2)";

    private final Pool pool;

    public AuditEventPurge(Pool pool) {
        this.pool = pool;
    }

    /**
     * Deletes at most {@code batch} events older than {@code cutoff} (only delivered ones when
     * {@code deliveredOnly}, so that log delivery loses none) and answers how many it deleted.
     */
    public Uni<Integer> deleteOlderThan(OffsetDateTime cutoff, int batch, boolean deliveredOnly) {
        return pool.preparedQuery(deliveredOnly ? DELETE_DELIVERED : DELETE).execute(Tuple.of(cutoff, batch))
                .map(rows -> rows.rowCount());
    }
}
