package dev.sseproxy.api;

import dev.sseproxy.auth.SignedRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the AWS JSON 1.1 APIs share: on the management port they all answer {@code POST /} and are
 * told apart by {@code X-Amz-Target} (KMS: {@code TrentService.*}; CloudTrail: the prefix below); on the
 * S3 port they are reached through {@code api.aws}. Each API computes a {@link Reply}, which the
 * management route ({@link #send}) or the Quarkus REST resource writes.
 */
public final class JsonApis {
    public static final String CLOUDTRAIL_TARGET_PREFIX = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private JsonApis() {
    }

    /**
     * One JSON answer: status, request id ({@code x-amzn-RequestId}), the error's {@code __type} (also sent
     * as {@code x-amzn-ErrorType}; null on success) and the body (may be empty).
     */
    public record Reply(int status, String requestId, String errorType, String json) {
    }

    /** Writes a reply on a Vert.x route. */
    public static void send(RoutingContext rc, Reply reply) {
        if (reply.errorType() != null) {
            rc.response().putHeader("x-amzn-ErrorType", reply.errorType());
        }
        rc.response().setStatusCode(reply.status()).putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("x-amzn-RequestId", reply.requestId()).end(reply.json());
    }

    /** The request as SigV4 sees it (header names lower-cased). */
    public static SignedRequest signedRequest(RoutingContext rc) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        rc.request().headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).add(h.getValue()));
        return new SignedRequest(rc.request().method().name(), rc.request().path(), rc.request().query(), headers);
    }
}
