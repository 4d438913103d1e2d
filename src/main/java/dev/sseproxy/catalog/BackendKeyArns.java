package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The KMS key registry's ARN of a backend key ({@code kms_key.arn} by {@code backend_key_name}): what
 * an audit event of a KMS call names. Not cached here; the audit trail caches it.
 */
@ApplicationScoped
public class BackendKeyArns {
    private final Pool pool;

    public BackendKeyArns(Pool pool) {
        this.pool = pool;
    }

    /** The registry ARN of the key whose backend key is {@code backendName}, or null when no registry row names it. */
    public Uni<String> arnOf(String backendName) {
        return pool.preparedQuery("SELECT arn FROM kms_key WHERE backend_key_name = $1").execute(Tuple.of(backendName))
                .map(rows -> {
                    for (Row r : rows) {
                        return r.getString(0);
                    }
                    return (String) null;
                });
    }
}
