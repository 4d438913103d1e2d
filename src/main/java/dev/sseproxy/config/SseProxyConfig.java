package dev.sseproxy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Typed configuration of sse-proxy; every property lives under the {@code sse-proxy.} prefix. */
@ConfigMapping(prefix = "sse-proxy")
public interface SseProxyConfig {

    /** The region this endpoint answers for; SigV4 scopes naming another region are rejected. */
    @WithDefault("us-east-1")
    String region();

    /**
     * Host names under which virtual-hosted-style requests arrive: a request for
     * {@code bucket.<domain>} addresses {@code bucket}. Path-style always works.
     */
    @WithDefault("localhost,s3.localhost")
    List<String> domains();

    /** Largest accepted clock skew between a signed request and the server clock. */
    @WithDefault("15m")
    Duration maxClockSkew();

    /** Directory for local state (master key, keystore). Created on start when missing. */
    @WithDefault("${user.home}/.local/share/sse-proxy")
    String dataDir();

    /**
     * Master key that seals secrets at rest (access-key secrets), base64 of 32 bytes. When unset,
     * a key is generated once into {@code <data-dir>/master.key} (mode 0600).
     */
    Optional<String> masterKey();

    /** The root account, created or updated from this configuration at start. */
    Root root();

    /** The object store that receives the data. */
    Backend backend();

    interface Root {
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

    interface Backend {
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
    }
}
