package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.StoredEnvelopes;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Listings: ListObjects (v1), ListObjectsV2 and ListObjectVersions. Backed by the backend's own
 * listings (which hide keys whose latest version is a delete marker); v1 uses the backend's v1
 * marker semantics, v2 passes its continuation token through, versions pass key and version-id
 * markers through.
 */
final class ListOperations {
    static final String MAX_KEYS_MSG = "Provided max-keys not an integer or within integer range";

    private ListOperations() {
    }

    /** Page of the backend listing. */
    static Uni<BackendXml.ListBucketResult> backendList(ObjectStore store, S3Exchange ex, boolean v2, int maxKeys,
            String marker) {
        // always a v2 listing with MinIO's metadata extension: the envelope gives plaintext sizes
        // and ETags (see dev.sseproxy.crypto); v1 and version markers become start-after
        if (maxKeys == 0) {
            return Uni.createFrom().item(new BackendXml.ListBucketResult());
        }
        String token = v2 ? ex.queryParam("continuation-token") : null;
        String startAfter = v2 ? ex.queryParam("start-after") : marker;
        return store.list(new ObjectStore.ListPage(ex.bucket(), ex.queryParam("prefix"), ex.queryParam("delimiter"),
                token, startAfter, maxKeys, true));
    }

    /** {@code etags}: the catalog's ETags of the page's streamed SSE-S3 writes, by write id. */
    static Documents.ContentsXml contents(BackendXml.Contents c, String enc, boolean owner, String ownerId,
            Map<String, String> etags) {
        Documents.ContentsXml x = new Documents.ContentsXml();
        x.key = Ops.enc(c.key, enc);
        x.lastModified = Ops.iso(c.lastModified);
        x.etag = Ops.quoteEtag(c.etag);
        x.size = c.size;
        if (c.userMetadata != null) {
            java.util.Map<String, String> env = dev.sseproxy.crypto.Envelope.storedFields(c.userMetadata);
            String size = env.get(dev.sseproxy.crypto.Envelope.PREFIX + "size");
            if (size != null) {
                x.size = Long.parseLong(size);
                String etag = env.get(dev.sseproxy.crypto.Envelope.PREFIX + "etag");
                if (etag == null && env.get(dev.sseproxy.crypto.Envelope.ETAG_REF) != null) {
                    etag = etags.get(env.get(dev.sseproxy.crypto.Envelope.ETAG_REF));
                }
                if (etag != null) {
                    x.etag = Ops.quoteEtag(etag);
                }
            }
        }
        x.storageClass = "STANDARD";
        x.owner = owner ? Ops.owner(ownerId) : null;
        return x;
    }

    @ApplicationScoped
    static class ListObjects implements RoutedOperation {
        private final ObjectStore store;
        private final StoredEnvelopes envelopes;

        ListObjects(ObjectStore store, StoredEnvelopes envelopes) {
            this.store = store;
            this.envelopes = envelopes;
        }

