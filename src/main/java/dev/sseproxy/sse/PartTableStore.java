package dev.sseproxy.sse;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * Where part tables too large for the backend's user metadata are kept, keyed by (bucket, key,
 * digest): a port, so that {@code sse} does not know the catalog (PostgreSQL:
 * {@code dev.sseproxy.catalog.PartTables}, whose documentation gives the rows' lifetime).
 */
public interface PartTableStore {
    /** Stores (or refreshes) the table of {@code bucket/key} with this digest. */
    Uni<Void> put(String bucket, String key, byte[] digest, String table);

    /** The stored table of {@code bucket/key} with this digest. */
    Uni<Optional<String>> find(String bucket, String key, byte[] digest);

    /**
     * Removes the rows of these keys of {@code bucket} last put more than {@code sinceStartMillis}
     * ago (the sweeping write's age, so: before it began), except the one with digest {@code keep}
     * (null: none); answers how many it removed.
     */
    Uni<Integer> sweep(String bucket, List<String> keys, byte[] keep, long sinceStartMillis);
}
