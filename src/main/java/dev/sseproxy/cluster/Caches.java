package dev.sseproxy.cluster;

/**
 * The caches the change feed keeps in line, as the feed sees them: a port, so that the feed does not
 * know the caches (they sit above {@code cluster}; {@code dev.sseproxy.wiring.CacheInvalidation} is the
 * one implementation).
 */
public interface Caches {
    /** Drops what {@code change} makes stale; an unknown kind drops everything. */
    void apply(Change change);

    /** Drops every cache the feed keeps in line. */
    void flushAll();
}
