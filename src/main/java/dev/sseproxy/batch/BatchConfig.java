package dev.sseproxy.batch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of S3 Batch Operations (package documentation, "Runner"). */
@ConfigMapping(prefix = "sse-proxy.batch")
public interface BatchConfig {
    /**
     * Tasks a node starts per second for one job at most (a copy re-encrypts one object), so a job does
     * not starve live traffic; KMS calls also take permits from the KMS rate limiter.
     */
    @WithDefault("100")
    double tasksPerSecond();

    /**
     * Tasks of one job in flight at once on a node (a task waits mostly on MinIO and PostgreSQL: 16 in
     * flight re-encrypted 47 small objects/s on a loaded 2-core machine, 8 in flight 29/s).
     */
    @WithDefault("16")
    int concurrency();

    /** Jobs a node runs at once (the highest priorities first); others wait for a slot. */
    @WithDefault("2")
    int jobsPerNode();

    /** Rows per completion-report CSV file (each file is written from memory). */
    @WithDefault("20000")
    int reportRowsPerFile();
}
