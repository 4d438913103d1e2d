package dev.sseproxy.coverage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the coverage view (package documentation). */
@ConfigMapping(prefix = "sse-proxy.coverage")
public interface CoverageConfig {
    /**
     * How old the current snapshot may get before some node scans every bucket again (one node at a
     * time, under the {@code coverage-scan} lease). {@code 0s} turns periodic scans off; on-demand
     * scans ({@code POST /admin/coverage/scan}) still work.
     */
    @WithDefault("1h")
    Duration interval();

    /**
     * Serve the read-only page ({@code /coverage}) and its data ({@code /coverage/data.json}) on the
     * management port without authentication, as {@code /q/metrics} is. Off, both answer 404 and the
     * numbers are only at the root-signed {@code GET /admin/coverage} and in the metrics.
     */
    @WithDefault("true")
    boolean pageEnabled();

    /**
     * How often each node checks whether a scan is due and whether a newer snapshot than the one it
     * serves is stored (the backstop for a missed change-feed notification).
     */
    @WithDefault("1m")
    Duration checkEvery();

    /** How long an on-demand scan waits for a scan running elsewhere (or here) to finish before it starts. */
    @WithDefault("10m")
    Duration scanWait();
}
