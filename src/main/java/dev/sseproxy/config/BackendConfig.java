package dev.sseproxy.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The {@code sse-proxy.backend.*} settings (a group of {@link SseProxyConfig}). */
public interface BackendConfig {
    /** Base URL of the MinIO (or other S3) backend, e.g. {@code http://127.0.0.1:9000}. */
    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    /** Access key the proxy uses toward the backend. */
    @WithDefault("sseproxy-minio")
    String accessKey();

    /** Secret key the proxy uses toward the backend. */
    @WithDefault("sseproxy-minio-secret")
    String secretKey();

    /** Region used to sign backend requests. */
    @WithDefault("us-east-1")
    String region();

    /** Largest number of pooled connections to the backend. */
    @WithDefault("256")
    int maxConnections();

    /** Timeout for establishing a backend connection and for an idle backend response. */
    @WithDefault("30s")
    Duration timeout();

    /**
     * How long an idle pooled backend connection is kept for reuse (whole seconds, at least 1 s).
     * Keep it well below the backend's own idle timeout (MinIO: 30 s), or a request may go out
     * on a connection the backend is closing at that moment (see {@code dev.sseproxy.backend}).
     */
    @WithDefault("15s")
    Duration keepAliveTimeout();
}
