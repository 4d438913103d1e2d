package dev.sseproxy.api.aws;

import dev.sseproxy.api.AdmissionLimit;
import dev.sseproxy.api.BodyBudget;
import dev.sseproxy.api.JsonApis;
import dev.sseproxy.api.aws.ServiceScope.Protocol;
import dev.sseproxy.error.S3Exception;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Dispatch by service on the S3 port (the rules are the package documentation): a Vert.x route
 * ordered before the S3 router. S3 requests pass on untouched; KMS, CloudTrail, IAM and STS requests
 * are admitted, their bounded body read, and re-routed to {@code POST /_aws/<service>} with the
 * original request in {@link AwsRequest#KEY}.
 */
@ApplicationScoped
public class AwsDispatch {
    /** The largest body of a non-S3 API request (1 MiB). */
    public static final int MAX_BODY = 1024 * 1024;
    /** Where the re-routed requests go: {@code /_aws/<service>} (never an S3 address). */
    public static final String PATH_PREFIX = "/_aws/";
    /** Before the S3 router, whose catch-all route has Vert.x's default (sequential, non-negative) order. */
    static final int ROUTE_ORDER = -1000;
    private static final Set<String> SERVED = Set.of("kms", "cloudtrail", "iam", "sts");

    private final AdmissionLimit admission;
    private final BodyBudget budget;

    public AwsDispatch(AdmissionLimit admission, BodyBudget budget) {
        this.admission = admission;
        this.budget = budget;
    }

    void init(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        if (rc.get(AwsRequest.KEY) != null) {
            rc.next(); // re-routed: already dispatched
            return;
        }
        HttpServerRequest req = rc.request();
        String target = req.getHeader("X-Amz-Target");
        String service = ServiceScope.service(req.getHeader("Authorization"), req.query(), target);
        if (ServiceScope.S3.equals(service)) {
            rc.next();
            return;
        }
        if (!SERVED.contains(service)) {
            Protocol p = ServiceScope.protocolOf(target, req.getHeader("Content-Type"), req.query());
            if (p == null) {
                rc.next(); // REST-shaped: S3 refuses the scope as it always did
                return;
            }
            AwsErrors.send(req, p, service, 400, AwsErrors.unknownServiceCode(p),
                    "The service '" + service + "' is not served by this endpoint.");
            return;
        }
        Protocol protocol = service.equals("iam") || service.equals("sts") ? Protocol.QUERY : Protocol.JSON;
        long declared = contentLength(req);
        if (declared > MAX_BODY) {
            AwsErrors.send(req, protocol, service, 413, AwsErrors.TOO_LARGE, tooLarge());
            return;
        }
        try {
            admission.enter();
        } catch (S3Exception e) {
            AwsErrors.send(req, protocol, service, 400, AwsErrors.throttlingCode(protocol), "Rate exceeded");
            return;
        }
        BodyBudget.Lease lease;
        try {
            lease = budget.take(declared >= 0 ? declared : MAX_BODY);
        } catch (S3Exception e) {
            admission.leave();
            AwsErrors.send(req, protocol, service, 400, AwsErrors.throttlingCode(protocol), "Rate exceeded");
            return;
        }
        var signed = JsonApis.signedRequest(rc);
        req.pause();
        Buffer body = Buffer.buffer((int) Math.max(0, declared));
        boolean[] refused = {false};
        Runnable release = () -> {
            lease.close();
        };
        if (req.isEnded()) {
            dispatch(rc, new AwsRequest(service, signed, new byte[0], admission::leave, release));
            return;
        }
        req.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                refused[0] = true;
                admission.leave();
                release.run();
                AwsErrors.send(req, protocol, service, 413, AwsErrors.TOO_LARGE, tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(err -> {
            if (!refused[0]) {
                refused[0] = true;
                admission.leave();
                release.run();
            }
        });
        req.endHandler(v -> {
            if (!refused[0]) {
                dispatch(rc, new AwsRequest(service, signed, body.getBytes(), admission::leave, release));
            }
        });
        req.resume();
    }

    private static void dispatch(RoutingContext rc, AwsRequest request) {
        rc.put(AwsRequest.KEY, request);
        rc.reroute(HttpMethod.POST, PATH_PREFIX + request.service());
        // the resource gives both back when its answer is computed; this covers a response that ends
        // (or a connection that closes) without it
        if (rc.response().ended() || rc.response().closed()) {
            request.done();
        } else {
            rc.addEndHandler(ar -> request.done());
        }
    }

    private static long contentLength(HttpServerRequest req) {
        String cl = req.getHeader("Content-Length");
        if (cl == null) {
            return -1;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String tooLarge() {
        return "Request body exceeds the maximum of " + MAX_BODY + " bytes.";
    }
}
