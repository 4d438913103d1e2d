package dev.sseproxy.observability;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * One dependency's readiness: a call bounded by a timeout whose result is kept for a short time
 * (a Caffeine cache of one entry, which also makes concurrent probes share one call in flight).
 * The call emits extra data for an UP answer; a failure, or no answer within the timeout, is DOWN
 * with the failure as {@code reason}. Every answer carries the fixed {@code details}.
 */
public final class HealthProbe {
    private static final String LAST = "last";

    private final String name;
    private final Map<String, String> details;
    private final Duration timeout;
    private final Supplier<Uni<Map<String, Object>>> call;
    private final AsyncCache<String, HealthCheckResponse> last;

    /**
     * @param ticker nanoseconds for the cache's expiry (tests pass a fake one)
     * @param call   the check itself: an item is UP (with its entries as data), a failure is DOWN
     */
    public HealthProbe(String name, Map<String, String> details, Duration timeout, Duration cacheTtl, Ticker ticker,
            Supplier<Uni<Map<String, Object>>> call) {
        this.name = name;
        this.details = Map.copyOf(details);
        this.timeout = timeout;
        this.call = call;
        this.last = Caffeine.newBuilder().expireAfterWrite(cacheTtl).ticker(ticker).executor(Runnable::run).buildAsync();
    }

    /** The latest result: from the cache while it is fresh, else from a new call. */
    public Uni<HealthCheckResponse> check() {
        return Uni.createFrom().completionStage(() -> last.get(LAST, (k, executor) -> run().subscribeAsCompletionStage()));
    }

    private Uni<HealthCheckResponse> run() {
        return Uni.createFrom().<Map<String, Object>>deferred(call::get)
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout.toMillis() + " ms"))
                .map(this::up)
                .onFailure().recoverWithItem(this::down);
    }

    private HealthCheckResponse up(Map<String, Object> data) {
        HealthCheckResponseBuilder b = builder().up();
        data.forEach((k, v) -> {
            if (v instanceof Boolean flag) {
                b.withData(k, flag);
            } else if (v instanceof Number n) {
                b.withData(k, n.longValue());
            } else {
                b.withData(k, String.valueOf(v));
            }
        });
        return b.build();
    }

    private HealthCheckResponse down(Throwable failure) {
        return builder().down().withData("reason", reason(failure)).build();
    }

    private HealthCheckResponseBuilder builder() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name);
        details.forEach(b::withData);
        return b;
    }

    /**
     * The failure and its causes, e.g. {@code "backend unreachable: Connection refused: /127.0.0.1:9300"};
     * a cause whose message the previous one already holds is left out.
     */
    static String reason(Throwable failure) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = failure; t != null && parts.size() < 4; t = t.getCause()) {
            String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.isEmpty() || !parts.get(parts.size() - 1).contains(m)) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }
}
