package dev.sseproxy.cluster;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Token buckets shared by every node (PostgreSQL: table {@code kms_rate_bucket}, function
 * {@code kms_rate_take}, migration V15, behind {@code dev.sseproxy.catalog.TokenBucketRows}): one database
 * round trip takes tokens from several buckets at once, refilled on the database server's clock. See the
 * package documentation, "Shared token buckets". A port, so that {@code cluster} does not know the catalog.
 */
public interface SharedTokenBuckets {

    /** One bucket: its row name ({@code global}, {@code account:<id>}), refill rate per second and burst. */
    record Bucket(String name, double rate, double burst) {
    }

    /**
     * What {@link #take} got: {@code granted} tokens from every bucket (0: none, nothing taken), and
     * the nanoseconds to wait before using the first (when it was reserved ahead) or, with nothing
     * granted, the wait that would have been needed.
     */
    record Grant(int granted, long waitNanos) {
    }

    /**
     * Takes up to {@code want} tokens from each of {@code buckets} (the same number from each, at
     * least one if any): for the {@code need} calls waiting now as many whole tokens as every bucket
     * holds, more (a lease) only while every bucket holds at least four times as many; one reserved
     * ahead when a bucket lacks a whole token and the wait for it is at most {@code maxWaitNanos}; else
     * none.
     */
    Uni<Grant> take(List<Bucket> buckets, int want, int need, long maxWaitNanos);
}
