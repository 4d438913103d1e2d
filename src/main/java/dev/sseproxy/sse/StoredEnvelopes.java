package dev.sseproxy.sse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendReply;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.ObjectEtags;
import dev.sseproxy.catalog.PartTables;
import dev.sseproxy.config.SseProxyConfig;
import dev.sseproxy.crypto.CryptoException;
import dev.sseproxy.crypto.Envelope;
import dev.sseproxy.crypto.EnvelopeLayout;
import dev.sseproxy.crypto.PartTable;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
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
 * {@code partTable()} included. {@link #metadata} is the one way a writer stores a finished one,
 * and {@link #inline} the way it stores one whose table is inline by construction (a single PUT, a
 * stream's first envelope, a multipart upload's provisional one, a re-wrap); both write the layout
 * this proxy is configured with ({@code sse-proxy.encryption.envelope-layout}), read here only.
 */
@Singleton
public class StoredEnvelopes {
    private static final Logger LOG = Logger.getLogger(StoredEnvelopes.class);
    /** The entity headers a stored object keeps (and a metadata-replacing copy must repeat). */
    public static final List<String> ENTITY = List.of("content-type", "cache-control", "content-disposition",
            "content-encoding", "content-language", "expires");

    /** ETags of streamed SSE-S3 writes read lately: a row never changes, so a cached one is never stale. */
    static final int ETAG_CACHE_SIZE = 20_000;

    private final PartTables tables;
    private final ObjectEtags etags;
    private final BackgroundSweeps background;
    private final Cache<String, String> etagCache = Caffeine.newBuilder().maximumSize(ETAG_CACHE_SIZE).build();

    private final EnvelopeLayout layout;

    public StoredEnvelopes(PartTables tables, ObjectEtags etags, Vertx vertx, SseProxyConfig config) {
        this.layout = config.encryption().envelopeLayout();
        this.tables = tables;
        this.etags = etags;
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
        String ref = backendHeaders.get(Envelope.ETAG_REF);
        if (env.isPresent() && env.get().plaintextEtag() == null && ref != null) {
            return etag(bucket, key, ref).chain(etag -> withTable(bucket, key,
                    etag.map(t -> Optional.of(env.get().toBuilder().plaintextEtag(t).build())).orElse(env)));
        }
        return withTable(bucket, key, env);
    }

    /**
     * The ETag of the streamed SSE-S3 write {@code writeId} of {@code bucket/key} ({@link ObjectEtags});
     * empty when its row is gone (the object then shows the backend's ETag, as before its write finished).
     */
    public Uni<Optional<String>> etag(String bucket, String key, String writeId) {
        String cacheKey = etagCacheKey(bucket, key, writeId);
        String cached = etagCache.getIfPresent(cacheKey);
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return etags.find(bucket, key, writeId).invoke(found -> found.ifPresent(t -> etagCache.put(cacheKey, t)));
    }

    /**
     * The ETags of a listing page's streamed SSE-S3 writes, by write id, in one query for those not
     * cached (none when the page names no write id).
     */
    private Uni<Map<String, String>> etags(String bucket, List<ObjectEtags.Ref> refs) {
        Map<String, String> out = new HashMap<>();
        List<ObjectEtags.Ref> missing = new java.util.ArrayList<>();
        for (ObjectEtags.Ref r : refs) {
            String cached = etagCache.getIfPresent(etagCacheKey(bucket, r.key(), r.writeId()));
            if (cached != null) {
                out.put(r.writeId(), cached);
            } else {
                missing.add(r);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(out);
        }
        return etags.findAll(bucket, missing).map(found -> {
            for (ObjectEtags.Ref r : missing) {
                String t = found.get(r.writeId());
                if (t != null) {
                    etagCache.put(etagCacheKey(bucket, r.key(), r.writeId()), t);
                    out.put(r.writeId(), t);
                }
            }
            return out;
        });
    }

    /**
     * The write id a listed object's user metadata names for its ETag ({@link Envelope#ETAG_REF}), or
     * null when it names none or its envelope carries the ETag itself. Names in any case.
     */
    public static String etagRef(Map<String, String> userMetadata) {
        if (userMetadata == null) {
            return null;
        }
        Map<String, String> fields = Envelope.storedFields(userMetadata);
        return fields.containsKey(Envelope.PREFIX + "etag") ? null : fields.get(Envelope.ETAG_REF);
    }

    /**
     * The catalog's ETags of listed objects (a listing page: {@code keys[i]} with its user metadata
     * {@code userMetadata[i]}) that name a write id, by write id: one query for those not cached,
     * none when the page names none.
     */
    public Uni<Map<String, String>> listedEtags(String bucket, List<String> keys, List<Map<String, String>> userMetadata) {
        List<ObjectEtags.Ref> refs = new java.util.ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String ref = etagRef(userMetadata.get(i));
            if (ref != null) {
                refs.add(new ObjectEtags.Ref(keys.get(i), ref));
            }
        }
        return refs.isEmpty() ? Uni.createFrom().item(Map.of()) : etags(bucket, refs);
    }

    /** {@link #listedEtags(String, List, List)} of a v2 listing page's objects. */
    public Uni<Map<String, String>> listedEtags(String bucket, List<dev.sseproxy.backend.BackendXml.Contents> contents) {
        List<String> keys = new java.util.ArrayList<>(contents.size());
        List<Map<String, String>> metadata = new java.util.ArrayList<>(contents.size());
        for (dev.sseproxy.backend.BackendXml.Contents c : contents) {
            keys.add(c.key);
            metadata.add(c.userMetadata);
        }
        return listedEtags(bucket, keys, metadata);
    }

    /** Stores the ETag of the streamed SSE-S3 write {@code writeId} (before its final frame goes out). */
    Uni<Void> putEtag(String bucket, String key, String writeId, String etag) {
        return etags.put(bucket, key, writeId, etag).invoke(() -> etagCache.put(etagCacheKey(bucket, key, writeId), etag));
    }

    private static String etagCacheKey(String bucket, String key, String writeId) {
        return bucket + '\n' + writeId + '\n' + key;
    }

    private Uni<Optional<Envelope>> withTable(String bucket, String key, Optional<Envelope> env) {
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
     * The metadata that stores {@code e} with its part table inline, in this proxy's layout
     * ({@code sse-proxy.encryption.envelope-layout}: the one place that reads it).
     *
     * @throws Envelope.PartTableTooLarge when the table does not fit (see {@link #metadata})
     */
    public Map<String, String> inline(Envelope e) {
        return e.toMetadata(layout);
    }

    /**
     * The metadata that stores a finished envelope of {@code bucket/key}: the table inline when it
     * fits, else its digest, after the table itself was put into the catalog.
     */
    public Uni<Map<String, String>> metadata(String bucket, String key, Envelope e) {
        try {
            return Uni.createFrom().item(inline(e));
        } catch (Envelope.PartTableTooLarge tooLarge) {
            return tables.put(bucket, key, Envelope.partTableDigest(e.partTable()), e.partTable().encode())
                    .map(v -> e.toMetadataWithExternalPartTable(layout));
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
        String parts = Envelope.storedFields(metadata).get(Envelope.PREFIX + "parts");
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

    private static boolean inFuture(String isoDate) {
        try {
            return java.time.OffsetDateTime.parse(isoDate.trim()).toInstant().isAfter(java.time.Instant.now().plusSeconds(1));
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** The Object Lock headers of a version, repeated by {@link #restamp}. */
    private static final java.util.Set<String> LOCK = java.util.Set.of("x-amz-object-lock-mode",
            "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold");

    /**
     * Rewrites the envelope of a stored object without touching its data: a metadata-only copy of
     * the object onto itself, guarded by its backend ETag so a concurrent overwrite is never
     * stamped with this envelope. {@code stored} are the object's other headers (entity headers and
     * user metadata), which a REPLACE copy must repeat, and its Object Lock headers: the backend drops
     * a version's retention and legal hold on a copy unless the copy names them again (it would put
     * the bucket's default retention, or none, in their place), so they are repeated too.
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
            if ((ENTITY.contains(n) || n.startsWith("x-amz-meta-") || LOCK.contains(n)) && !n.startsWith(Envelope.PREFIX)) {
                headers.add(n, e.getValue());
            }
        });
        if (headers.contains("x-amz-object-lock-retain-until-date") && !inFuture(headers.get("x-amz-object-lock-retain-until-date"))) {
            // a retention that ran out protects nothing, and the backend refuses a past date on a write
            headers.remove("x-amz-object-lock-mode").remove("x-amz-object-lock-retain-until-date");
        }
        envelope.forEach(headers::set);
        if (!Envelope.storedFields(envelope).containsKey(Envelope.PREFIX + "etag") && stored.get(Envelope.ETAG_REF) != null) {
            // an envelope rewritten without its ETag still names the write whose ETag the catalog keeps
            headers.set(Envelope.ETAG_REF, stored.get(Envelope.ETAG_REF));
        }
        if (versionId == null) {
            return store.copyMetadata(bucket, key, null, backendEtag, size(stored), headers);
        }
        // A version that is locked from its first write (lock headers on the write, or the bucket's
        // default retention) cannot be rewritten in place: the backend refuses it as WORM protected.
        // It is stamped as a new version instead, which carries the same lock; the first, unstamped
        // version stays, locked (it reads: its envelope is complete but for the stamped ETag or
        // checksum), so such a write shows two versions in ListObjectVersions.
        return store.copyMetadata(bucket, key, versionId, backendEtag, size(stored), headers)
                .onFailure(e -> e instanceof BackendException.Rejected r && r.getMessage() != null
                        && r.getMessage().contains("Object is WORM protected"))
                .recoverWithUni(() -> store.copyMetadata(bucket, key, null, backendEtag, size(stored), headers));
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
