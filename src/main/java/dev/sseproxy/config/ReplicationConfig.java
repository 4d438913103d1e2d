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
