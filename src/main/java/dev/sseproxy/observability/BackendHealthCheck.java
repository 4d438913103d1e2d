package dev.sseproxy.observability;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the object store: a signed ListBuckets of at most one bucket through the backend's
 * MinIO client, so an unreachable backend and a rejected credential are both DOWN.
 */
@Readiness
@ApplicationScoped
public class BackendHealthCheck implements AsyncHealthCheck {
    private final HealthProbe probe;

    public BackendHealthCheck(ObjectStore store, SseProxyConfig config) {
        SseProxyConfig.Health h = config.health();
        this.probe = new HealthProbe("MinIO", Map.of("endpoint", config.backend().endpoint()), h.timeout(),
                h.cacheTtl(), Ticker.systemTicker(),
                () -> store.health().replaceWith(Map.of()));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.check();
    }
}
