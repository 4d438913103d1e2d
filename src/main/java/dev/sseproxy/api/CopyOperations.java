package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendException;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.MinioXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.catalog.BucketCatalog;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** CopyObject and UploadPartCopy: the source must be readable by the requester; conditions are checked here. */
final class CopyOperations {
    private CopyOperations() {
    }

    /** Resolves the copy source: its bucket must exist and belong to the requester; checks the conditions. */
    static Uni<CopySource> source(S3Exchange ex, BucketCatalog buckets, ObjectStore store) {
        CopySource src = CopySource.parse(ex.header("x-amz-copy-source"));
        return buckets.find(src.bucket()).chain(b -> {
            if (b.isEmpty()) {
                return Uni.createFrom().failure(S3Exception.noSuchBucket(src.bucket()));
            }
            if (!b.get().ownerId().equals(ex.principal().accountId())) {
                return Uni.createFrom().failure(S3Exception.accessDenied());
            }
            return store.exchange(BackendCall.of("HEAD", src.bucket(), src.key()))
                    .onFailure(BackendException.Rejected.class).transform(e -> ((BackendException.Rejected) e).status() == 404
                            ? S3Exception.noSuchKey(src.key()) : e)
                    .map(head -> {
                        Instant lm = Conditions.date(head.headers().get("last-modified"));
                        Conditions.check(ex::header, "x-amz-copy-source-", head.headers().get("etag"),
                                lm == null ? Instant.EPOCH : lm, true);
                        return src;
                    });
        });
    }

    @ApplicationScoped
    static class CopyObject implements RoutedOperation {
        private final ObjectStore store;
        private final BucketCatalog buckets;

        CopyObject(ObjectStore store, BucketCatalog buckets) {
            this.store = store;
            this.buckets = buckets;
        }

        public String name() {
            return "CopyObject";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "PUT", "copy"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            MultiMap h = ex.request().headers();
            ObjectHeaders.checkWriteHeaders(h);
            String directive = h.get("x-amz-metadata-directive");
            if (directive != null && !"COPY".equals(directive) && !"REPLACE".equals(directive)) {
                throw S3Exception.invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
            }
            boolean replace = "REPLACE".equals(directive);
            return source(ex, buckets, store).chain(src -> {
                if (src.bucket().equals(ex.bucket()) && src.key().equals(ex.key()) && !replace) {
                    throw S3Exception.invalidRequest("This copy request is illegal because it is trying to copy an "
                            + "object to itself without changing the object's metadata, storage class, website "
                            + "redirect location or encryption attributes.");
                }
                BackendCall call = BackendCall.of("PUT", ex.bucket(), ex.key())
                        .header("x-amz-copy-source", src.backendHeader());
                if (replace) {
                    call.header("x-amz-metadata-directive", "REPLACE");
                    ObjectHeaders.copyWritable(h, call.headers());
                }
                return store.exchange(call);
            }).chain(reply -> {
                BackendXml.CopyResult cr = read(reply.body().getBytes(), BackendXml.CopyResult.class);
                Documents.CopyObjectResultXml x = new Documents.CopyObjectResultXml();
                x.etag = Ops.quoteEtag(cr.etag);
                x.lastModified = Ops.iso(cr.lastModified);
                return Responses.xml(ex, 200, x);
            });
        }
    }

    @ApplicationScoped
    static class UploadPartCopy implements RoutedOperation {
        private final ObjectStore store;
        private final BucketCatalog buckets;

        UploadPartCopy(ObjectStore store, BucketCatalog buckets) {
            this.store = store;
            this.buckets = buckets;
        }

        public String name() {
            return "UploadPartCopy";
        }

        public List<Route> routes() {
            return List.of(new Route(Scope.OBJECT, "PUT", "uploadId+copy"));
        }

        public Uni<Void> handle(S3Exchange ex) {
            int part = MultipartOperations.partNumber(ex);
            String range = ex.header("x-amz-copy-source-range");
            if (range != null && !range.matches("bytes=\\d+-\\d+")) {
                throw S3Exception.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last "
                        + "where first and last are the zero-based offsets of the first and last bytes to copy",
                        "x-amz-copy-source-range", range);
            }
            return source(ex, buckets, store).chain(src -> {
                BackendCall call = BackendCall.of("PUT", ex.bucket(), ex.key())
                        .query("partNumber", Integer.toString(part)).query("uploadId", ex.queryParam("uploadId"))
                        .header("x-amz-copy-source", src.backendHeader());
                if (range != null) {
                    call.header("x-amz-copy-source-range", range);
                }
                return store.exchange(call);
            }).chain(reply -> {
                BackendXml.CopyResult cr = read(reply.body().getBytes(), BackendXml.CopyResult.class);
                Documents.CopyPartResultXml x = new Documents.CopyPartResultXml();
                x.etag = Ops.quoteEtag(cr.etag);
                x.lastModified = Ops.iso(cr.lastModified);
                return Responses.xml(ex, 200, x);
            });
        }
    }

    static <T> T read(byte[] xml, Class<T> type) {
        try {
            return MinioXml.read(xml, type);
        } catch (java.io.IOException e) {
            throw S3Exception.of(S3ErrorCode.INTERNAL_ERROR);
        }
    }
}
