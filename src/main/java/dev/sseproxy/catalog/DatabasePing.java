package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** Whether PostgreSQL answers: {@code SELECT 1} through the application's reactive pool (the readiness check). */
@ApplicationScoped
public class DatabasePing {
    private final Pool pool;

    public DatabasePing(Pool pool) {
        this.pool = pool;
    }

    /** Completes when PostgreSQL answered a trivial query. */
    public Uni<Void> ping() {
        return pool.query("SELECT 1").execute().replaceWithVoid();
    }
}
