package dev.sseproxy.audit;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.catalog.BackendKeyArns;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The registry ARN of the backend key a KMS event names (cached ten minutes, at most 10 000), or null
 * for the proxy's own keys, which are then named by their backend name. The row is the catalog's
 * ({@link BackendKeyArns}).
 */
final class KeyArns {
    private final BackendKeyArns registry;
    private final AsyncCache<String, String> arns = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).buildAsync();

    KeyArns(BackendKeyArns registry) {
        this.registry = registry;
    }

    CompletableFuture<String> of(String backendName) {
        return arns.get(backendName, (name, executor) -> lookUp(name));
    }

    /** Not cached when absent: a key's backend key is created before its registry row. */
    private CompletableFuture<String> lookUp(String backendName) {
        return registry.arnOf(backendName).subscribeAsCompletionStage();
    }
}
