package dev.sseproxy.api.aws;

import dev.sseproxy.api.kms.KmsRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** AWS KMS (JSON 1.1) on the S3 port: the same calls as the management port's route ({@link KmsRoutes#call}). */
@Path("/kms")
public class KmsResource {
    private final KmsRoutes kms;

    public KmsResource(KmsRoutes kms) {
        this.kms = kms;
    }

    @POST
    public Uni<Response> call(@Context RoutingContext rc) {
        return AwsResources.json(rc, r -> kms.call(r.header("x-amz-target"), r.signed(), r.body(), r::authenticated));
    }
}
