package dev.sseproxy.observability;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of PostgreSQL: {@code SELECT 1} through the application's reactive pool. */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements AsyncHealthCheck {
    private final HealthProbe probe;

    public DatabaseHealthCheck(Pool pool, SseProxyConfig config) {
        SseProxyConfig.Health h = config.health();
        this.probe = new HealthProbe("PostgreSQL", Map.of(), h.timeout(), h.cacheTtl(), Ticker.systemTicker(),
                () -> pool.query("SELECT 1").execute().replaceWith(Map.of()));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.check();
    }
}
