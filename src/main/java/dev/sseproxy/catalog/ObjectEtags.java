package dev.sseproxy.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ETags of streamed SSE-S3 writes (V29; crypto package documentation, "The MD5 ETag of a streamed
 * SSE-S3 PUT"). S3's ETag of an SSE-S3 object is the MD5 of its plaintext, known only after its last
 * byte, when the backend no longer takes metadata; such an object carries a random write id instead
 * ({@code x-amz-meta-sse-proxy-etag-ref}) and its ETag lives here under (bucket, key, write id),
 * {@link #put put} before the write's final frame goes to the backend, so the object is never
 * complete without it. A row never changes.
 *
 * <p><b>Lifetime.</b> The rows go with the sweeps of out-of-line part tables ({@link PartTables#sweep}):
 * every write or delete of a key through the proxy removes the key's rows put before it began; a
 * versioned bucket keeps them (its older versions still name them), and a row of an object deleted
 * behind the proxy's back stays until the next write of the key. A row swept while its object is
 * still current (two writers racing a delete on one key) leaves the object readable, with the backend's
 * ETag in place of the MD5.
 */
@ApplicationScoped
public class ObjectEtags {
    private final Pool pool;

    public ObjectEtags(Pool pool) {
        this.pool = pool;
    }

    /** Stores the ETag of the write {@code writeId} of {@code bucket/key}. */
    public Uni<Void> put(String bucket, String key, String writeId, String etag) {
        return pool.preparedQuery("INSERT INTO sse_object_etag (bucket, object_key, write_id, etag) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (bucket, object_key, write_id) DO NOTHING")
                .execute(Tuple.of(bucket, key, writeId, etag)).replaceWithVoid();
    }

    /** The ETag of the write {@code writeId} of {@code bucket/key}. */
    public Uni<Optional<String>> find(String bucket, String key, String writeId) {
        return pool.preparedQuery("SELECT etag FROM sse_object_etag WHERE bucket = $1 AND object_key = $2 AND write_id = $3")
                .execute(Tuple.of(bucket, key, writeId)).map(rows -> {
                    for (Row r : rows) {
                        return Optional.of(r.getString(0));
                    }
                    return Optional.empty();
                });
    }

    /** A key and the write id its object names. */
    public record Ref(String key, String writeId) {
    }

    /** The ETags of many objects of {@code bucket} in one statement (a listing page), by write id; absent ones left out. */
    public Uni<Map<String, String>> findAll(String bucket, List<Ref> refs) {
        if (refs.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String[] keys = new String[refs.size()];
        String[] ids = new String[refs.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = refs.get(i).key();
            ids[i] = refs.get(i).writeId();
        }
        return pool.preparedQuery("SELECT e.write_id, e.etag FROM sse_object_etag e "
                + "JOIN unnest($2::text[], $3::text[]) AS r(object_key, write_id) "
                + "ON e.object_key = r.object_key AND e.write_id = r.write_id WHERE e.bucket = $1")
                .execute(Tuple.from(new Object[] {bucket, keys, ids})).map(rows -> {
                    Map<String, String> out = new HashMap<>();
                    for (Row r : rows) {
                        out.put(r.getString(0), r.getString(1));
                    }
                    return out;
                });
    }
}
