package dev.sseproxy.catalog;

import dev.sseproxy.authz.AccessControlList;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Object owners and ACLs (V12), each call one round trip. Only objects that differ from the default
 * (the bucket owner's, private) in a bucket whose ACLs are enabled have a row; see the migration.
 * Also the owner and ACL a multipart upload will give its object.
 */
@ApplicationScoped
public class ObjectAcls {
    /** An object's recorded owner and ACL. */
    public record Entry(String ownerId, AccessControlList acl) {
    }

    private final Pool pool;

    public ObjectAcls(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Entry>> find(String bucket, String key) {
        return pool.preparedQuery("SELECT owner_id, acl FROM object_acl WHERE bucket = $1 AND object_key = $2")
                .execute(Tuple.of(bucket, key)).map(ObjectAcls::first);
    }

    public Uni<Void> put(String bucket, String key, Entry e) {
        return pool.preparedQuery("INSERT INTO object_acl (bucket, object_key, owner_id, acl) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (bucket, object_key) DO UPDATE SET owner_id = EXCLUDED.owner_id, acl = EXCLUDED.acl")
                .execute(Tuple.of(bucket, key, e.ownerId(), e.acl().encode())).replaceWithVoid();
    }

    public Uni<Void> delete(String bucket, String key) {
        return pool.preparedQuery("DELETE FROM object_acl WHERE bucket = $1 AND object_key = $2")
                .execute(Tuple.of(bucket, key)).replaceWithVoid();
    }

    /** Forgets the owners and ACLs of these keys of a bucket (DeleteObjects: up to 1,000), in one statement. */
    public Uni<Void> delete(String bucket, java.util.List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("DELETE FROM object_acl WHERE bucket = $1 AND object_key = ANY($2)")
                .execute(Tuple.of(bucket, keys.toArray(new String[0]))).replaceWithVoid();
    }

    /** Forgets every object ACL of a bucket (its ACLs were disabled: the bucket owner owns everything). */
    public Uni<Void> deleteAll(String bucket) {
        return pool.preparedQuery("DELETE FROM object_acl WHERE bucket = $1").execute(Tuple.of(bucket)).replaceWithVoid();
    }

    public Uni<Void> putForUpload(String uploadId, Entry e) {
        return pool.preparedQuery("INSERT INTO upload_acl (upload_id, owner_id, acl) VALUES ($1, $2, $3)")
                .execute(Tuple.of(uploadId, e.ownerId(), e.acl().encode())).replaceWithVoid();
    }

    /**
     * Takes (reads and forgets) the owner and ACL an upload was created with; empty when it recorded none
     * (its bucket's ACLs were disabled) or a previous Complete of it already took them.
     */
    public Uni<Optional<Entry>> takeForUpload(String uploadId) {
        return pool.preparedQuery("DELETE FROM upload_acl WHERE upload_id = $1 RETURNING owner_id, acl")
                .execute(Tuple.of(uploadId)).map(ObjectAcls::first);
    }

    /** Forgets an aborted upload's owner and ACL. */
    public Uni<Void> forgetUpload(String uploadId) {
        return pool.preparedQuery("DELETE FROM upload_acl WHERE upload_id = $1").execute(Tuple.of(uploadId))
                .replaceWithVoid();
    }

    private static Optional<Entry> first(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        for (Row r : rows) {
            return Optional.of(new Entry(r.getString(0), AccessControlList.decode(r.getString(1))));
        }
        return Optional.empty();
    }
}
