package dev.sseproxy.observability;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.sseproxy.config.HealthConfig;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.kms.KmsClient;
import dev.sseproxy.kms.KmsException;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the KMS: {@code keyInfo} of the proxy's own secrets key (created at start, so it
 * exists whenever the KMS is whole). Throttling, by the proxy's rate limiter or by the KMS, is UP
 * with {@code throttled=true}: the KMS is there, only busy.
 */
@Readiness
@ApplicationScoped
public class KmsHealthCheck implements AsyncHealthCheck {
    private final HealthProbe probe;

    public KmsHealthCheck(KmsClient kms, SseProxyConfig config) {
        HealthConfig h = config.health();
        String key = config.kms().secretsKeyName();
        this.probe = new HealthProbe("KMS", Map.of("provider", config.kms().provider().name().toLowerCase(Locale.ROOT),
                "key", key), h.timeout(), h.cacheTtl(), Ticker.systemTicker(), () -> keyInfo(kms, key));
    }

    static Uni<Map<String, Object>> keyInfo(KmsClient kms, String key) {
        return kms.keyInfo(key).<Map<String, Object>>map(info -> Map.of("latest_version", info.latestVersion()))
                .onFailure(KmsException.Throttled.class).recoverWithItem(Map.of("throttled", true));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.check();
    }
}
