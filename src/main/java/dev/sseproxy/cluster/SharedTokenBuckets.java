package dev.sseproxy.cluster;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Token buckets shared by every node through PostgreSQL (table {@code kms_rate_bucket}, function
 * {@code kms_rate_take}, migration V15): one database round trip takes tokens from several buckets at
 * once, refilled on the database server's clock. See the package documentation, "Shared token buckets".
 */
@ApplicationScoped
public class SharedTokenBuckets {
    private final Pool pool;

    public SharedTokenBuckets(Pool pool) {
        this.pool = pool;
    }

    /** One bucket: its row name ({@code global}, {@code account:<id>}), refill rate per second and burst. */
    public record Bucket(String name, double rate, double burst) {
    }

    /**
     * What {@link #take} got: {@code granted} tokens from every bucket (0: none, nothing taken), and
     * the nanoseconds to wait before using the first (when it was reserved ahead) or, with nothing
     * granted, the wait that would have been needed.
     */
    public record Grant(int granted, long waitNanos) {
    }

    /**
     * Takes up to {@code want} tokens from each of {@code buckets} (the same number from each, at
     * least one if any): for the {@code need} calls waiting now as many whole tokens as every bucket
     * holds, more (a lease) only while every bucket holds at least four times as many; one reserved
     * ahead when a bucket lacks a whole token and the wait for it is at most {@code maxWaitNanos}; else
     * none.
     */
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
