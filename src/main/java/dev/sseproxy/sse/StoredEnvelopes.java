package dev.sseproxy.sse;

import dev.sseproxy.backend.BackendReply;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.PartTables;
import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.PartTable;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Envelopes as the backend stores them, with their part tables wherever those live (inline in the
 * metadata, or out of line in {@link PartTables}; crypto package documentation, "Part table").
 * {@link #load} is the one way a reader gets an object's envelope: it returns the full envelope,
 * {@code partTable()} included. {@link #metadata} is the one way a writer stores a finished one.
 */
@Singleton
public class StoredEnvelopes {
    private static final Logger LOG = Logger.getLogger(StoredEnvelopes.class);
    /** The entity headers a stored object keeps (and a metadata-replacing copy must repeat). */
    public static final List<String> ENTITY = List.of("content-type", "cache-control", "content-disposition",
            "content-encoding", "content-language", "expires");

    private final PartTables tables;
    private final BackgroundSweeps background;

    public StoredEnvelopes(PartTables tables, io.vertx.core.Vertx vertx) {
        this.tables = tables;
        this.background = new BackgroundSweeps(tables, vertx);
    }

    /**
     * The envelope of {@code bucket/key} from a backend answer's headers, with its full part table
     * (fetched from the catalog when stored out of line, and checked against the envelope's digest);
     * empty for a legacy (plaintext) object.
     *
     * @throws CryptoException.UnknownFormat (as a failed Uni) for a malformed or unknown envelope
     * @throws CryptoException.Tampered      (as a failed Uni) when the out-of-line table is missing or does not match
     */
    public Uni<Optional<Envelope>> load(String bucket, String key, MultiMap backendHeaders) {
        Optional<Envelope> env;
        try {
            env = fromHeaders(backendHeaders);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        if (env.isEmpty() || env.get().partTable() != null) {
            return Uni.createFrom().item(env);
        }
        Envelope e = env.get();
        return tables.find(bucket, key, e.externalPartTableDigest()).map(text -> {
            if (text.isEmpty()) {
                throw new CryptoException.Tampered("the part table of bucket " + bucket + " key " + key
                        + " is missing from the catalog");
            }
            PartTable table;
            try {
                table = PartTable.decode(text.get());
            } catch (IllegalArgumentException x) {
                throw new CryptoException.Tampered("the stored part table of bucket " + bucket + " key " + key
                        + " is malformed: " + x.getMessage());
            }
            return Optional.of(e.withPartTable(table));
        });
    }

    /**
     * The metadata that stores a finished envelope of {@code bucket/key}: the table inline when it
     * fits, else its digest, after the table itself was put into the catalog.
     */
    public Uni<Map<String, String>> metadata(String bucket, String key, Envelope e) {
        try {
            return Uni.createFrom().item(e.toMetadata());
        } catch (Envelope.PartTableTooLarge tooLarge) {
            return tables.put(bucket, key, Envelope.partTableDigest(e.partTable()), e.partTable().encode())
                    .map(v -> e.toMetadataWithExternalPartTable());
        }
    }

    /** After the envelope went live: puts its out-of-line table again (see {@link PartTables}). */
    public Uni<Void> live(String bucket, String key, Envelope e, Map<String, String> metadata) {
        if (!isExternal(metadata)) {
            return Uni.createFrom().voidItem();
        }
        return tables.put(bucket, key, Envelope.partTableDigest(e.partTable()), e.partTable().encode());
    }

    /** The digest to keep when sweeping after writing {@code metadata}: null for an inline table. */
    public static byte[] keep(Envelope e, Map<String, String> metadata) {
        return isExternal(metadata) ? Envelope.partTableDigest(e.partTable()) : null;
    }

    private static boolean isExternal(Map<String, String> metadata) {
        String parts = metadata.get(Envelope.PREFIX + "parts");
        return parts != null && parts.startsWith("sha256:");
    }

    /**
     * Removes the out-of-line tables of {@code keys} that the write which began at
     * {@code startNanos} ({@link System#nanoTime()}) replaced or deleted, except {@code keep}
     * (null: none). Never fails: a row it cannot remove is left for the next write of the key.
     */
    public Uni<Void> sweep(String bucket, List<String> keys, byte[] keep, long startNanos) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long age = Math.max(0, (System.nanoTime() - startNanos) / 1_000_000);
        return tables.sweep(bucket, keys, keep, age).invoke(n -> {
            if (n > 0) {
                LOG.debugf("swept %d part tables of bucket %s", n, bucket);
            }
        }).replaceWithVoid().onFailure().recoverWithUni(e -> {
            LOG.warnf("cannot sweep part tables of bucket %s: %s", bucket, e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * {@link #sweep} without waiting for it (single PUTs, whose tables are always inline): gathered
     * with the other writes' sweeps of the next {@value BackgroundSweeps#GATHER_MILLIS} ms into one
     * statement per bucket ({@link BackgroundSweeps}).
     */
    public void sweepInBackground(String bucket, List<String> keys, byte[] keep, long startNanos) {
        if (keep == null && keys.size() == 1 && background.offer(bucket, keys.get(0), startNanos)) {
            return;
        }
        sweep(bucket, keys, keep, startNanos).subscribe().with(v -> { }, e -> { });
    }

    /**
     * The envelope in a backend answer's headers as stored (an out-of-line table not loaded: see
     * {@link #load}); empty for a legacy (plaintext) object.
     */
    public static Optional<Envelope> fromHeaders(MultiMap backendHeaders) {
        Map<String, String> meta = new HashMap<>();
        backendHeaders.forEach(e -> {
            String n = e.getKey().toLowerCase(Locale.ROOT);
            if (n.startsWith(Envelope.PREFIX)) {
                meta.put(n, e.getValue());
            }
        });
        return meta.isEmpty() ? Optional.empty() : Envelope.fromMetadata(meta);
    }

    /**
     * Rewrites the envelope of a stored object without touching its data: a metadata-only copy of
     * the object onto itself, guarded by its backend ETag so a concurrent overwrite is never
     * stamped with this envelope. {@code stored} are the object's other headers (entity headers and
     * user metadata), which a REPLACE copy must repeat.
     */
    public static Uni<BackendReply> restamp(ObjectStore store, String bucket, String key, String backendEtag,
            MultiMap stored, Map<String, String> envelope) {
        return restamp(store, bucket, key, null, backendEtag, stored, envelope);
    }

    /**
     * As above, of one version ({@code versionId} null: the current object): rewritten in place, so
     * one write makes one version (see {@link ObjectStore#copyMetadata(String, String, String, String,
     * long, MultiMap)}).
     */
    public static Uni<BackendReply> restamp(ObjectStore store, String bucket, String key, String versionId,
            String backendEtag, MultiMap stored, Map<String, String> envelope) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        stored.forEach(e -> {
            String n = e.getKey().toLowerCase(Locale.ROOT);
            if ((ENTITY.contains(n) || n.startsWith("x-amz-meta-")) && !n.startsWith(Envelope.PREFIX)) {
                headers.add(n, e.getValue());
            }
        });
        envelope.forEach(headers::set);
        return store.copyMetadata(bucket, key, versionId, backendEtag, size(stored), headers);
    }

    /**
     * The object's size from a backend answer's headers (a HEAD's: they carry its ETag); -1 for
     * anything else. The restamp right after the proxy's own PUT (a checksum or an SSE-S3 MD5 to
     * stamp) passes the client's request headers: -1 keeps it on the hand-written request, the
     * PUT path's (see {@code dev.sseproxy.backend}).
     */
    private static long size(MultiMap stored) {
        String length = stored.get("etag") == null ? null : stored.get("content-length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
