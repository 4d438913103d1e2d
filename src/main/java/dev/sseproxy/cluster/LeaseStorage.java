package dev.sseproxy.cluster;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Optional;

/**
 * Where the leases live (PostgreSQL: table {@code cluster_lease}, behind
 * {@code dev.sseproxy.catalog.LeaseRows}): each statement of the lease protocol (package documentation,
 * "Leases"), judged on the database server's clock. {@link Leases} keeps what this node holds. A port,
 * so that {@code cluster} does not know the catalog.
 */
public interface LeaseStorage {

    /**
     * Takes the lease {@code name} for {@code holder} for {@code seconds} when nobody holds it or it
     * expired, with the next fencing token; the token, or empty when another holder's lease is live.
     */
    Uni<Optional<Long>> acquire(String name, String holder, double seconds);

    /** Extends a live lease of this holder and token by {@code seconds} from now; false when it is not live or not theirs. */
    Uni<Boolean> renew(String name, String holder, long token, double seconds);

    /** Gives the lease back (expired now, no holder); the row and its token stay. */
    Uni<Void> release(String name, String holder, long token);

    /** Deletes the lease's row, if still this holder's with this token. */
    Uni<Void> delete(String name, String holder, long token);

    /** Every lease row, by name. */
    Uni<List<Leases.Row>> list();
}
