package dev.sseproxy.api.aws.query;

import dev.sseproxy.api.aws.AwsResources;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** The Quarkus REST resources of the query-protocol services on the S3 port ({@code /_aws/iam}, {@code /_aws/sts}). */
public final class QueryResources {
    private QueryResources() {
    }

    static Uni<Response> serve(QueryApi api, QueryService service, RoutingContext rc) {
        return AwsResources.serve(rc, r -> api.call(service, r.signed(), r.body(), r::authenticated),
                reply -> Response.status(reply.status()).entity(reply.xml()).type("text/xml")
                        .header("x-amzn-RequestId", reply.requestId()).build());
    }

    /** IAM (query protocol, version 2010-05-08). */
    @Path("/iam")
    public static class Iam {
        private final QueryApi api;

        public Iam(QueryApi api) {
            this.api = api;
        }

        @POST
        public Uni<Response> call(@Context RoutingContext rc) {
            return serve(api, QueryService.IAM, rc);
        }
    }

    /** STS (query protocol, version 2011-06-15). */
    @Path("/sts")
    public static class Sts {
        private final QueryApi api;

        public Sts(QueryApi api) {
            this.api = api;
        }

        @POST
        public Uni<Response> call(@Context RoutingContext rc) {
            return serve(api, QueryService.STS, rc);
        }
    }
}
