package dev.sseproxy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Typed configuration of sse-proxy; every property lives under the {@code sse-proxy.} prefix. The
 * settings of the top level are here; each group ({@code sse-proxy.kms.*}, {@code sse-proxy.s3.*}, ...)
 * is its own interface in this package ({@link KmsConfig}, {@link S3Config}, ...), so a property's
 * name is still {@code sse-proxy.<group>.<property>}.
 */
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

    /**
     * How long an access key's opened credential is reused before PostgreSQL and the KMS are asked
     * again (the secret is sealed by the KMS, so each load is one KMS {@code Decrypt} under
     * {@code kms.secrets-key-name}, made by the proxy for itself). Changes made through this node
     * apply at once; other nodes see a deleted or deactivated key within this time.
     */
    @WithDefault("5m")
    Duration credentialCacheTtl();

    /**
     * Directory for local state (the master key file when {@code master-key} is unset; a keystore file of
     * an older version, migrated into PostgreSQL at start). Created on start when missing.
     */
    @WithDefault("${user.home}/.local/share/sse-proxy")
    String dataDir();

    /**
     * Master key of the local KMS keystore (in PostgreSQL, shared by every node), base64 of 32 bytes (it
     * also opens access-key secrets sealed before they were sealed by the KMS, once, at start). When unset,
     * a key is generated once into {@code <data-dir>/master.key} (mode 0600): right for one node only.
     * Every node sharing a database must be given the same key; a node with another one refuses to start.
     */
    Optional<String> masterKey();

    /**
     * Addresses (e.g. {@code 10.0.0.7}, {@code ::1}) or CIDR ranges (e.g. {@code 10.0.0.0/8},
     * {@code fd00::/8}) of load balancers whose {@code X-Forwarded-Proto: https} marks a request as
     * having reached them over TLS (SSE-C needs that). The header from any other address is ignored;
     * a trusted proxy must replace a client's own header, not pass it on. None by default.
     */
    Optional<List<String>> trustedProxies();

    /**
     * The TLS implementation of the HTTPS listener: {@code openssl} (BoringSSL, netty-tcnative, bundled
     * for Linux x86-64; where its native library does not load, the JDK's engine, and the log says
     * why) or {@code jdk} (the JDK's own, e.g. to keep TLS inside a FIPS-configured JDK provider).
     * BoringSSL cut the proxy's CPU per SSE-C GET by about a quarter (see {@code dev.sseproxy.wiring}).
     */
    @WithDefault("openssl")
    TlsEngineChoice tlsEngine();

    /** The values of {@link #tlsEngine()}. */
    enum TlsEngineChoice {
        OPENSSL, JDK
    }

    /** SSE-C settings. */
    SseCConfig sseC();

    /** The root account, created or updated from this configuration at start. */
    RootConfig root();

    /** The object store that receives the data. */
    BackendConfig backend();

    /** The KMS that holds the key-encryption keys (see {@code dev.sseproxy.kms}). */
    KmsConfig kms();

    /** How objects are encrypted on their way to the backend. */
    EncryptionConfig encryption();

    /** The audit trail (see {@code dev.sseproxy.audit}). */
    AuditConfig audit();

    /** Readiness checks of PostgreSQL, the backend and the KMS (see {@code dev.sseproxy.observability}). */
    HealthConfig health();

    /** Background jobs that run once per cluster, under leases (cluster package documentation). */
    JobsConfig jobs();

    /** Which S3 behaviour the endpoint reproduces where AWS changed it over time. */
    S3Config s3();

    /** Bounds on what requests may hold before and around authentication. */
    LimitsConfig limits();

    /** Bucket replication: external destination buckets (see {@code dev.sseproxy.replication}). */
    ReplicationConfig replication();
}
