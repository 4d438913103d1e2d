package dev.sseproxy.backend;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One S3 request toward the backend. {@code key} may be null (bucket-level) and {@code bucket}
 * null (service-level). Query values are raw (not encoded); an empty value renders as a bare key.
 */
public record BackendCall(String method, String bucket, String key, Map<String, String> query,
        MultiMap headers, Body body, boolean bodyInPlace) {

    /** A request body: either bytes in memory or a stream of known length (-1: chunked). */
    public record Body(Buffer bytes, ReadStream<Buffer> stream, long length) {
        public static Body of(Buffer bytes) {
            return new Body(bytes, null, bytes.length());
        }

        public static Body of(ReadStream<Buffer> stream, long length) {
            return new Body(null, stream, length);
        }
    }

    public static BackendCall of(String method, String bucket, String key) {
        return new BackendCall(method, bucket, key, new LinkedHashMap<>(), MultiMap.caseInsensitiveMultiMap(), null, false);
    }

    public BackendCall query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public BackendCall header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    public BackendCall withBody(Body b) {
        return new BackendCall(method, bucket, key, query, headers, b, bodyInPlace);
    }

    /**
     * The answer's body (200 or 206) comes as the backend connection read it, in pooled memory
     * ({@link BackendPieces}): only for a caller that releases every piece once read
     * ({@link PooledBodies#release}, or a writer from {@link PooledBodies#releasing}).
     */
    public BackendCall withBodyInPlace() {
        return new BackendCall(method, bucket, key, query, headers, body, true);
    }
}
