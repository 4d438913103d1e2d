package dev.sseproxy.accesslog;

import dev.sseproxy.catalog.BucketLogging;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of this node not yet delivered, one batch per source bucket and target (and, for a
 * partition by event time, per day), bounded: at most {@code maxBuffered} characters of record text
 * are held, counting batches being delivered until {@link #released}; a batch that reaches
 * {@code maxObject} is handed back to be delivered at once. Thread-safe (request listeners run on
 * every event loop).
 */
final class PendingLogs {

    /** Where a batch goes: its source bucket and the logging configuration in force when its first record came. */
    record Target(String sourceBucket, String sourceOwner, String sourceRegion, BucketLogging config, String eventDay) {
    }

    /** Records for one log object. */
    static final class Batch {
        final Target target;
        final Instant firstEvent;
        final StringBuilder text = new StringBuilder(4096);
        int records;

        Batch(Target target, Instant firstEvent) {
            this.target = target;
            this.firstEvent = firstEvent;
        }

        long size() {
            return text.length();
        }
    }

    /** What {@link #add} did: the batch it filled (deliver it now), or whether the record was kept. */
    record Added(boolean kept, Batch full) {
    }

    private final long maxBuffered;
    private final long maxObject;
    private final Map<Target, Batch> open = new HashMap<>();
    private long buffered;

    PendingLogs(long maxBuffered, long maxObject) {
        this.maxBuffered = maxBuffered;
        this.maxObject = maxObject;
    }

    synchronized Added add(Target target, Instant time, String record) {
        long size = record.length() + 1L;
        if (buffered + size > maxBuffered) {
            return new Added(false, null);
        }
        buffered += size;
        Batch b = open.computeIfAbsent(target, t -> new Batch(t, time));
        b.text.append(record).append('\n');
        b.records++;
        if (b.size() >= maxObject) {
            open.remove(target);
            return new Added(true, b);
        }
        return new Added(true, null);
    }

    /** Every open batch, which the caller delivers (and then {@link #released}). */
    synchronized List<Batch> takeAll() {
        List<Batch> all = new ArrayList<>(open.values());
        open.clear();
        return all;
    }

    /** A batch taken earlier is delivered (or given up): its text no longer counts. */
    synchronized void released(Batch b) {
        buffered -= b.size();
    }

    synchronized long buffered() {
        return buffered;
    }
}
