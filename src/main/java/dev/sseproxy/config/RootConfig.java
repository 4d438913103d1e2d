package dev.sseproxy.config;

import io.smallrye.config.WithDefault;

/** The {@code sse-proxy.root.*} settings (a group of {@link SseProxyConfig}). */
public interface RootConfig {
    /** Twelve-digit account id of the root account. */
    @WithDefault("000000000001")
    String accountId();

    /** Root access key id ({@code SSE_PROXY_ROOT_ACCESS_KEY}). */
    @WithDefault("sseproxy-root")
    String accessKey();

    /** Root secret access key ({@code SSE_PROXY_ROOT_SECRET_KEY}). */
    @WithDefault("sseproxy-root-secret-change-me")
    String secretKey();
}
