package dev.sseproxy.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The audit trail: CloudTrail events in PostgreSQL, LookupEvents, log files, retention. */
public interface AuditConfig {
    /** Record events at all. Off: no event is recorded, LookupEvents finds nothing. */
    @WithDefault("true")
    boolean enabled();

    /** Events that may wait in memory for the writer; requests wait for a place beyond it. */
    @WithDefault("20000")
    int queueCapacity();

    /** Events per database batch (one multi-row insert in one transaction). */
    @WithDefault("500")
    int batchSize();

    /**
     * The bound on how long an event stays in memory: the writer starts a write as soon as it is
     * free, after a linger of a tenth of this (at most 50 ms) unless a batch is full (group
     * commit: events that arrive during a write and the linger after it go into the next), so an event
     * normally waits only for the write in progress and the linger; a timer at half this interval is the
     * fallback. A kill -9 loses the events of requests that finished within about this long.
     */
    @WithDefault("1s")
    Duration flushInterval();

    /**
     * What happens when the queue is full: {@code wait} (default) holds new S3 requests until a
     * place frees, at most {@link #admissionWait()}, then answers 503 SlowDown, so no event is
     * ever dropped; {@code drop} never delays a request and drops (and counts) the events that
     * find no place.
     */
    @WithDefault("wait")
    Overflow overflow();

    /** How long a new request may wait for a place in a full queue before 503 SlowDown. */
    @WithDefault("5s")
    Duration admissionWait();

    /**
     * Events older than this many days are deleted (at least 1). With log file delivery on, only
     * events already delivered.
     */
    @WithDefault("90")
    int retentionDays();

    /** How often the retention purge runs (the first run: 30 s after start, or sooner). */
    @WithDefault("1h")
    Duration purgeInterval();

    /** Rows the retention purge deletes per statement. */
    @WithDefault("10000")
    int purgeBatch();

    /** Log file delivery. */
    Delivery delivery();

    /** The overflow policy of the event queue. */
    enum Overflow { WAIT, DROP }

    /** CloudTrail log files written through the proxy into a bucket. */
    interface Delivery {
        /** The bucket that receives the log files (it must exist); unset: no delivery. */
        Optional<String> bucket();

        /** A key prefix before {@code AWSLogs/} (CloudTrail's S3KeyPrefix); none by default. */
        Optional<String> prefix();

        /**
         * How often log files are written; at most 5 minutes, as CloudTrail. The uploads are
         * signed with the root account's key ({@code sse-proxy.root.*}), so the root account must
         * own the bucket; every account's events are delivered, each under {@code AWSLogs/<account>/}.
         */
        @WithDefault("5m")
        Duration interval();
    }
}
