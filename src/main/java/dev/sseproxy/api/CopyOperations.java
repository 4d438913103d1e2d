package dev.sseproxy.api;

import dev.sseproxy.api.Dispatcher.Route;
import dev.sseproxy.api.Dispatcher.RoutedOperation;
import dev.sseproxy.api.Dispatcher.Scope;
import dev.sseproxy.api.xml.Documents;
import dev.sseproxy.api.xml.MultipartDocuments;
import dev.sseproxy.backend.BackendCall;
import dev.sseproxy.backend.BackendXml;
import dev.sseproxy.backend.MinioXml;
import dev.sseproxy.backend.ObjectStore;
import dev.sseproxy.error.S3ErrorCode;
import dev.sseproxy.error.S3Exception;
import dev.sseproxy.sse.MultipartEncryption;
import dev.sseproxy.sse.SseService;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** CopyObject and UploadPartCopy: the source must be readable by the requester; conditions are checked here. */
final class CopyOperations {
    private CopyOperations() {
    }

    static final long MAX_COPY = 5L * 1024 * 1024 * 1024;

    @ApplicationScoped
    static class CopyObject implements RoutedOperation {
        private final CopySources sources;
        private final SseService sse;

        CopyObject(CopySources sources, SseService sse) {
            this.sources = sources;
            this.sse = sse;
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
            var hf = SseChecks.headers(ex);
            var sourceKey = SseChecks.readKey(ex, dev.sseproxy.sse.EncryptionPolicy.COPY_PREFIX);
            var dest = new dev.sseproxy.crypto.ObjectIdentity(ex.bucket(), ex.key());
            return sources.resolve(ex).chain(src -> sse.bucketDefault(ex.bucket()).chain(bucketEnc -> {
                dev.sseproxy.sse.ObjectKeys.checkReadHeaders(src.envelope().orElse(null), sourceKey);
                var decision = dev.sseproxy.sse.EncryptionPolicy.decide(hf, bucketEnc.effective(), ex.secure());
                ex.encryptionApplied(decision);
                // copying an older version over its key restores it: not a copy onto itself
                boolean self = src.at().bucket().equals(ex.bucket()) && src.at().key().equals(ex.key())
                        && src.at().versionId() == null;
                boolean changes = replace || h.get("x-amz-storage-class") != null
                        || h.get("x-amz-website-redirect-location") != null
                        || h.get(dev.sseproxy.sse.EncryptionPolicy.S) != null
                        || decision.mode() == dev.sseproxy.crypto.SseMode.SSE_C
                        || bucketEnc.explicit()
                        || src.envelope().map(e -> e.sseMode() != dev.sseproxy.crypto.SseMode.SSE_S3).orElse(true);
                if (self && !changes) {
                    throw S3Exception.invalidRequest("This copy request is illegal because it is trying to copy an "
                            + "object to itself without changing the object's metadata, storage class, website "
                            + "redirect location or encryption attributes.");
                }
                if (src.plaintextSize() > MAX_COPY) {
                    throw S3Exception.invalidRequest("The specified copy source is larger than the maximum allowable "
                            + "size for a copy source: " + MAX_COPY);
                }
                MultiMap stored = MultiMap.caseInsensitiveMultiMap();
                if (replace) {
                    ObjectHeaders.copyWritableHeaders(h, stored);
                } else {
                    src.headers().forEach(e -> {
                        String n = e.getKey().toLowerCase(java.util.Locale.ROOT);
                        if ((ObjectHeaders.ENTITY.contains(n) || n.startsWith("x-amz-meta-"))
                                && !n.startsWith(dev.sseproxy.crypto.Envelope.PREFIX)) {
                            stored.add(n, e.getValue());
                        }
                    });
                }
                return sse.keysFor(decision, SseChecks.keyRequester(ex), dest,
                        java.util.Optional.ofNullable(hf.apply(dev.sseproxy.sse.EncryptionPolicy.X)))
                        .chain(keys -> sources.open(ex, src, sourceKey)
                        .onFailure().invoke(keys::close)
                        .chain(plain -> {
                            ex.objectWritten(ex.key(), plain.length());
                            return sse.write(ex.bucket(), ex.key(), keys, plain, stored);
                        }))
                        .invoke(w -> {
                            String sourceVersion = src.headers().get(Versions.HEADER);
                            if (sourceVersion != null) {
                                ex.response().putHeader("x-amz-copy-source-version-id", sourceVersion);
                            }
                        });
            })).chain(w -> {
                Versions.written(ex.response().headers(), w.versionId());
                SseChecks.putSseHeaders(ex.response().headers(), w.sse());
                Documents.CopyObjectResultXml x = new Documents.CopyObjectResultXml();
                x.etag = w.etag();
                x.lastModified = Ops.iso(Instant.now());
                return Responses.xml(ex, 200, x);
            });
        }
    }

