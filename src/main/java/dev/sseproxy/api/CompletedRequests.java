package dev.sseproxy.api;

import dev.sseproxy.error.S3Exception;
import dev.sseproxy.observability.AccessDetails;
import dev.sseproxy.observability.CompletedRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSession;

/** Builds the {@link CompletedRequest} of a finished exchange: an allow-list of what may be recorded. */
final class CompletedRequests {
    /** Request headers recorded as given; every other header (Authorization, SSE-C keys) is left out. */
    private static final Set<String> REQUEST_HEADERS = Set.of("x-amz-server-side-encryption",
            "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-server-side-encryption-context",
            "x-amz-server-side-encryption-bucket-key-enabled", "x-amz-server-side-encryption-customer-algorithm",
            "x-amz-copy-source-server-side-encryption-customer-algorithm", "x-amz-copy-source",
            "x-amz-copy-source-range", "x-amz-metadata-directive", "x-amz-sdk-checksum-algorithm",
            "x-amz-checksum-algorithm", "x-amz-storage-class", "x-amz-expected-bucket-owner", "range",
            "x-amz-content-sha256");
    /** Query parameters recorded; presigned-URL authentication parameters never are. */
    private static final Set<String> QUERY = Set.of("uploadId", "partNumber", "versionId", "prefix", "delimiter",
            "list-type", "max-keys", "start-after", "continuation-token", "marker", "key-marker",
            "upload-id-marker", "max-uploads", "max-parts", "part-number-marker", "encoding-type");
    private static final List<String> RESPONSE_HEADERS = List.of("x-amz-server-side-encryption",
            "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-server-side-encryption-context",
            "x-amz-server-side-encryption-bucket-key-enabled", "x-amz-server-side-encryption-customer-algorithm",
            "x-amz-version-id");

    private CompletedRequests() {
    }

    static CompletedRequest of(S3Exchange ex) {
        HttpServerRequest req = ex.request();
        HttpServerResponse resp = req.response();
        boolean completed = resp.ended(); // false when the connection closed before the response ended
        S3Exception error = ex.error();
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (REQUEST_HEADERS.contains(name)) {
                headers.putIfAbsent(name, h.getValue());
            }
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> q : ex.query().entrySet()) {
            if (QUERY.contains(q.getKey()) && !q.getValue().isEmpty()) {
                query.put(q.getKey(), q.getValue().get(0));
            } else if (Dispatcher.SUBRESOURCES.contains(q.getKey())) {
                query.put(q.getKey(), "");
            }
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        MultiMap sent = resp.headers();
        for (String name : RESPONSE_HEADERS) {
            String v = sent.get(name);
            if (v != null) {
                responseHeaders.put(name, v);
            }
        }
        String tlsProtocol = null;
        String cipherSuite = null;
        if (req.isSSL()) {
            SSLSession tls = req.sslSession();
            if (tls != null) {
                tlsProtocol = tls.getProtocol();
                cipherSuite = tls.getCipherSuite();
            }
        }
        String scope = ex.bucket() == null ? "service" : ex.key() == null ? "bucket" : "object";
        var principal = ex.principal();
        String accessKeyId = principal != null ? principal.accessKeyId()
                : ex.authInfo() != null ? ex.authInfo().accessKeyId() : null;
        return new CompletedRequest(ex.requestId(), RequestIds.hostId(ex.requestId()), ex.time(), System.nanoTime() - ex.startNanos(), ex.operation(),
                scope, ex.method(), ex.bucket(), ex.key(),
                ex.bucketRecord() == null ? null : ex.bucketRecord().ownerId(),
                principal == null ? null : principal.accountId(), accessKeyId,
                ex.authInfo() != null && ex.authInfo().presigned(),
                req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
                req.getHeader("User-Agent"), req.getHeader("Host"), tlsProtocol, cipherSuite,
                resp.headWritten() ? resp.getStatusCode() : 0,
                error == null ? null : error.code().code(), error == null ? null : error.getMessage(),
                completed, req.bytesRead(), resp.bytesWritten(), headers, query, responseHeaders,
                ex.sseApplied(), sseMode(responseHeaders), ex.auditParameters(),
                principal == null || principal.user() == null ? null : principal.user().name(),
                principal == null || principal.user() == null ? null : principal.user().arn(),
                principal == null || principal.user() == null ? null : principal.user().userId(), null,
                access(ex, req, resp));
    }

    /** The request line, referer, turn-around time and object size, for the server access log. */
    private static AccessDetails access(S3Exchange ex, HttpServerRequest req, HttpServerResponse resp) {
        long sent = ex.headersSentNanos();
        String version = switch (req.version()) {
            case HTTP_1_0 -> "HTTP/1.0";
            case HTTP_2 -> "HTTP/2.0";
            default -> "HTTP/1.1";
        };
        var bucket = ex.bucketRecord();
        return new AccessDetails(req.uri(), version, req.getHeader("Referer"), sent < 0 ? -1 : sent - ex.startNanos(),
                ex.key() == null ? -1 : objectSize(ex.method(), req, resp), bucket == null ? null : bucket.region(),
                bucket == null ? null : bucket.logging());
    }

    /** The whole object's size as the exchange shows it: the response's for a read, the request's for a write. */
    static long objectSize(String method, HttpServerRequest req, HttpServerResponse resp) {
        MultiMap sent = resp.headers();
        String text = null;
        if ("GET".equals(method) || "HEAD".equals(method)) {
            String range = sent.get("Content-Range");
            int slash = range == null ? -1 : range.lastIndexOf('/');
            text = slash >= 0 ? range.substring(slash + 1) : resp.getStatusCode() == 200 ? sent.get("Content-Length") : null;
        } else if ("PUT".equals(method) && req.getHeader("x-amz-copy-source") == null) {
            text = req.getHeader("x-amz-decoded-content-length");
            text = text != null ? text : req.getHeader("Content-Length");
        }
        if (text == null) {
            return -1;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String sseMode(Map<String, String> sent) {
        if (sent.containsKey("x-amz-server-side-encryption-customer-algorithm")) {
            return "sse_c";
        }
        String sse = sent.get("x-amz-server-side-encryption");
        if (sse == null) {
            return "none";
        }
        return switch (sse) {
            case "AES256" -> "sse_s3";
            case "aws:kms" -> "sse_kms";
            case "aws:kms:dsse" -> "dsse_kms";
            default -> "none";
        };
    }
}
