package dev.sseproxy.config;

import io.smallrye.config.WithDefault;

/** Object encryption. */
public interface EncryptionConfig {
    /**
     * Single PUTs up to this plaintext size are encrypted in memory before they are sent, so
     * their envelope carries the MD5 ETag at once; larger ones stream and, when their ETag is an
     * MD5 (SSE-S3), get it by a metadata-only copy afterwards. Bounds memory per request.
     */
    @WithDefault("1048576")
    int bufferLimit();

    /**
     * What a read does with an object that has no envelope (a plaintext object stored before
     * sse-proxy, or put into MinIO behind its back): {@code serve} it unchanged (the default), or
     * {@code refuse} it with 403 {@code AccessDenied} ("... stored without encryption ...") on
     * GET, HEAD and as a copy source.
     */
    @WithDefault("serve")
    LegacyPlaintext legacyPlaintext();

    /**
     * How envelopes are written into the backend's user metadata: {@code packed} (the default), one
     * entry {@code x-amz-meta-sse-proxy-envelope}, which MinIO stores and serves at about the cost of
     * no metadata; or {@code fields}, one entry per field, the only layout versions before it read.
     * Both are always read. For a rolling upgrade of several replicas from such a version, write
     * {@code fields} until every replica runs this one, then {@code packed}.
     */
    @WithDefault("packed")
    dev.sseproxy.crypto.EnvelopeLayout envelopeLayout();

    /** See {@link EncryptionConfig#legacyPlaintext()}. */
    enum LegacyPlaintext {
        SERVE, REFUSE
    }
}
