package dev.sseproxy.catalog;

import dev.sseproxy.cluster.ChangeChannel;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Notifications of the change feed sent from code ({@code SELECT pg_notify}, outside any transaction):
 * the one implementation of {@link ChangeChannel}. Table triggers send the rest (cluster package
 * documentation).
 */
@ApplicationScoped
public class ChangeNotifications implements ChangeChannel {
    private final Pool pool;

    public ChangeNotifications(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<Void> notify(String channel, String payload) {
        return pool.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(channel, payload)).replaceWithVoid();
    }
}
