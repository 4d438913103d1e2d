package dev.sseproxy.config;

import io.smallrye.config.WithDefault;

/** The {@code sse-proxy.sse-c.*} settings (a group of {@link SseProxyConfig}). */
public interface SseCConfig {
    /**
     * Accept SSE-C on plain-HTTP connections too. For development and tests only: the customer's
     * key then crosses the network in clear.
     */
    @WithDefault("false")
    boolean allowInsecure();
}
