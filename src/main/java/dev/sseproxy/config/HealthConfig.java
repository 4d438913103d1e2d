package dev.sseproxy.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the readiness checks call their dependency. */
public interface HealthConfig {
    /** Longest wait for one check's call; no answer in time is DOWN. */
    @WithDefault("2s")
    Duration timeout();

    /**
     * How long a check's last result answers further probes before the dependency is called
     * again. Readiness follows a failure or a recovery within {@code timeout} + this.
     */
    @WithDefault("2s")
    Duration cacheTtl();
}
