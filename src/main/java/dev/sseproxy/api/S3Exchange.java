package dev.sseproxy.api;

import dev.sseproxy.auth.AuthInfo;
import dev.sseproxy.auth.VerifiedRequest;
import dev.sseproxy.catalog.Bucket;
import dev.sseproxy.catalog.Credential;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One S3 request in flight: what it addresses (bucket, key, sub-resource), who sent it, and its
 * response. Lives on the request's event-loop context.
 */
public final class S3Exchange {
    private final HttpServerRequest request;
    private dev.sseproxy.auth.RequestHeaders headers;
    private final String requestId;
    private final String bucket;
    private final String key;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> query;
    private final ClientConnection connection;
    private final BodyBudget budget;
    private Credential principal;
    private AuthInfo authInfo;
    private VerifiedRequest verified;
    private Bucket bucketRecord;
    private dev.sseproxy.authz.PublicAccessBlock publicAccessBlock;
    private java.util.Optional<dev.sseproxy.catalog.ObjectAcls.Entry> objectAcl = java.util.Optional.empty();
    private AclWrites.Pending pendingAcl;
    private java.util.function.Function<Object, io.smallrye.mutiny.Uni<Void>> beforeSuccess;
    private java.util.function.Function<Object, io.smallrye.mutiny.Uni<Void>> successEvent;
    private String writtenKey;
    private long writtenSize = -1;
    private List<String> deletedKeys;
    private String operation = "Unknown";
    private final long startNanos = System.nanoTime();
    private long headersSentNanos = -1;
    private final java.time.Instant time = java.time.Instant.now();
    private String sseApplied;
    private Map<String, Object> auditParameters;
    private dev.sseproxy.error.S3Exception error;
    private boolean finished;

