package dev.sseproxy.api.aws;

import dev.sseproxy.api.cloudtrail.CloudTrailRoutes;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** CloudTrail {@code LookupEvents} (JSON 1.1) on the S3 port: the management port's code ({@link CloudTrailRoutes#call}). */
@Path("/cloudtrail")
public class CloudTrailResource {
    private final CloudTrailRoutes cloudTrail;

    public CloudTrailResource(CloudTrailRoutes cloudTrail) {
        this.cloudTrail = cloudTrail;
    }

    @POST
    public Uni<Response> call(@Context RoutingContext rc) {
        return AwsResources.json(rc, r -> cloudTrail.call(r.header("x-amz-target"), r.signed(), r.body(),
                r::authenticated));
    }
}