        public String name() {
            return "ListObjects";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "GET", ""));
        }

        public Uni<Void> handle(S3Exchange ex) {
            boolean v2 = "2".equals(ex.queryParam("list-type"));
            ex.operation(v2 ? "ListObjectsV2" : "ListObjects");
            String enc = Ops.encodingType(ex);
            int maxKeys = Ops.intParam(ex, "max-keys", 1000, 0, 1000, MAX_KEYS_MSG);
            String marker = ex.queryParam("marker");
            if (v2 && "".equals(ex.queryParam("continuation-token"))) {
                // S3 refuses an empty token on ListObjectsV2 (v1 and ListObjectVersions ignore the parameter)
                throw S3Exception.invalidArgument("The continuation token provided is incorrect",
                        "continuation-token", "");
            }
            String owner = ex.bucketRecord().ownerId();
            boolean fetchOwner = !v2 || "true".equals(ex.queryParam("fetch-owner"));
            return backendList(store, ex, v2, maxKeys, marker)
                    .chain(page -> envelopes.listedEtags(ex.bucket(), page.contents).chain(etags -> {
                Documents.ListBucketResultXml r = new Documents.ListBucketResultXml();
                r.name = ex.bucket();
                r.prefix = Ops.enc(nonNull(ex.queryParam("prefix")), enc);
                r.delimiter = Ops.delimiter(ex, enc);
                r.maxKeys = maxKeys;
                r.encodingType = enc;
                r.truncated = page.truncated;
                page.contents.forEach(c -> r.contents.add(contents(c, enc, fetchOwner, owner, etags)));
                page.commonPrefixes.forEach(p -> r.commonPrefixes.add(new Documents.PrefixXml(Ops.enc(p.prefix, enc))));
                if (v2) {
                    r.keyCount = r.contents.size() + r.commonPrefixes.size();
                    r.continuationToken = ex.queryParam("continuation-token");
                    r.nextContinuationToken = page.truncated ? page.nextContinuationToken : null;
                    r.startAfter = Ops.enc(ex.queryParam("start-after"), enc);
                } else {
                    r.marker = Ops.enc(nonNull(marker), enc);
                    if (page.truncated && r.delimiter != null) {
                        r.nextMarker = Ops.enc(lastName(page), enc);
                    }
                }
                return Responses.xml(ex, 200, r);
            }));
        }
    }

    static String nonNull(String s) {
        return s == null ? "" : s;
    }

    static String lastName(BackendXml.ListBucketResult page) {
        String lastKey = page.contents.isEmpty() ? null : page.contents.get(page.contents.size() - 1).key;
        String lastPrefix = page.commonPrefixes.isEmpty() ? null
                : page.commonPrefixes.get(page.commonPrefixes.size() - 1).prefix;
        if (lastKey == null) {
            return lastPrefix;
        }
        return lastPrefix == null || lastKey.compareTo(lastPrefix) > 0 ? lastKey : lastPrefix;
    }

    /**
     * ListObjectVersions, backed by the backend's own version listing (with MinIO's user-metadata
     * extension: each version's envelope gives its plaintext size and the ETag clients saw when it
     * was written, as ListObjects shows them). Version and DeleteMarker entries keep the backend's
     * IsLatest, version ids and markers; a never-versioned bucket lists each object as its only,
     * latest, {@code null} version.
     */
    @ApplicationScoped
    static class ListObjectVersions implements RoutedOperation {
        private final ObjectStore store;
        private final StoredEnvelopes envelopes;

        ListObjectVersions(ObjectStore store, StoredEnvelopes envelopes) {
            this.store = store;
            this.envelopes = envelopes;
        }

        private Uni<Map<String, String>> versionEtags(String bucket, dev.sseproxy.backend.VersionListing.Page p) {
            List<String> keys = new java.util.ArrayList<>();
            List<Map<String, String>> metadata = new java.util.ArrayList<>();
            for (var e : p.entries()) {
                if (!e.deleteMarker()) {
                    keys.add(e.key());
                    metadata.add(e.userMetadata());
                }
            }
            return envelopes.listedEtags(bucket, keys, metadata);
        }

        public String name() {
            return "ListObjectVersions";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "GET", "versions"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            String enc = Ops.encodingType(ex);
            int maxKeys = Ops.intParam(ex, "max-keys", 1000, 0, 1000, MAX_KEYS_MSG);
            String keyMarker = ex.queryParam("key-marker");
            String versionIdMarker = ex.queryParam("version-id-marker");
            if (versionIdMarker != null && !versionIdMarker.isEmpty()) {
                if (keyMarker == null || keyMarker.isEmpty()) {
                    throw S3Exception.invalidArgument("A version-id marker cannot be specified without a key marker.",
                            "version-id-marker", versionIdMarker);
                }
                Versions.check(versionIdMarker, "version-id-marker");
            }
            String owner = ex.bucketRecord().ownerId();
            Uni<dev.sseproxy.backend.VersionListing.Page> page = maxKeys == 0
                    ? Uni.createFrom().item(new dev.sseproxy.backend.VersionListing.Page(List.of(), List.of(), false, null, null))
                    : store.exchange(dev.sseproxy.backend.VersionListing.call(ex.bucket(), ex.queryParam("prefix"),
                            ex.queryParam("delimiter"), keyMarker, versionIdMarker, maxKeys))
                            .map(reply -> dev.sseproxy.backend.VersionListing.read(reply.body().getBytes()));
            return page.chain(p -> versionEtags(ex.bucket(), p).chain(etags -> {
                Documents.ListVersionsResultXml r = new Documents.ListVersionsResultXml();
                r.name = ex.bucket();
                r.prefix = Ops.enc(nonNull(ex.queryParam("prefix")), enc);
                r.keyMarker = Ops.enc(nonNull(keyMarker), enc);
                r.versionIdMarker = nonNull(versionIdMarker);
                r.delimiter = Ops.delimiter(ex, enc);
                r.maxKeys = maxKeys;
                r.encodingType = enc;
                r.truncated = p.truncated();
                for (var e : p.entries()) {
                    if (e.deleteMarker()) {
                        Documents.DeleteMarkerXml d = new Documents.DeleteMarkerXml();
                        d.key = Ops.enc(e.key(), enc);
                        d.versionId = e.versionId() == null || e.versionId().isEmpty() ? "null" : e.versionId();
                        d.isLatest = e.latest();
                        d.lastModified = Ops.iso(e.lastModified());
                        d.owner = Ops.owner(owner);
                        r.deleteMarkers.add(d);
                        continue;
                    }
                    BackendXml.Contents c = new BackendXml.Contents();
                    c.key = e.key();
                    c.lastModified = e.lastModified();
                    c.etag = e.etag();
                    c.size = e.size();
                    c.userMetadata = e.userMetadata();
                    Documents.ContentsXml x = contents(c, enc, true, owner, etags);
                    x.versionId = e.versionId() == null || e.versionId().isEmpty() ? "null" : e.versionId();
                    x.isLatest = e.latest();
                    r.versions.add(x);
                }
                p.commonPrefixes().forEach(cp -> r.commonPrefixes.add(new Documents.PrefixXml(Ops.enc(cp, enc))));
                if (p.truncated()) {
                    r.nextKeyMarker = Ops.enc(p.nextKeyMarker(), enc);
                    r.nextVersionIdMarker = p.nextVersionIdMarker();
                }
                return Responses.xml(ex, 200, r);
            }));
        }
    }
}
