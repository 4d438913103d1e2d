package dev.sseproxy.audit;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The registry ARN of the backend key a KMS event names (cached ten minutes, at most 10 000), or null
 * for the proxy's own keys, which are then named by their backend name.
 */
final class KeyArns {
    private final Pool pool;
    private final AsyncCache<String, String> arns = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).buildAsync();

    KeyArns(Pool pool) {
        this.pool = pool;
    }

    CompletableFuture<String> of(String backendName) {
        return arns.get(backendName, (name, executor) -> lookUp(name));
    }

    /** Not cached when absent: a key's backend key is created before its registry row. */
    private CompletableFuture<String> lookUp(String backendName) {
        return pool.preparedQuery("SELECT arn FROM kms_key WHERE backend_key_name = $1").execute(Tuple.of(backendName))
                .map(rows -> {
                    for (Row r : rows) {
                        return r.getString(0);
                    }
                    return (String) null;
                }).subscribeAsCompletionStage();
    }
}
