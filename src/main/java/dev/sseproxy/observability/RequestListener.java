package dev.sseproxy.observability;

/**
 * Told about every finished S3 request, exactly once, on the request's event loop: must not block
 * and must not throw (a listener's failure is logged and ignored). Implementations are CDI beans;
 * the S3 edge calls every one.
 */
public interface RequestListener {
    void completed(CompletedRequest request);
}
