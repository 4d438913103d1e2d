package dev.sseproxy.observability;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sseproxy.catalog.DatabasePing;
import dev.sseproxy.config.HealthConfig;
import dev.sseproxy.config.SseProxyConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness of PostgreSQL: {@link DatabasePing} ({@code SELECT 1} through the application's reactive pool). */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements AsyncHealthCheck {
    private final HealthProbe probe;

    public DatabaseHealthCheck(DatabasePing db, SseProxyConfig config) {
        HealthConfig h = config.health();
        this.probe = new HealthProbe("PostgreSQL", Map.of(), h.timeout(), h.cacheTtl(), Ticker.systemTicker(),
                () -> db.ping().replaceWith(Map.of()));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.check();
    }
}
