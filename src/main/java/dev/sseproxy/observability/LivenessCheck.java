package dev.sseproxy.observability;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: UP whenever the management server answers. Deliberately checks no dependency: an
 * outage of PostgreSQL, the backend or the KMS makes the proxy unready, and restarting it would not
 * bring them back.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements AsyncHealthCheck {
    private static final HealthCheckResponse UP = HealthCheckResponse.up("sse-proxy");

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(UP);
    }
}
