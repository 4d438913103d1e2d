package dev.sseproxy.api.aws;

import dev.sseproxy.api.JsonApis;
import dev.sseproxy.api.aws.query.QueryException;
import dev.sseproxy.api.aws.query.QueryService;
import dev.sseproxy.api.aws.query.QueryXml;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.UUID;

/**
 * The errors {@link AwsDispatch} answers itself, before any resource runs, in the protocol of the
 * request: JSON 1.1 ({@code {"__type":…,"message":…}}, {@code x-amzn-ErrorType}) or query XML
 * ({@code <ErrorResponse>}, in the service's namespace when it is IAM or STS).
 */
final class AwsErrors {
    static final String TOO_LARGE = "RequestEntityTooLarge";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** At most this much of a refused body is read (and dropped) before the connection is closed. */
    private static final long DRAIN = 2L * AwsDispatch.MAX_BODY;

    private AwsErrors() {
    }

    static void send(HttpServerRequest req, ServiceScope.Protocol protocol, String service, int status, String code,
            String message) {
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        String requestId = UUID.randomUUID().toString();
        resp.setStatusCode(status).putHeader("x-amzn-RequestId", requestId);
        if ("Throttling".equals(code) || "ThrottlingException".equals(code)) {
            resp.putHeader("Retry-After", "1");
        }
        boolean unread = !req.isEnded();
        if (unread) {
            resp.putHeader("Connection", "close");
        }
        if (protocol == ServiceScope.Protocol.JSON) {
            resp.putHeader("x-amzn-ErrorType", code).putHeader("Content-Type", JsonApis.CONTENT_TYPE)
                    .end(JSON.createObjectNode().put("__type", code).put("message", message).toString());
        } else {
            String ns = "iam".equals(service) ? QueryService.IAM.namespace()
                    : "sts".equals(service) ? QueryService.STS.namespace() : null;
            resp.putHeader("Content-Type", "text/xml")
                    .end(QueryXml.error(ns, new QueryException(status, code, message), requestId));
        }
        if (unread) {
            drainThenClose(req);
        }
    }

    /** Reads and drops up to 2 MiB of an unread body (a reset would destroy the answer), then closes. */
    private static void drainThenClose(HttpServerRequest req) {
        var vertx = io.vertx.core.Vertx.currentContext().owner();
        long timer = vertx.setTimer(5_000, t -> req.connection().close());
        long[] drained = {0};
        req.handler(b -> {
            drained[0] += b.length();
            if (drained[0] > DRAIN) {
                vertx.cancelTimer(timer);
                req.connection().close();
            }
        }).endHandler(v -> {
            vertx.cancelTimer(timer);
            req.connection().close();
        }).exceptionHandler(e -> vertx.cancelTimer(timer)).resume();
    }

    static String throttlingCode(ServiceScope.Protocol protocol) {
        return protocol == ServiceScope.Protocol.JSON ? "ThrottlingException" : "Throttling";
    }

    static String unknownServiceCode(ServiceScope.Protocol protocol) {
        return protocol == ServiceScope.Protocol.JSON ? "UnknownOperationException" : "InvalidAction";
    }
}
