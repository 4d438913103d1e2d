package dev.sseproxy.api.aws;

import dev.sseproxy.api.JsonApis;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.function.Function;

/** What the Quarkus REST resources of this package share: the dispatched request in, the answer out. */
public final class AwsResources {
    private AwsResources() {
    }

    /**
     * Serves a dispatched request with {@code api}, gives its admission place and body budget back when
     * the answer is computed, and writes the answer. A request that did not come through
     * {@link AwsDispatch} (cannot happen: the S3 router takes those) gets 404.
     */
    public static <T> Uni<Response> serve(RoutingContext rc, Function<AwsRequest, Uni<T>> api,
            Function<T, Response> writer) {
        AwsRequest request = AwsRequest.of(rc);
        if (request == null) {
            return Uni.createFrom().item(Response.status(404).build());
        }
        VertxContextSafetyToggle.setCurrentContextSafe(true);
        return Uni.createFrom().deferred(() -> api.apply(request)).onTermination().invoke(request::done).map(writer);
    }

    /** A JSON 1.1 call: only POST is served (another method: 400 UnknownOperationException). */
    public static Uni<Response> json(RoutingContext rc, Function<AwsRequest, Uni<JsonApis.Reply>> api) {
        return serve(rc, r -> {
            if (!"POST".equals(r.method())) {
                return Uni.createFrom().item(new JsonApis.Reply(400, UUID.randomUUID().toString(),
                        "UnknownOperationException", "{\"__type\":\"UnknownOperationException\",\"message\":\""
                                + "Only POST requests are served.\"}"));
            }
            return api.apply(r);
        }, AwsResources::json);
    }

    static Response json(JsonApis.Reply reply) {
        Response.ResponseBuilder b = Response.status(reply.status()).entity(reply.json())
                .type(JsonApis.CONTENT_TYPE).header("x-amzn-RequestId", reply.requestId());
        if (reply.errorType() != null) {
            b.header("x-amzn-ErrorType", reply.errorType());
        }
        return b.build();
    }
}
