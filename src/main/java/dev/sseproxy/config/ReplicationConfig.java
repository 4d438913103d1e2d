package dev.sseproxy.config;

import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * The {@code sse-proxy.replication.*} settings (a group of {@link SseProxyConfig}); see the
 * {@code dev.sseproxy.replication} package documentation.
 */
public interface ReplicationConfig {
    /**
     * Destination buckets outside this proxy, keyed by the bucket's name as replication rules name it
     * ({@code arn:aws:s3:::<name>}): {@code sse-proxy.replication.external.<name>.endpoint=https://...}, with
     * its {@code region}, {@code access-key-id}, {@code secret-access-key} and {@code path-style}. A name with
     * dots is quoted: {@code sse-proxy.replication.external."logs.example".endpoint}. As environment variables
     * ({@code SSE_PROXY_REPLICATION_EXTERNAL_<NAME>_ENDPOINT}, ...) only names of letters and digits can be
     * written; a name with {@code -} or {@code .} belongs in a properties file ({@code config/application.properties}
     * in the working directory, or one named by {@code QUARKUS_CONFIG_LOCATIONS}). PutBucketReplication
     * accepts a destination that is neither a bucket behind this proxy nor one of these with
     * {@code InvalidRequest} "Destination bucket must exist.". None by default.
     */
    Map<String, ExternalBucket> external();

    /** Most replications one node runs at once (0: this node replicates nothing; the queue still fills). */
    @WithDefault("2")
    int workers();

    /** How often each node looks for due replications when no local write woke it. */
    @WithDefault("1s")
    java.time.Duration pollInterval();

    /** How long a node's claim on a queued replication lasts unrenewed: a dead node's rows are taken again after it. */
    @WithDefault("60s")
    java.time.Duration claimLease();

    /** The wait before the first retry of a failed replication; doubled at each further failure. */
    @WithDefault("1s")
    java.time.Duration retryFirst();

    /** The longest wait between retries. */
    @WithDefault("5m")
    java.time.Duration retryMax();

    /** Attempts before a replication is FAILED (403 AccessDenied and a missing source fail at once). */
    @WithDefault("10")
    int maxAttempts();

    /** Most replications one node starts per second (0: no limit besides the KMS rate limiter). */
    @WithDefault("0")
    double maxPerSecond();

    /** One external destination bucket: an S3 endpoint and the credentials replicas are written with. */
    interface ExternalBucket {
        /** The S3 endpoint, e.g. {@code https://s3.eu-west-1.amazonaws.com} or {@code http://127.0.0.1:9000}. */
        String endpoint();

        /** The region requests to the endpoint are signed for. */
        @WithDefault("us-east-1")
        String region();

        /** The access key id of the credentials that write replicas there. */
        String accessKeyId();

        /** Its secret access key. */
        String secretAccessKey();

        /** Path-style addressing ({@code endpoint/bucket/key}); false: virtual-hosted ({@code bucket.endpoint/key}). */
        @WithDefault("true")
        boolean pathStyle();
    }
}
