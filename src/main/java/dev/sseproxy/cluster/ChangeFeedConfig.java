package dev.sseproxy.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the change feed (package documentation). */
@ConfigMapping(prefix = "sse-proxy.cluster.change-feed")
public interface ChangeFeedConfig {
    /**
     * Listen to the change feed. Off, this node learns of changes made through other nodes only when
     * its cached entries expire (the TTLs); its own changes still notify the others (table triggers).
     */
    @WithDefault("true")
    boolean enabled();
}
