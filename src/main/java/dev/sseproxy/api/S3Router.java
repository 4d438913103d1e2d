package dev.sseproxy.api;

import dev.sseproxy.api.aws.AwsRequest;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.observability.CompletedRequest;
import dev.sseproxy.observability.RequestGate;
import dev.sseproxy.observability.RequestListener;
import io.smallrye.mutiny.Uni;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The S3 edge on the main HTTP port: stamps request ids, resolves path-style and
 * virtual-hosted-style addressing, authenticates and hands the exchange to the {@link Dispatcher}.
 * Request bodies stay paused until an operation reads them. Requests for the other AWS APIs served on
 * this port were taken by {@code api.aws.AwsDispatch} first and pass through here untouched.
 */
@ApplicationScoped
public class S3Router {
    private static final Logger LOG = Logger.getLogger(S3Router.class);
    private final RequestAuthenticator authenticator;
    private final Dispatcher dispatcher;
    private final List<String> domains;
    private final ClientConnection connection;
    private final List<RequestListener> listeners;
    private final RequestGate gate;
    private final AdmissionLimit admission;
    private final BodyBudget budget;

    public S3Router(RequestAuthenticator authenticator, Dispatcher dispatcher, SseProxyConfig config,
            Instance<RequestListener> listeners, Instance<RequestGate> gates, AdmissionLimit admission,
            BodyBudget budget) {
        this.admission = admission;
        this.budget = budget;
        this.authenticator = authenticator;
        this.dispatcher = dispatcher;
        this.domains = config.domains();
        this.connection = ClientConnection.from(config);
        this.listeners = listeners.stream().toList();
        this.gate = gates.isResolvable() ? gates.get() : null;
    }

    void init(@Observes Router router) {
        router.route().handler(this::handle);
        router.route().failureHandler(this::routingFailed);
    }

    /**
     * Requests the router refuses before any handler runs (HTTP/1.1 without Host, an unparseable
     * Host) get an S3 error document instead of Quarkus's JSON error page.
     */
    void routingFailed(RoutingContext rc) {
        HttpServerResponse resp = rc.response();
        if (rc.statusCode() != 400 || resp.headWritten() || resp.ended() || rc.get(AwsRequest.KEY) != null) {
            rc.next();
            return;
        }
        String requestId = resp.headers().get("x-amz-request-id");
        if (requestId == null) {
            requestId = RequestIds.next();
            resp.putHeader("x-amz-request-id", requestId).putHeader("x-amz-id-2", RequestIds.hostId(requestId))
                    .putHeader("Server", "sse-proxy");
        }
        String why = rc.failure() == null || rc.failure().getMessage() == null ? "Bad Request" : rc.failure().getMessage();
        ErrorResponder.respond(rc.request(), requestId, rc.request().path(), S3Exception.invalidRequest(why));
    }

    void handle(RoutingContext rc) {
        if (rc.get(AwsRequest.KEY) != null) {
            rc.next(); // a KMS, CloudTrail, IAM or STS request re-routed to its resource (api.aws)
            return;
        }
        HttpServerRequest req = rc.request();
        req.pause();
        VertxContextSafetyToggle.setCurrentContextSafe(true);
        String requestId = RequestIds.next();
        req.response().putHeader("x-amz-request-id", requestId)
                .putHeader("x-amz-id-2", RequestIds.hostId(requestId))
                .putHeader("Server", "sse-proxy");
        S3Exchange ex;
        try {
            ex = target(req, requestId);
        } catch (RuntimeException e) {
            ErrorResponder.respond(req, requestId, req.path(), e);
            return;
        }
        try {
            admission.enter();
        } catch (S3Exception e) {
            ErrorResponder.respond(req, requestId, ex.resource(), e);
            return;
        }
        Uni<Void> admitted = gate == null ? Uni.createFrom().voidItem() : gate.admit();
        admitted.invoke(() -> {
            // admitted: from here on the request is reported exactly once, when its response ends or
            // its connection closes, whichever comes first
            req.response().headersEndHandler(v -> ex.headersSent());
            req.response().endHandler(v -> completed(ex));
            req.response().closeHandler(v -> completed(ex));
        }).chain(() -> authenticator.authenticate(ex))
                .onTermination().invoke(admission::leave)
                .chain(() -> dispatcher.dispatch(ex))
                .subscribe().with(v -> { }, err -> {
                    S3Exception e = ErrorTranslator.translate(err, requestId);
                    ex.failed(e);
                    ErrorResponder.respond(req, requestId, ex.resource(), e);
                });
    }

    private void completed(S3Exchange ex) {
        if (listeners.isEmpty() || !ex.finish()) {
            return;
        }
        CompletedRequest done = CompletedRequests.of(ex);
        for (RequestListener l : listeners) {
            try {
                l.completed(done);
            } catch (RuntimeException e) {
                LOG.errorf(e, "request listener %s failed on %s", l.getClass().getSimpleName(), ex.requestId());
            }
        }
    }

    private S3Exchange target(HttpServerRequest req, String requestId) {
        String rawPath = req.path();
        if (AccountPublicAccessBlockOperation.isS3Control(rawPath, req.getHeader("x-amz-account-id"))) {
            // S3 Control (account-level API): no bucket, whatever the host says
            return new S3Exchange(req, requestId, null, null, rawPath, connection, budget);
        }
        String path = PercentDecoder.decode(rawPath);
        String hostBucket = bucketFromHost(req.authority() == null ? null : req.authority().host());
        if (hostBucket != null) {
            String key = path.length() > 1 ? path.substring(1) : null;
            return new S3Exchange(req, requestId, hostBucket, key, rawPath, connection, budget);
        }
        if (path.length() <= 1) {
            return new S3Exchange(req, requestId, null, null, rawPath, connection, budget);
        }
        int slash = path.indexOf('/', 1);
        String bucket = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String key = slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
        return new S3Exchange(req, requestId, bucket, key, rawPath, connection, budget);
    }

    private String bucketFromHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.toLowerCase();
        // the longest matching domain wins: with "localhost,s3.localhost", b.s3.localhost is bucket b
        String bucket = null;
        for (String d : domains) {
            if (h.length() > d.length() + 1 && h.endsWith("." + d)) {
                String candidate = h.substring(0, h.length() - d.length() - 1);
                if (bucket == null || candidate.length() < bucket.length()) {
                    bucket = candidate;
                }
            }
        }
        return bucket;
    }

    /** Percent-decoding of a URL path ({@code +} stays a plus). */
    static final class PercentDecoder {
        private PercentDecoder() {
        }

        static String decode(String s) {
            if (s.indexOf('%') < 0) {
                return s;
            }
            try {
                return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw dev.sseproxy.error.S3Exception.of(dev.sseproxy.error.S3ErrorCode.INVALID_URI);
            }
        }
    }
}
