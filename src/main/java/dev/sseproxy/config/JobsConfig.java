package dev.sseproxy.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The {@code sse-proxy.jobs.*} settings (a group of {@link SseProxyConfig}). */
public interface JobsConfig {
    /**
     * How long a lease lasts without renewal; holders renew every third of it, and a dead holder's
     * work moves to another node after at most 4/3 of it.
     */
    @WithDefault("15s")
    Duration leaseDuration();

    /** Test-only throttle: a rewrap job waits this long before each object (0: not at all). */
    @WithDefault("0s")
    Duration rewrapObjectDelay();
}