    @ApplicationScoped
    static class UploadPartCopy implements RoutedOperation {
        private final ObjectStore store;
        private final CopySources sources;
        private final MultipartEncryption parts;

        UploadPartCopy(ObjectStore store, CopySources sources, MultipartEncryption parts) {
            this.store = store;
            this.sources = sources;
            this.parts = parts;
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
            var sourceKey = SseChecks.readKey(ex, dev.sseproxy.sse.EncryptionPolicy.COPY_PREFIX);
            return sources.resolve(ex).chain(src -> {
                dev.sseproxy.sse.ObjectKeys.checkReadHeaders(src.envelope().orElse(null), sourceKey);
                String sourceVersion = src.headers().get(Versions.HEADER);
                if (sourceVersion != null) {
                    ex.response().putHeader("x-amz-copy-source-version-id", sourceVersion);
                }
                long size = src.plaintextSize();
                long[] r = null;
                if (range != null) {
                    String[] ab = range.substring(6).split("-");
                    r = new long[] {Long.parseLong(ab[0]), Long.parseLong(ab[1])};
                    if (r[0] > r[1] || r[1] >= size) {
                        throw S3Exception.of(S3ErrorCode.INVALID_RANGE).withDetail("ActualObjectSize", Long.toString(size));
                    }
                } else if (size > MAX_COPY) {
                    throw S3Exception.invalidRequest("The specified copy source is larger than the maximum allowable "
                            + "size for a copy source: " + MAX_COPY);
                }
                final long[] slice = r;
                var destKey = SseChecks.readKey(ex, "");
                return parts.find(ex.bucket(), ex.key(), ex.queryParam("uploadId"))
                        .call(upload -> parts.checkSseHeaders(ex::header, SseChecks.keyRequester(ex), upload))
                        .chain(upload -> {
                    if (upload.isPresent()) {
                        MultipartEncryption.checkPartKey(upload.get(), destKey);
                    } else if (destKey.isPresent()) {
                        throw S3Exception.invalidRequest(MultipartEncryption.INITIATE_REQUESTED);
                    }
                    return sources.open(ex, src, sourceKey, slice).chain(plain -> {
                        if (upload.isPresent()) {
                            return parts.put(SseChecks.keyRequester(ex), upload.get(), part, plain, destKey).map(res -> {
                                SseChecks.putSseHeaders(ex.response().headers(), res.sse().withoutContext());
                                return res.etag();
                            });
                        }
                        BackendCall call = BackendCall.of("PUT", ex.bucket(), ex.key())
                                .query("partNumber", Integer.toString(part)).query("uploadId", ex.queryParam("uploadId"));
                        return store.exchange(call.withBody(BackendCall.Body.of(plain.stream(), plain.length())))
                                .map(reply -> Ops.quoteEtag(reply.headers().get("etag")));
                    });
                });
            }).chain(etag -> {
                MultipartDocuments.CopyPartResultXml x = new MultipartDocuments.CopyPartResultXml();
                x.etag = etag;
                x.lastModified = Ops.iso(Instant.now());
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
