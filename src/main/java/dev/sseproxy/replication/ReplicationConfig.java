package dev.sseproxy.replication;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the replication engine (package documentation, "Queue and workers"). */
@ConfigMapping(prefix = "sse-proxy.replication")
public interface ReplicationConfig {
    /** Most replications one node runs at once (0: this node replicates nothing, the queue still fills). */
    @WithDefault("2")
    int workers();

    /** How often each node looks for due rows when no local write woke it. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long a node's claim on a row lasts without renewal: a dead node's rows are taken again after it. */
    @WithDefault("60s")
    Duration claimLease();

    /** The wait before the first retry of a failed replication; doubled at each further failure. */
    @WithDefault("1s")
    Duration retryFirst();

    /** The longest wait between retries. */
    @WithDefault("5m")
    Duration retryMax();

    /** Attempts before a row is FAILED (403 AccessDenied and a missing source fail at once). */
    @WithDefault("10")
    int maxAttempts();

    /** Most replications one node starts per second (0: no limit besides the KMS rate limiter). */
    @WithDefault("0")
    double maxPerSecond();
}
