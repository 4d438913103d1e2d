package dev.sseproxy.config;

import io.smallrye.config.WithDefault;

/** The {@code sse-proxy.limits.*} settings (a group of {@link SseProxyConfig}). */
public interface LimitsConfig {
    /**
     * Bytes of request bodies held in heap at once, across every request: small PUTs encrypted
     * in memory ({@code sse-proxy.encryption.buffer-limit}) and XML documents (CreateBucket,
     * DeleteObjects, CompleteMultipartUpload, tagging, encryption configuration) take their size
     * from it before they are read and give it back when done. A request that finds it spent is
     * refused at once with 503 SlowDown ({@code Retry-After: 1}; the SDKs retry it), before any
     * byte of its body is read. One request alone may always take more than the budget.
     */
    @WithDefault("268435456")
    long bufferedBodyBytes();

    /**
     * S3 requests that may be between their arrival and the end of their authentication at once
     * (waiting for a place in the audit queue, looking up their access key). More are refused at
     * once with 503 SlowDown, so unauthenticated clients cannot park an unbounded number of
     * requests.
     */
    @WithDefault("1024")
    int unauthenticatedRequests();
}
