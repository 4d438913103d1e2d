package dev.sseproxy.catalog;

import dev.sseproxy.cluster.LeaseStorage;
import dev.sseproxy.cluster.Leases;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's leases in PostgreSQL (table {@code cluster_lease}; protocol in the cluster package
 * documentation): the one implementation of {@link LeaseStorage}. Expiry is judged by the database
 * server's {@code now()}, never a node's clock.
 */
@ApplicationScoped
public class LeaseRows implements LeaseStorage {
    static final String ACQUIRE = "INSERT INTO cluster_lease AS l (name, holder, token, expires_at) "
            + "VALUES ($1, $2, 1, now() + make_interval(secs => $3)) ON CONFLICT (name) DO UPDATE SET "
            + "holder = EXCLUDED.holder, token = l.token + 1, acquired_at = now(), renewed_at = now(), "
            + "expires_at = EXCLUDED.expires_at WHERE l.expires_at <= now() RETURNING token";
    static final String RENEW = "UPDATE cluster_lease SET expires_at = now() + make_interval(secs => $4), "
            + "renewed_at = now() WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > now() RETURNING token";
    static final String RELEASE = "UPDATE cluster_lease SET holder = NULL, expires_at = now() "
            + "WHERE name = $1 AND holder = $2 AND token = $3";
    static final String DELETE = "DELETE FROM cluster_lease WHERE name = $1 AND holder = $2 AND token = $3";
    static final String LIST = "SELECT name, holder, token, acquired_at, renewed_at, expires_at, expires_at > now() "
            + "FROM cluster_lease ORDER BY name";

    private final Pool pool;

    public LeaseRows(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Optional<Long>> acquire(String name, String holder, double seconds) {
        return pool.preparedQuery(ACQUIRE).execute(Tuple.of(name, holder, seconds))
                .map(rows -> rows.size() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    @Override
    public Uni<Boolean> renew(String name, String holder, long token, double seconds) {
        return pool.preparedQuery(RENEW).execute(Tuple.of(name, holder, token, seconds)).map(rows -> rows.size() > 0);
    }

    @Override
    public Uni<Void> release(String name, String holder, long token) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(name, holder, token)).replaceWithVoid();
    }

    @Override
    public Uni<Void> delete(String name, String holder, long token) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(name, holder, token)).replaceWithVoid();
    }

    @Override
    public Uni<List<Leases.Row>> list() {
        return pool.preparedQuery(LIST).execute().map(rows -> {
            List<Leases.Row> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Leases.Row(r.getString(0), r.getString(1), r.getLong(2), r.getOffsetDateTime(3),
                        r.getOffsetDateTime(4), r.getOffsetDateTime(5), r.getBoolean(6)));
            }
            return out;
        });
    }
}
