package dev.sseproxy.api;

import dev.sseproxy.api.xml.MultipartDocuments;
import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.MultipartUploads;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The read side of multipart uploads: ListParts (the parts the backend kept, with the sizes, ETags and
 * checksums of their plaintext from the catalog) and ListMultipartUploads.
 */
final class MultipartListings {
    private MultipartListings() {
    }

    @ApplicationScoped
    static class ListParts implements RoutedOperation {
        private final ObjectStore store;
        private final MultipartUploads uploads;

        ListParts(ObjectStore store, MultipartUploads uploads) {
            this.store = store;
            this.uploads = uploads;
        }

        public String name() {
            return "ListParts";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "GET", "uploadId"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            String uploadId = MultipartOperations.uploadId(ex);
            int maxParts = Ops.intParam(ex, "max-parts", 1000, 0, 1000, "Argument max-parts must be an integer between 0 and 2147483647");
            int marker = Ops.intParam(ex, "part-number-marker", 0, 0, 10000, "Argument part-number-marker must be an integer between 0 and 2147483647");
            BackendCall call = BackendCall.of("GET", ex.bucket(), ex.key()).query("uploadId", uploadId)
                    .query("max-parts", Integer.toString(maxParts)).query("part-number-marker", Integer.toString(marker));
            return MultipartOperations.uploadErrors(store.exchange(call), uploadId).chain(reply -> uploads.parts(uploadId).map(attempts -> {
                java.util.Map<String, MultipartUploads.PartAttempt> byBackendEtag = new java.util.HashMap<>();
                attempts.forEach(a -> byBackendEtag.put(a.backendEtag(), a));
                BackendXml.ListPartsResult r = CopyOperations.read(reply.body().getBytes(), BackendXml.ListPartsResult.class);
                MultipartDocuments.ListPartsResultXml x = new MultipartDocuments.ListPartsResultXml();
                x.bucket = ex.bucket();
                x.key = ex.key();
                x.uploadId = uploadId;
                x.initiator = Ops.owner(ex.actingAccount());
                x.owner = Ops.owner(ex.bucketRecord().ownerId());
                x.partNumberMarker = marker;
                x.maxParts = maxParts;
                x.truncated = r.truncated;
                x.checksumAlgorithm = r.checksumAlgorithm == null || r.checksumAlgorithm.isEmpty() ? null : r.checksumAlgorithm;
                for (BackendXml.Part p : r.parts) {
                    MultipartDocuments.PartXml px = new MultipartDocuments.PartXml();
                    px.partNumber = p.partNumber;
                    px.etag = Ops.quoteEtag(p.etag);
                    px.size = p.size;
                    var attempt = byBackendEtag.get(dev.sseproxy.sse.Etags.unquote(p.etag));
                    if (attempt != null) {
                        px.etag = Ops.quoteEtag(attempt.etag());
                        px.size = attempt.plaintextSize();
                        attempt.checksum().ifPresent(c -> {
                            String v = c.substring(c.indexOf(':') + 1);
                            switch (c.substring(0, c.indexOf(':'))) {
                                case "CRC32" -> px.checksumCrc32 = v;
                                case "CRC32C" -> px.checksumCrc32c = v;
                                case "CRC64NVME" -> px.checksumCrc64nvme = v;
                                case "SHA1" -> px.checksumSha1 = v;
                                case "SHA256" -> px.checksumSha256 = v;
                                default -> { }
                            }
                        });
                    }
                    px.lastModified = Ops.iso(p.lastModified);
                    px.checksumCrc32 = p.checksumCrc32;
                    px.checksumCrc32c = p.checksumCrc32c;
                    px.checksumCrc64nvme = p.checksumCrc64nvme;
                    px.checksumSha1 = p.checksumSha1;
                    px.checksumSha256 = p.checksumSha256;
                    x.parts.add(px);
                }
                x.nextPartNumberMarker = x.parts.isEmpty() ? 0 : x.parts.get(x.parts.size() - 1).partNumber;
                return x;
            })).chain(x -> Responses.xml(ex, 200, x));
        }
    }

    @ApplicationScoped
    static class ListMultipartUploads implements RoutedOperation {
        private final ObjectStore store;

        ListMultipartUploads(ObjectStore store) {
            this.store = store;
        }

        public String name() {
            return "ListMultipartUploads";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.BUCKET, "GET", "uploads"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            String enc = Ops.encodingType(ex);
            int max = Ops.intParam(ex, "max-uploads", 1000, 0, 1000, "Argument max-uploads must be an integer between 0 and 2147483647");
            BackendCall call = BackendCall.of("GET", ex.bucket(), null).query("uploads", "")
                    .query("max-uploads", Integer.toString(Math.max(max, 1)));
            for (String p : List.of("prefix", "delimiter", "key-marker", "upload-id-marker")) {
                String v = ex.queryParam(p);
                if (v != null && !v.isEmpty()) {
                    call.query(p, v);
                }
            }
            return store.exchange(call).chain(reply -> {
                BackendXml.ListMultipartUploadsResult r = CopyOperations.read(reply.body().getBytes(),
                        BackendXml.ListMultipartUploadsResult.class);
                MultipartDocuments.ListMultipartUploadsResultXml x = new MultipartDocuments.ListMultipartUploadsResultXml();
                x.bucket = ex.bucket();
                x.keyMarker = Ops.enc(ListOperations.nonNull(ex.queryParam("key-marker")), enc);
                x.uploadIdMarker = ListOperations.nonNull(ex.queryParam("upload-id-marker"));
                x.prefix = Ops.enc(ListOperations.nonNull(ex.queryParam("prefix")), enc);
                x.delimiter = Ops.delimiter(ex, enc);
                x.maxUploads = max;
                x.encodingType = enc;
                x.truncated = max > 0 && r.truncated;
                if (max > 0) {
                    for (BackendXml.Upload u : r.uploads) {
                        MultipartDocuments.UploadXml ux = new MultipartDocuments.UploadXml();
                        ux.key = Ops.enc(u.key, enc);
                        ux.uploadId = u.uploadId;
                        ux.initiated = Ops.iso(u.initiated);
                        ux.initiator = Ops.owner(ex.bucketRecord().ownerId());
                        ux.owner = ux.initiator;
                        x.uploads.add(ux);
                    }
                    r.commonPrefixes.forEach(p -> x.commonPrefixes.add(new Documents.PrefixXml(Ops.enc(p.prefix, enc))));
                    if (x.truncated) {
                        x.nextKeyMarker = Ops.enc(r.nextKeyMarker, enc);
                        x.nextUploadIdMarker = r.nextUploadIdMarker;
                    }
                }
                return Responses.xml(ex, 200, x);
            });
        }
    }
}