    S3Exchange(HttpServerRequest request, String requestId, String bucket, String key, String rawPath,
            ClientConnection connection, BodyBudget budget) {
        this.request = request;
        this.budget = budget;
        this.connection = connection;
        this.requestId = requestId;
        this.bucket = bucket;
        this.key = key;
        this.rawPath = rawPath;
        this.rawQuery = request.query();
        this.query = parseQuery(rawQuery);
    }

    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            q.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return q;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw dev.sseproxy.error.S3Exception.of(dev.sseproxy.error.S3ErrorCode.INVALID_URI);
        }
    }

    /** The global budget of body bytes held in heap, which a request takes from before it buffers its body. */
    BodyBudget budget() {
        return budget;
    }

    /**
     * The request's headers, lower-cased into one immutable view on first use and kept: the signature
     * check, the body verification, the encryption decision and the operation all read this one.
     */
    public dev.sseproxy.auth.RequestHeaders headers() {
        dev.sseproxy.auth.RequestHeaders h = headers;
        if (h == null) {
            h = dev.sseproxy.auth.RequestHeaders.of(request.headers());
            headers = h;
        }
        return h;
    }

    public HttpServerRequest request() {
        return request;
    }

    public HttpServerResponse response() {
        return request.response();
    }

    public String requestId() {
        return requestId;
    }

    /** The addressed bucket, or null for service-level requests. */
    public String bucket() {
        return bucket;
    }

    /** The addressed object key (decoded), or null for bucket- and service-level requests. */
    public String key() {
        return key;
    }

    public String rawPath() {
        return rawPath;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public String method() {
        return request.method().name();
    }

    public boolean hasQuery(String name) {
        return query.containsKey(name);
    }

    /** The first value of a query parameter, or null. */
    public String queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public Map<String, List<String>> query() {
        return query;
    }

    /** The client's address as {@code aws:SourceIp} sees it ({@link ClientConnection#sourceIp}). */
    String sourceIp() {
        String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return connection.sourceIp(remote, request.getHeader("X-Forwarded-For"));
    }

    /** Whether the connection to this process is TLS, or a trusted proxy says its client's was ({@code aws:SecureTransport}). */
    boolean secureTransport() {
        String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return connection.secureTransport(request.isSSL(), remote, request.getHeader(ClientConnection.FORWARDED_PROTO));
    }

    /** The effective Block Public Access setting of the addressed bucket, once authorization has worked it out. */
    dev.sseproxy.authz.PublicAccessBlock publicAccessBlock() {
        return publicAccessBlock == null ? dev.sseproxy.authz.PublicAccessBlock.NONE : publicAccessBlock;
    }

    void publicAccessBlock(dev.sseproxy.authz.PublicAccessBlock p) {
        this.publicAccessBlock = p;
    }

    public String header(String name) {
        return request.getHeader(name);
    }

    /**
     * Whether the client reached the proxy over TLS, directly or through a trusted proxy, or insecure
     * SSE-C is allowed by configuration: SSE-C requests need this (see {@link ClientConnection}).
     */
    public boolean secure() {
        String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return connection.secure(request.isSSL(), remote, request.getHeader(ClientConnection.FORWARDED_PROTO));
    }

    /** The resource named in error bodies: {@code /bucket/key}, {@code /bucket} or {@code /}. */
    public String resource() {
        if (bucket == null) {
            return "/";
        }
        return key == null ? "/" + bucket : "/" + bucket + "/" + key;
    }

    public Credential principal() {
        return principal;
    }

    void authenticated(Credential who, AuthInfo info, VerifiedRequest v) {
        this.principal = who;
        this.authInfo = info;
        this.verified = v;
    }

    public AuthInfo authInfo() {
        return authInfo;
    }

    public VerifiedRequest verified() {
        return verified;
    }

    /**
     * The account whose keys serve this request: the requester's, or for an anonymous request the
     * bucket owner's (an anonymous write is encrypted under the bucket's default like any other).
     */
    public String actingAccount() {
        if (principal != null) {
            return principal.accountId();
        }
        return bucketRecord == null ? null : bucketRecord.ownerId();
    }

    /** The addressed object's recorded owner and ACL, when authorization read them (see {@link Authorization}). */
    java.util.Optional<dev.sseproxy.catalog.ObjectAcls.Entry> objectAcl() {
        return objectAcl;
    }

    void objectAcl(java.util.Optional<dev.sseproxy.catalog.ObjectAcls.Entry> e) {
        this.objectAcl = e;
    }

    /** The owner and ACL this write gives its new object (see {@link AclWrites}), or null. */
    AclWrites.Pending pendingAcl() {
        return pendingAcl;
    }

    void pendingAcl(AclWrites.Pending p) {
        this.pendingAcl = p;
    }

    /**
     * Work that must be done before a success response is written (the catalog step of a write, such
     * as recording the new object's ACL): {@link Responses} runs it with the response document (null
     * for an empty body) before it sends a 2xx or 3xx (a POST redirect) status.
     */
    void beforeSuccess(java.util.function.Function<Object, io.smallrye.mutiny.Uni<Void>> step) {
        this.beforeSuccess = step;
    }

    io.smallrye.mutiny.Uni<Void> runBeforeSuccess(int status, Object document) {
        var step = beforeSuccess;
        var event = successEvent;
        beforeSuccess = null;
        successEvent = null;
        if (status >= 400) {
            return io.smallrye.mutiny.Uni.createFrom().voidItem();
        }
        io.smallrye.mutiny.Uni<Void> first = step == null ? io.smallrye.mutiny.Uni.createFrom().voidItem() : step.apply(document);
        return event == null ? first : first.chain(() -> event.apply(document));
    }

    /**
     * The recording of the request's event notification ({@link ObjectEvents}) and its replication
     * ({@link ObjectReplications}), in the order they were added: runs after the
     * {@link #beforeSuccess} step, before the success status is sent, so that the event is in the outbox
     * before the client hears of the write.
     */
    void successEvent(java.util.function.Function<Object, io.smallrye.mutiny.Uni<Void>> step) {
        var before = this.successEvent;
        // several steps (the event notification, the replication queue) run one after the other
        this.successEvent = before == null ? step : doc -> before.apply(doc).chain(() -> step.apply(doc));
    }

    /** The object a write made and its plaintext size, for its event notification. */
    void objectWritten(String key, long size) {
        this.writtenKey = key;
        this.writtenSize = size;
    }

    /** The keys a DeleteObjects removed (also in quiet mode), for their event notifications. */
    void deletedKeys(List<String> keys) {
        this.deletedKeys = keys;
    }

    List<String> deletedKeys() {
        return deletedKeys == null ? List.of() : deletedKeys;
    }

    String writtenKey() {
        return writtenKey;
    }

    long writtenSize() {
        return writtenSize;
    }

    public Bucket bucketRecord() {
        return bucketRecord;
    }

    void bucketRecord(Bucket b) {
        this.bucketRecord = b;
    }

    public String operation() {
        return operation;
    }

    void operation(String op) {
        this.operation = op;
    }

    /** Notes that the response headers are going out now (the server access log's turn-around time). */
    void headersSent() {
        headersSentNanos = System.nanoTime();
    }

    /** When the response headers went out ({@link System#nanoTime}), -1 when they did not. */
    long headersSentNanos() {
        return headersSentNanos;
    }

    long startNanos() {
        return startNanos;
    }

    java.time.Instant time() {
        return time;
    }

    /**
     * Records how a write chose the new object's encryption, for the audit trail's
     * {@code SSEApplied}: by the bucket default or by the request's own headers.
     */
    void encryptionApplied(dev.sseproxy.sse.EncryptionDecision d) {
        this.sseApplied = d.sseApplied();
    }

    String sseApplied() {
        return sseApplied;
    }

    /** Adds an operation-specific request parameter to the request's audit event. */
    void auditParameter(String name, Object value) {
        if (auditParameters == null) {
            auditParameters = new LinkedHashMap<>();
        }
        auditParameters.put(name, value);
    }

    Map<String, Object> auditParameters() {
        return auditParameters == null ? Map.of() : auditParameters;
    }

    void failed(dev.sseproxy.error.S3Exception e) {
        this.error = e;
    }

    dev.sseproxy.error.S3Exception error() {
        return error;
    }

    /** True the first time only: the request's end is reported once, by whichever of end and close comes first. */
    boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        return true;
    }
}
