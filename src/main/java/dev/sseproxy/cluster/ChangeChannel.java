package dev.sseproxy.cluster;

import io.smallrye.mutiny.Uni;

/**
 * Sends a notification on a PostgreSQL channel ({@code pg_notify}, behind
 * {@code dev.sseproxy.catalog.ChangeNotifications}): how {@link ChangeFeed#publish} announces a change
 * no table trigger sees. Listening stays with {@link ChangeListener}'s dedicated connection. A port, so
 * that {@code cluster} does not know the catalog.
 */
public interface ChangeChannel {

    /** Sends {@code payload} on {@code channel} to every listening connection (committed at once). */
    Uni<Void> notify(String channel, String payload);
}
