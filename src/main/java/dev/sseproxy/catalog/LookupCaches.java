package dev.sseproxy.catalog;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Caches of catalog lookups keyed by a name the client chose (an access key id, a bucket name),
 * negative answers included. A client controls both how many distinct names it asks for and how
 * long they are, so the bound is in bytes: every entry weighs {@link #ENTRY_OVERHEAD} plus two
 * bytes per key character plus its value's estimate, and the cache holds at most
 * {@code maxBytes} of that. That bounds the bytes and, through the overhead, the count
 * ({@code maxBytes / ENTRY_OVERHEAD} entries at most). Eviction is Caffeine's W-TinyLFU, so a flood
 * of one-off unknown names does not push out the entries in real use. Expiry and eviction follow
 * the given clock (tests use a fake one).
 */
final class LookupCaches {
    /**
     * Estimated bytes one entry costs besides its key and value: Caffeine's node, the completed
     * future, the Optional and the String header.
     */
    static final int ENTRY_OVERHEAD = 160;

    private LookupCaches() {
    }

    static <V> AsyncCache<String, Optional<V>> bounded(long maxBytes, Duration ttl, ToIntFunction<V> valueBytes,
            Clock clock) {
        return Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .<String, Optional<V>>weigher((k, v) -> weight(k, v, valueBytes))
                .expireAfterWrite(ttl)
                .ticker(() -> nanos(clock.instant()))
                .executor(Runnable::run)
                .buildAsync();
    }

    static <V> int weight(String key, Optional<V> value, ToIntFunction<V> valueBytes) {
        return ENTRY_OVERHEAD + 2 * key.length() + value.map(valueBytes::applyAsInt).orElse(0);
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
