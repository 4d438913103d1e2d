package dev.sseproxy.backend;

import dev.sseproxy.auth.HeaderBytes;
import dev.sseproxy.auth.SigV4Signer;
import dev.sseproxy.config.BackendConfig;
import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * {@link ObjectStore} over MinIO's S3 API, spoken with Vert.x's non-blocking HTTP client and signed
 * with SigV4 ({@code UNSIGNED-PAYLOAD} for streamed bodies: the backend is on a trusted link).
 * Bodies stream in both directions with back-pressure; a request body that fails midway resets
 * the backend connection, so the backend never commits a partial object.
 *
 * <p>Pooled connections are dropped after {@code sse-proxy.backend.keep-alive-timeout} idle
 * (default 15 s, below MinIO's 30 s), and a request whose connection closes before any answer
 * byte is sent once more on a fresh connection when that is safe (an idempotent method and no
 * body or a body in memory). The package documentation tells why, with numbers.
 */
@ApplicationScoped
public class MinioObjectStore implements ObjectStore {
    /**
     * Largest body piece the HTTP decoder hands on (Vert.x's default is 8 KiB), and the size of every
     * read from a backend connection ({@link #RECEIVE_BUFFER}). Vert.x copies each piece into a heap
     * buffer and the decrypting stream hands on, as one write, the frames each piece completes: with
     * 256 KiB pieces a 64 MiB GET takes a quarter of the reads, copies, writes to the client and
     * stream events of 64 KiB ones, and three of every four 64 KiB frames arrive whole (none does in
     * 64 KiB pieces: a stored frame is 16 bytes longer). The package documentation has the numbers.
     * Request bodies from clients keep their own limit ({@code quarkus.http.limits.max-chunk-size}).
     */
    static final int MAX_CHUNK = 256 * 1024;

    /**
     * Bytes read from a backend connection at once: Vert.x then reads with a fixed-size buffer of this
     * size (its {@code FixedRecvByteBufAllocator}, pooled direct memory released after each read)
     * instead of Netty's adaptive guess, which stops at 64 KiB, and sets the socket's receive buffer
     * (SO_RCVBUF; Linux doubles it) to it.
     */
    static final int RECEIVE_BUFFER = MAX_CHUNK;

    /**
     * One connection pool per event loop. A pool hands out its most recently used idle
     * connection whatever event loop it lives on; a body then hops threads twice per chunk (the
     * backend connection's loop reads it, the request's loop writes it, and back for flow
     * control). With a pool per loop, connections are created on, and only serve, the loop of
     * the requests that use them, so a body streams on one thread.
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    /** For calls from outside an event loop (none on the request path). */
    private final HttpClient sharedClient;
    /**
     * Per event loop too: clients whose connections serve one request and close (no keep-alive),
     * for the one retry of a request whose pooled connection was closed under it. A retry on the
     * pool could pick another connection that went idle at the same moment and is as stale.
     */
    private final Map<Thread, HttpClient> freshClients = new ConcurrentHashMap<>();
    private final HttpClient sharedFreshClient;
    private final Vertx vertx;
    private final HttpClientOptions clientOptions;
    private final HttpClientOptions freshOptions;
    private final PoolOptions poolOptions;
    private final BackendConfig cfg;
    private final String host;
    private final int port;
    private final String hostHeader;
    private final Clock clock;
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong connectionsOpened = new AtomicLong();
    /** The control operations: the MinIO Java client (see the package documentation). */
    private final MinioControl control;

    @Inject
    public MinioObjectStore(Vertx vertx, SseProxyConfig config) {
        this(vertx, config.backend());
    }

    MinioObjectStore(Vertx vertx, BackendConfig backend) {
        this.cfg = backend;
        URI uri = URI.create(cfg.endpoint());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        this.hostHeader = uri.getPort() > 0 ? host + ":" + port : host;
        this.clock = Clock.systemUTC();
        this.vertx = vertx;
        this.clientOptions = new HttpClientOptions()
                .setSsl("https".equals(uri.getScheme()))
                .setKeepAlive(true)
                .setKeepAliveTimeout(keepAliveSeconds(cfg.keepAliveTimeout()))
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setMaxChunkSize(MAX_CHUNK)
                .setReceiveBufferSize(RECEIVE_BUFFER)
                .setConnectTimeout((int) cfg.timeout().toMillis());
        this.freshOptions = new HttpClientOptions(clientOptions).setKeepAlive(false);
        this.poolOptions = new PoolOptions().setHttp1MaxSize(cfg.maxConnections());
        this.sharedClient = newClient(clientOptions);
        this.sharedFreshClient = newClient(freshOptions);
        this.control = new MinioControl(cfg);
    }

    /**
     * A store for another S3 endpoint (an external replication destination): the same SigV4 signing,
     * path-style addressing and streaming as the backend's, with these credentials.
     */
    public static MinioObjectStore forEndpoint(Vertx vertx, String endpoint, String region, String accessKey,
            String secretKey) {
        return new MinioObjectStore(vertx, new BackendConfig() {
            public String endpoint() {
                return endpoint;
            }

            public String accessKey() {
                return accessKey;
            }

            public String secretKey() {
                return secretKey;
            }

            public String region() {
                return region;
            }

            public int maxConnections() {
                return 16;
            }

            public Duration timeout() {
                return Duration.ofSeconds(30);
            }

            public Duration keepAliveTimeout() {
                return Duration.ofSeconds(15);
            }
        });
    }

    /** Vert.x counts the keep-alive timeout in whole seconds; 0 would mean "never". */
    static int keepAliveSeconds(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }

    @PreDestroy
    void close() {
        sharedClient.close();
        sharedFreshClient.close();
        clients.values().forEach(HttpClient::close);
        freshClients.values().forEach(HttpClient::close);
        control.close();
    }

    // ---- control operations: the MinIO Java client, the hand-written request for what it refuses ----

    @Override
    public Uni<Void> health() {
        return control.health();
    }

    @Override
    public Uni<Void> headBucket(String bucket) {
        return control.headBucket(bucket, () -> ObjectStore.super.headBucket(bucket));
    }

    @Override
    public Uni<Void> createBucket(String bucket) {
        return control.createBucket(bucket, () -> ObjectStore.super.createBucket(bucket));
    }

    @Override
    public Uni<Void> deleteBucket(String bucket) {
        return control.deleteBucket(bucket, () -> ObjectStore.super.deleteBucket(bucket));
    }

    @Override
    public Uni<BackendReply> stat(String bucket, String key) {
        return control.stat(bucket, key, () -> ObjectStore.super.stat(bucket, key));
    }

    @Override
    public Uni<BackendXml.ListBucketResult> list(ListPage page) {
        return control.list(page, () -> ObjectStore.super.list(page));
    }

    @Override
    public Uni<String> createMultipartUpload(String bucket, String key, MultiMap headers) {
        return control.createMultipartUpload(bucket, key, headers,
                () -> ObjectStore.super.createMultipartUpload(bucket, key, headers));
    }

    @Override
    public Uni<BackendXml.CompleteMultipartUploadResult> completeMultipartUpload(String bucket, String key,
            String uploadId, java.util.List<CompletedPart> parts, MultiMap conditions) {
        return control.completeMultipartUpload(bucket, key, uploadId, parts, conditions,
                () -> ObjectStore.super.completeMultipartUpload(bucket, key, uploadId, parts, conditions));
    }

    @Override
    public Uni<Void> abortMultipartUpload(String bucket, String key, String uploadId) {
        return control.abortMultipartUpload(bucket, key, uploadId,
                () -> ObjectStore.super.abortMultipartUpload(bucket, key, uploadId));
    }

    @Override
    public Uni<BackendReply> copyMetadata(String bucket, String key, String backendEtag, long size, MultiMap headers) {
        return copyMetadata(bucket, key, null, backendEtag, size, headers);
    }

    /** A version's restamp goes by the hand-written request: the client cannot name the destination's version. */
    @Override
    public Uni<BackendReply> copyMetadata(String bucket, String key, String versionId, String backendEtag, long size,
            MultiMap headers) {
        if (versionId != null) {
            return ObjectStore.super.copyMetadata(bucket, key, versionId, backendEtag, size, headers);
        }
        return control.copyMetadata(bucket, key, backendEtag, size, headers,
                () -> ObjectStore.super.copyMetadata(bucket, key, null, backendEtag, size, headers));
    }

    private HttpClient client() {
        if (!Context.isOnEventLoopThread()) {
            return sharedClient;
        }
        return clients.computeIfAbsent(Thread.currentThread(), t -> newClient(clientOptions));
    }

    private HttpClient freshClient() {
        if (!Context.isOnEventLoopThread()) {
            return sharedFreshClient;
        }
        return freshClients.computeIfAbsent(Thread.currentThread(), t -> newClient(freshOptions));
    }

    private HttpClient newClient(HttpClientOptions options) {
        return vertx.httpClientBuilder().with(options).with(poolOptions)
                .withConnectHandler(c -> {
                    connectionsOpened.incrementAndGet();
                    PooledBodies.readInto(c);
                }).build();
    }

    /** How many connections to the backend were opened since start. */
    long connectionsOpened() {
        return connectionsOpened.get();
    }

    /** How many requests were sent again on a fresh connection since start. */
    long retriedOnFreshConnection() {
        return retried.get();
    }

    @Override
    public Uni<BackendReply> exchange(BackendCall call) {
        return Uni.createFrom().completionStage(() -> send(call)
                .compose(resp -> resp.body().map(body -> new BackendReply(resp.statusCode(), resp.headers(), body)))
                .compose(BackendFailures::checkStatus)
                .toCompletionStage());
    }

    @Override
    public Uni<BackendStream> open(BackendCall call) {
        return Uni.createFrom().completionStage(() -> send(call).compose(resp -> {
            int status = resp.statusCode();
            if (status >= 300 && status != 304) {
                return resp.body().compose(b -> BackendFailures.checkStatus(new BackendReply(status, resp.headers(), b)))
                        .map(r -> (BackendStream) null);
            }
            resp.pause();
            Runnable discard = () -> {
                // pieces read in place go back to their pool (the rest is garbage collected)
                resp.handler(PooledBodies::release);
                if (bodiless(resp)) {
                    // nothing left to read: let it end, and its connection goes back to the pool (closing
                    // it cost a new connection, MinIO's and the proxy's, per HEAD and per ranged GET)
                    resp.resume();
                } else {
                    resp.request().connection().close();
                }
            };
            return Future.succeededFuture(new BackendStream(status, resp.headers(), resp, discard));
        }).toCompletionStage());
    }

    /** An answer without a body (HEAD, 204, 304, {@code Content-Length: 0}): discarding it costs no connection. */
    static boolean bodiless(HttpClientResponse resp) {
        return resp.request().getMethod() == HttpMethod.HEAD || resp.statusCode() == 204 || resp.statusCode() == 304
                || "0".equals(resp.headers().get("content-length"));
    }

    private Future<HttpClientResponse> send(BackendCall call) {
        Future<HttpClientResponse> first = attempt(call, client());
        if (replayable(call)) {
            first = first.recover(err -> {
                if (!(err instanceof BackendFailures.ClosedBeforeAnswer)) {
                    return Future.failedFuture(err);
                }
                retried.incrementAndGet();
                LOG.debugf("backend closed the connection before answering a %s (%s); sending it again on a"
                        + " fresh connection", call.method(), err.getCause());
                return attempt(call, freshClient());
            });
        }
        return first.recover(err -> Future.failedFuture(err instanceof BackendFailures.ClosedBeforeAnswer
                ? new BackendException.Unavailable("backend closed the connection before answering", err.getCause())
                : err));
    }

    /**
     * A request is sent again only when that cannot change the outcome: an idempotent method
     * (RFC 9110 §9.2.2; S3's PUT of an object, a part, a copy or a configuration and its DELETE
     * are) and a body that can be sent twice: none, or bytes in memory. A streamed body has been
     * read, at least in part, into the failed connection; a POST (CompleteMultipartUpload,
     * CreateMultipartUpload, DeleteObjects) is not retried either.
     */
    static boolean replayable(BackendCall call) {
        return IDEMPOTENT.contains(call.method()) && (call.body() == null || call.body().bytes() != null);
    }

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE");
    private static final Logger LOG = Logger.getLogger(MinioObjectStore.class);

    private Future<HttpClientResponse> attempt(BackendCall call, HttpClient client) {
        String path = S3Paths.path(call.bucket(), call.key());
        String query = S3Paths.query(call.query());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(call.headers());
        headers.set("host", hostHeader);
        BackendCall.Body body = call.body();
        String payloadHash = "UNSIGNED-PAYLOAD";
        if (body == null) {
            payloadHash = S3Paths.EMPTY_SHA256;
        } else if (headers.contains("x-amz-content-sha256")) {
            payloadHash = headers.get("x-amz-content-sha256");
        }
        Map<String, String> toSign = new HashMap<>();
        // a header with non-ASCII bytes (kept as the client sent them) goes out byte for byte: sign those bytes
        headers.forEach(e -> toSign.merge(e.getKey().toLowerCase(), HeaderBytes.text(e.getValue()).trim(),
                (a, b) -> a + "," + b));
        Map<String, String> auth = SigV4Signer.sign(call.method(), path, query, toSign, payloadHash,
                cfg.accessKey(), cfg.secretKey(), cfg.region(), clock.instant());
        auth.forEach(headers::set);
        RequestOptions ro = new RequestOptions()
                .setMethod(HttpMethod.valueOf(call.method()))
                .setHost(host).setPort(port)
                .setURI(query.isEmpty() ? path : path + "?" + query)
                .setHeaders(headers)
                .setIdleTimeout(cfg.timeout().toMillis());
        return client.request(ro)
                .recover(err -> Future.failedFuture(new BackendException.Unavailable("backend unreachable", err)))
                .compose(req -> {
                    BackendPieces.expect(req.connection(), call.bodyInPlace());
                    return writeBody(req, body);
                });
    }

    private Future<HttpClientResponse> writeBody(HttpClientRequest req, BackendCall.Body body) {
        if (body == null) {
            return BackendFailures.unavailableOnError(req.send());
        }
        if (body.bytes() != null) {
            return BackendFailures.unavailableOnError(req.send(body.bytes()));
        }
        Promise<HttpClientResponse> result = Promise.promise();
        if (body.length() >= 0) {
            req.putHeader("content-length", Long.toString(body.length()));
        } else {
            req.setChunked(true);
        }
        BackendFailures.unavailableOnError(req.response()).onComplete(result);
        body.stream().pipe().endOnFailure(false).to(new BackendRequestSink(req)).onFailure(err -> {
            // the client's body failed (bad signature, checksum, truncation), or the backend
            // connection did (Unavailable, from the sink): never let the backend complete the object
            result.tryFail(err);
            req.reset(0, err);
        });
        return result.future();
    }
}
