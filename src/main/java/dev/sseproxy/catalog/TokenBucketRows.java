package dev.sseproxy.catalog;

import dev.sseproxy.cluster.SharedTokenBuckets;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The cluster's shared token buckets in PostgreSQL (table {@code kms_rate_bucket}, function
 * {@code kms_rate_take}, migration V15): the one implementation of {@link SharedTokenBuckets}.
 */
@ApplicationScoped
public class TokenBucketRows implements SharedTokenBuckets {
    private final Pool pool;

    public TokenBucketRows(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Grant> take(List<Bucket> buckets, int want, int need, long maxWaitNanos) {
        String[] names = new String[buckets.size()];
        Double[] rates = new Double[buckets.size()];
        Double[] bursts = new Double[buckets.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = buckets.get(i).name();
            rates[i] = buckets.get(i).rate();
            bursts[i] = buckets.get(i).burst();
        }
        return pool.preparedQuery("SELECT granted, wait_seconds FROM kms_rate_take($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.from(new Object[] {names, rates, bursts, want, need, maxWaitNanos / 1e9})).map(rows -> {
                    Row r = rows.iterator().next();
                    return new Grant(r.getInteger(0), (long) Math.ceil(r.getDouble(1) * 1e9));
                });
    }
}
