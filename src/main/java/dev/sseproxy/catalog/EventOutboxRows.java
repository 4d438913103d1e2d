package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The event notifications' outbox (table {@code event_outbox}, migration V24; {@code dev.sseproxy.notify}
 * delivers it): one row per message and target, deleted once delivered, its next attempt moved back after
 * a failure.
 */
@ApplicationScoped
public class EventOutboxRows {

    /** A message to record for one target. */
    public record NewRow(String target, String payload) {
    }

    /** A due row a delivery round holds locked. */
    public record Claimed(long id, String target, String payload, int attempts, OffsetDateTime createdAt) {
    }

    /** A row to try again {@code afterSeconds} from now, with the failure that made it wait. */
    public record Retry(long id, double afterSeconds, String error) {
    }

    /** What a round did with the rows it held: delete the delivered, delay the retried; others stay as they were. */
    public record Settlement(List<Long> delivered, List<Retry> retries) {
    }

    private final Pool pool;

    public EventOutboxRows(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(List<NewRow> rows) {
        return insert(pool, rows);
    }

    /** Inserts through a client: the pool, or a connection in another repository's transaction. */
    static Uni<Void> insert(SqlClient client, List<NewRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> tuples = new ArrayList<>(rows.size());
        for (NewRow m : rows) {
            tuples.add(Tuple.of(m.target(), m.payload()));
        }
        return client.preparedQuery("INSERT INTO event_outbox (target, payload) VALUES ($1, $2)").executeBatch(tuples)
                .replaceWithVoid();
    }

    /** The rows in the outbox, counted up to {@code limit} (the count stops there: it need not scan a full table). */
    public Uni<Long> countUpTo(long limit) {
        return pool.query("SELECT count(*) FROM (SELECT 1 FROM event_outbox LIMIT " + Math.max(0, limit) + ") c")
                .execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * One delivery round in one transaction: locks up to {@code batch} due rows, oldest first, skipping rows
     * another node holds ({@code FOR UPDATE SKIP LOCKED}); {@code work} delivers them and answers what to
     * settle, which is written before the locks are released. Emits how many rows were taken.
     */
    public Uni<Integer> round(int batch, Function<List<Claimed>, Uni<Settlement>> work) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                "SELECT id, target, payload, attempts, created_at FROM event_outbox WHERE next_attempt_at <= now() "
                        + "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED").execute(Tuple.of(batch))
                .chain(rows -> {
                    List<Claimed> taken = new ArrayList<>();
                    for (Row r : rows) {
                        taken.add(new Claimed(r.getLong(0), r.getString(1), r.getString(2), r.getInteger(3),
                                r.getOffsetDateTime(4)));
                    }
                    if (taken.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return work.apply(taken).chain(s -> settle(conn, s)).replaceWith(taken.size());
                }));
    }

    private static Uni<Void> settle(SqlConnection conn, Settlement s) {
        Uni<Void> del = s.delivered().isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery("DELETE FROM event_outbox WHERE id = ANY($1)")
                        .execute(Tuple.of(s.delivered().toArray(new Long[0]))).replaceWithVoid();
        List<Tuple> later = new ArrayList<>(s.retries().size());
        for (Retry r : s.retries()) {
            later.add(Tuple.of(r.id(), r.afterSeconds(), r.error()));
        }
        Uni<Void> upd = later.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery("UPDATE event_outbox SET attempts = attempts + 1, "
                        + "next_attempt_at = now() + make_interval(secs => $2), last_error = left($3, 1000) WHERE id = $1")
                        .executeBatch(later).replaceWithVoid();
        return del.chain(() -> upd);
    }
}
